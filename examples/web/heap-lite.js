// heap-lite.js — a small stand-in for Heap's classic web tracker, for trying privgate locally.
// It sends heap.js-shaped requests (heap-wire.md §4): a pageview on load, and one `/h` event
// hit per click with the clicked element's tag, id, classes, href, selector and text. No data
// leaves your machine: requests go to the privgate proxy named by `data-proxy` on the script tag
// (default http://127.0.0.1:8080), which filters them and hands them to its capture collector.
(function () {
  var script = document.currentScript;
  var proxy = (script && script.getAttribute("data-proxy")) || "http://127.0.0.1:8080";
  var appId = (script && script.getAttribute("data-app-id")) || "11";
  function id() {
    return String(Math.floor(Math.random() * 9007199254740991));
  }
  var userId = localStorage.getItem("heap-lite-user") || id();
  localStorage.setItem("heap-lite-user", userId);
  var sessionId = id();
  var pageviewId = id();
  var identity = null;

  function common() {
    var p = [["a", appId], ["u", userId], ["v", pageviewId], ["s", sessionId]];
    if (identity) p.push(["i", identity]);
    p.push(["b", "web"], ["tv", "4.0"], ["z", "0"], ["st", String(Date.now())]);
    return p;
  }
  function encode(params) {
    return params
      .map(function (kv) {
        return encodeURIComponent(kv[0]) + "=" + encodeURIComponent(kv[1]);
      })
      .join("&");
  }
  function send(path, params) {
    // POST with a form body, as heap.js does with sendBeacon; fetch for the status in devtools.
    return fetch(proxy + path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: encode(params),
      keepalive: true,
    }).then(
      function (r) {
        document.documentElement.setAttribute("data-last-status", String(r.status));
        return r;
      },
      function (e) {
        document.documentElement.setAttribute("data-last-status", "error: " + e);
      }
    );
  }
  function selector(el) {
    var parts = [];
    for (var n = el; n && n.nodeType === 1 && parts.length < 4; n = n.parentElement) {
      var s = "@" + n.tagName.toLowerCase() + ";";
      if (n.id) s += "#" + n.id + ";";
      for (var i = 0; i < n.classList.length; i++) s += "." + n.classList[i] + ";";
      parts.push(s);
    }
    return parts.join("|") + "|";
  }

  window.heapLite = {
    identify: function (who) {
      identity = who;
      return send("/api/identify_v3", common());
    },
    addUserProperties: function (props) {
      var p = common();
      Object.keys(props).forEach(function (k) {
        p.push(["_" + k, String(props[k])]);
      });
      return send("/api/add_user_properties_v3", p);
    },
  };

  send(
    "/h",
    common().concat([
      ["h", location.pathname + location.search],
      ["d", location.hostname || "localhost"],
      ["t", document.title],
      ["r", document.referrer],
      ["ts", String(Date.now())],
    ])
  );

  document.addEventListener(
    "click",
    function (e) {
      var el = e.target.closest ? e.target.closest("button, a, input, [data-track]") || e.target : e.target;
      var p = common().concat([
        ["pp", "h"],
        ["pp", location.pathname],
        ["id0", id()],
        ["t0", "click"],
        ["n0", el.tagName.toLowerCase()],
      ]);
      if (el.className && typeof el.className === "string") p.push(["c0", "." + el.className.trim().split(/\s+/).join(".")]);
      if (el.id) p.push(["i0", el.id]);
      if (el.getAttribute("href")) p.push(["h0", el.getAttribute("href")]);
      p.push(["y0", selector(el)], ["ts0", String(Date.now())], ["x0", (el.innerText || el.value || "").slice(0, 64)]);
      send("/h", p);
    },
    true
  );
})();
