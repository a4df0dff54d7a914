//! The HTML form of `privgate audit summary`: one self-contained file for a compliance officer.
//!
//! Inline CSS and inline SVG charts only — no script, no web font, no image or style from
//! anywhere else; a Content-Security-Policy in the page forbids loading anything, so it reads
//! the same offline, attached to an email or archived with the log. Every text that comes from
//! a record (names, codes, times, file names) is HTML-escaped, even though records hold no
//! personal data, because a tampered log could hold anything.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::Outcome;
use super::summary::{Bucket, Summary, request_outcomes, short_sha};

/// Fill colour of an outcome in charts and legends.
pub fn outcome_color(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Forwarded => "#2563eb",
        Outcome::Shadow => "#7c3aed",
        Outcome::Dropped => "#d97706",
        Outcome::Rejected => "#dc2626",
        Outcome::UpstreamError => "#64748b",
        Outcome::Interrupted => "#be185d",
        Outcome::Admin => "#16a34a",
    }
}

/// Fill colour of field changes in the top-rules chart.
pub const CHANGES_COLOR: &str = "#0d9488";
/// Fill colour of dropped events in the top-rules chart.
pub const DROPS_COLOR: &str = "#d97706";

/// Escapes text for HTML and SVG content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root{--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f4f6f9}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1060px;margin:0 auto;padding:28px 24px 48px}
h1{font-size:26px;margin:0 0 4px;letter-spacing:-.01em}
h2{font-size:17px;margin:0 0 12px}
p{margin:0 0 6px}
.sub{color:var(--muted)}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 20px;margin-top:16px}
.integrity{border-left:6px solid #16a34a}
.integrity.broken{border-left-color:#dc2626;background:#fef2f2}
.integrity strong{font-size:16px}
.integrity p{overflow-wrap:anywhere}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(132px,1fr));gap:12px;margin-top:16px}
.figure{background:#fff;border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.figure .n{font-size:24px;font-weight:650;font-variant-numeric:tabular-nums}
.figure .l{color:var(--muted);font-size:13px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
.num{text-align:right;font-variant-numeric:tabular-nums}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.legend{display:flex;flex-wrap:wrap;gap:16px;margin:0 0 10px;font-size:13px;color:var(--muted)}
.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px;vertical-align:-1px}
svg{width:100%;height:auto;display:block}
svg text{font-size:12px;fill:#4b5563}
.two{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.two .card{margin-top:16px}
@media (max-width:820px){.two{grid-template-columns:1fr}}
.none{color:var(--muted);font-style:italic}
.tag{display:inline-block;font-size:11px;padding:0 6px;border-radius:8px;background:#ede9fe;color:#5b21b6;margin-left:6px}
footer{color:var(--muted);font-size:13px;margin-top:22px}
footer li{margin:2px 0}
@media print{body{background:#fff}.card,.figure{break-inside:avoid}}
"#;

/// Renders the summary as one HTML page.
pub fn render(s: &Summary) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let names: Vec<&str> = s.policy_names().into_iter().collect();
    let title = if names.is_empty() {
        "Audit summary".to_owned()
    } else {
        format!("Audit summary — {}", names.join(", "))
    };
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} ({})</title><style>{STYLE}</style></head><body><main>\n",
        esc(&title),
        esc(&s.period())
    );
    let _ = writeln!(
        h,
        "<header><h1>{}</h1><p class=\"sub\">privgate audit log · period {} (UTC) · generated {}</p></header>",
        esc(&title),
        esc(&s.period()),
        esc(&s.generated)
    );
    integrity(&mut h, s);
    figures(&mut h, s);
    let _ = write!(
        h,
        "<section class=\"card\"><h2>Requests per {}, by outcome</h2>",
        match s.bucket {
            Bucket::Hour => "hour",
            Bucket::Day => "day",
        }
    );
    h.push_str("<div class=\"legend\">");
    for o in request_outcomes() {
        let _ = write!(
            h,
            "<span><i style=\"background:{}\"></i>{} ({})</span>",
            outcome_color(o),
            o.as_str(),
            s.outcomes.get(&o).copied().unwrap_or(0)
        );
    }
    h.push_str("</div>");
    requests_chart(&mut h, s);
    h.push_str("</section>\n");
    h.push_str("<section class=\"card\"><h2>Top rules</h2><div class=\"legend\">");
    let _ = write!(
        h,
        "<span><i style=\"background:{CHANGES_COLOR}\"></i>fields changed</span>\
         <span><i style=\"background:{DROPS_COLOR}\"></i>events dropped</span></div>"
    );
    rules_chart(&mut h, s);
    h.push_str("</section>\n");
    policies_table(&mut h, s);
    h.push_str("<div class=\"two\">");
    table(
        &mut h,
        "Requests by outcome",
        &["outcome", "requests"],
        &[false, true],
        request_outcomes()
            .map(|o| {
                vec![
                    format!(
                        "<i style=\"display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;background:{}\"></i>{}",
                        outcome_color(o),
                        o.as_str()
                    ),
                    s.outcomes.get(&o).copied().unwrap_or(0).to_string(),
                ]
            })
            .collect(),
    );
    table(
        &mut h,
        "Opt-outs by consent signal",
        &["signal", "requests", "events dropped"],
        &[false, true, true],
        s.opt_outs
            .iter()
            .map(|r| {
                vec![
                    format!("<code>{}</code>", esc(&r.signal)),
                    r.requests.to_string(),
                    r.events.to_string(),
                ]
            })
            .collect(),
    );
    h.push_str("</div>");
    table(
        &mut h,
        "Field changes by policy version, rule, action and detector",
        &[
            "policy", "version", "rule", "action", "detector", "fields", "matches",
        ],
        &[false, false, false, false, false, true, true],
        s.changes
            .iter()
            .map(|r| {
                vec![
                    format!("{}{}", esc(&r.policy), shadow_tag(r.shadow)),
                    format!("<code>{}</code>", esc(short_sha(&r.sha256))),
                    format!("<code>{}</code>", esc(&r.rule)),
                    esc(&r.action),
                    r.detector.as_deref().map_or("—".to_owned(), esc),
                    r.changes.to_string(),
                    r.matches.to_string(),
                ]
            })
            .collect(),
    );
    h.push_str("<div class=\"two\">");
    table(
        &mut h,
        "Dropped events by rule",
        &["policy", "version", "rule", "events"],
        &[false, false, false, true],
        s.dropped
            .iter()
            .map(|r| {
                vec![
                    format!("{}{}", esc(&r.policy), shadow_tag(r.shadow)),
                    format!("<code>{}</code>", esc(short_sha(&r.sha256))),
                    format!("<code>{}</code>", esc(&r.rule)),
                    r.events.to_string(),
                ]
            })
            .collect(),
    );
    table(
        &mut h,
        "Requests not forwarded, by error code",
        &["outcome", "code", "requests"],
        &[false, false, true],
        s.errors
            .iter()
            .map(|r| {
                vec![
                    r.outcome.as_str().to_owned(),
                    format!("<code>{}</code>", esc(&r.code)),
                    r.requests.to_string(),
                ]
            })
            .collect(),
    );
    table(
        &mut h,
        "Requests by route",
        &["route", "requests"],
        &[false, true],
        s.routes
            .iter()
            .map(|(r, n)| vec![format!("<code>{}</code>", esc(r)), n.to_string()])
            .collect(),
    );
    table(
        &mut h,
        "Registry changes and retention",
        &["action", "detail", "records"],
        &[false, false, true],
        s.admin
            .iter()
            .map(|r| vec![esc(&r.action), esc(&r.detail), r.records.to_string()])
            .collect(),
    );
    if !s.invalid_consent.is_empty() {
        table(
            &mut h,
            "Undecodable consent strings (counted as no consent)",
            &["kind", "requests"],
            &[false, true],
            s.invalid_consent
                .iter()
                .map(|(k, n)| vec![format!("<code>{}</code>", esc(k)), n.to_string()])
                .collect(),
        );
    }
    h.push_str("</div>");
    footer(&mut h, s);
    h.push_str("</main></body></html>\n");
    h
}

fn shadow_tag(shadow: bool) -> &'static str {
    if shadow {
        "<span class=\"tag\">shadow</span>"
    } else {
        ""
    }
}

fn integrity(h: &mut String, s: &Summary) {
    if s.integrity.ok {
        let _ = writeln!(
            h,
            "<section class=\"card integrity\"><strong>✓ Hash chain intact</strong>\
             <p class=\"sub\">Every record chains to the one before it (<code>privgate audit verify</code>): {}</p></section>",
            esc(&s.integrity.message)
        );
    } else {
        let _ = writeln!(
            h,
            "<section class=\"card integrity broken\"><strong>✗ Hash chain broken — this log was altered, damaged or is incomplete</strong>\
             <p>{}</p><p class=\"sub\">The figures below count the records that could be read; do not rely on them before the break is explained.</p></section>",
            esc(&s.integrity.message)
        );
    }
    if s.unreadable_lines > 0 {
        let _ = writeln!(
            h,
            "<section class=\"card integrity broken\"><strong>{} line{} could not be read as records</strong></section>",
            s.unreadable_lines,
            if s.unreadable_lines == 1 { "" } else { "s" }
        );
    }
}

fn figures(h: &mut String, s: &Summary) {
    let changed: u64 = s
        .changes
        .iter()
        .filter(|c| !c.shadow)
        .map(|c| c.changes)
        .sum();
    let opted: u64 = s.opt_outs.iter().map(|o| o.requests).sum();
    let refused = s.outcomes.get(&Outcome::Rejected).copied().unwrap_or(0)
        + s.outcomes
            .get(&Outcome::UpstreamError)
            .copied()
            .unwrap_or(0);
    h.push_str("<section class=\"figures\">");
    for (n, label) in [
        (s.requests, "requests"),
        (s.events_in, "events received"),
        (s.events_out, "events forwarded"),
        (s.events_dropped, "events dropped"),
        (changed, "fields changed"),
        (opted, "requests opted out"),
        (refused, "requests not forwarded (errors)"),
    ] {
        let _ = write!(
            h,
            "<div class=\"figure\"><div class=\"n\">{}</div><div class=\"l\">{label}</div></div>",
            group_digits(n)
        );
    }
    h.push_str("</section>\n");
}

/// `1234567` → `1 234 567` (thin spaces), for the key figures.
fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
}

/// The smallest "nice" axis maximum (1, 2 or 5 × 10^k, times 4 ticks) at or above `max`.
fn nice_step(max: u64) -> u64 {
    let target = max.div_ceil(4).max(1);
    let mut base = 1u64;
    loop {
        for m in [1, 2, 5] {
            if base.saturating_mul(m) >= target {
                return base.saturating_mul(m);
            }
        }
        base = base.saturating_mul(10);
    }
}

fn requests_chart(h: &mut String, s: &Summary) {
    if s.buckets.is_empty() || s.requests == 0 {
        h.push_str("<p class=\"none\">No requests in this period.</p>");
        return;
    }
    let (w, ht) = (1000.0_f64, 320.0_f64);
    let (ml, mr, mt, mb) = (58.0, 12.0, 12.0, 46.0);
    let (pw, ph) = (w - ml - mr, ht - mt - mb);
    let totals: Vec<u64> = s
        .buckets
        .iter()
        .map(|b| b.outcomes.values().sum())
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0);
    let step = nice_step(max);
    let top = (step * 4) as f64;
    let n = s.buckets.len();
    let slot = pw / n as f64;
    let bar = (slot * 0.78).max(1.0);
    let _ = write!(
        h,
        "<svg viewBox=\"0 0 {w} {ht}\" role=\"img\" aria-label=\"Requests per bucket, stacked by outcome\">"
    );
    for i in 0..=4u64 {
        let y = mt + ph - ph * (i * step) as f64 / top;
        let _ = write!(
            h,
            "<line x1=\"{ml}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{}\" stroke-width=\"1\"/>\
             <text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            w - mr,
            if i == 0 { "#9ca3af" } else { "#e5e7eb" },
            ml - 8.0,
            y + 4.0,
            i * step
        );
    }
    for (i, b) in s.buckets.iter().enumerate() {
        let x = ml + slot * i as f64 + (slot - bar) / 2.0;
        let mut y = mt + ph;
        let label = s.bucket_label(&b.start);
        for o in request_outcomes() {
            let count = b.outcomes.get(&o).copied().unwrap_or(0);
            if count == 0 {
                continue;
            }
            let height = ph * count as f64 / top;
            y -= height;
            let _ = write!(
                h,
                "<rect x=\"{x:.2}\" y=\"{y:.2}\" width=\"{bar:.2}\" height=\"{height:.2}\" fill=\"{}\"><title>{}: {count} {}</title></rect>",
                outcome_color(o),
                esc(&label),
                o.as_str()
            );
        }
    }
    // At most about 12 labels along the time axis.
    let every = n.div_ceil(12).max(1);
    let mut last_day = String::new();
    for (i, b) in s.buckets.iter().enumerate() {
        if i % every != 0 {
            continue;
        }
        let x = ml + slot * (i as f64 + 0.5);
        let day = b.start.get(5..10).unwrap_or("").to_owned();
        let (first, second) = match s.bucket {
            Bucket::Hour => (
                b.start.get(11..16).unwrap_or("").to_owned(),
                if day != last_day {
                    day.clone()
                } else {
                    String::new()
                },
            ),
            Bucket::Day => (day.clone(), String::new()),
        };
        last_day = day;
        let _ = write!(
            h,
            "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            mt + ph + 18.0,
            esc(&first)
        );
        if !second.is_empty() {
            let _ = write!(
                h,
                "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                mt + ph + 34.0,
                esc(&second)
            );
        }
    }
    h.push_str("</svg>");
}

/// A rule in the top-rules chart: policy, rule id, shadow.
type RuleKey<'a> = (&'a str, &'a str, bool);

fn rules_chart(h: &mut String, s: &Summary) {
    // Fields changed and events dropped per rule.
    let mut rules: HashMap<RuleKey, (u64, u64)> = HashMap::new();
    for c in &s.changes {
        rules
            .entry((c.policy.as_str(), c.rule.as_str(), c.shadow))
            .or_default()
            .0 += c.changes;
    }
    for d in &s.dropped {
        rules
            .entry((d.policy.as_str(), d.rule.as_str(), d.shadow))
            .or_default()
            .1 += d.events;
    }
    let mut rows: Vec<(RuleKey, (u64, u64))> = rules.into_iter().collect();
    rows.sort_by(|a, b| (b.1.0 + b.1.1).cmp(&(a.1.0 + a.1.1)).then(a.0.cmp(&b.0)));
    rows.truncate(10);
    if rows.is_empty() {
        h.push_str("<p class=\"none\">No rule changed or dropped anything in this period.</p>");
        return;
    }
    let (w, row_h, label_w, value_w) = (1000.0_f64, 30.0_f64, 330.0_f64, 70.0_f64);
    let ht = row_h * rows.len() as f64 + 8.0;
    let max = rows.iter().map(|r| r.1.0 + r.1.1).max().unwrap_or(1).max(1) as f64;
    let pw = w - label_w - value_w;
    let _ = write!(
        h,
        "<svg viewBox=\"0 0 {w} {ht}\" role=\"img\" aria-label=\"Top rules by fields changed and events dropped\">"
    );
    for (i, ((policy, rule, shadow), (changed, dropped))) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let mut label = format!(
            "{policy} / {rule}{}",
            if *shadow { " (shadow)" } else { "" }
        );
        if label.chars().count() > 46 {
            label = label.chars().take(45).collect::<String>() + "…";
        }
        let _ = write!(
            h,
            "<text x=\"0\" y=\"{:.1}\">{}</text>",
            y + row_h / 2.0 + 4.0,
            esc(&label)
        );
        let mut x = label_w;
        for (count, color, what) in [
            (*changed, CHANGES_COLOR, "fields changed"),
            (*dropped, DROPS_COLOR, "events dropped"),
        ] {
            if count == 0 {
                continue;
            }
            let width = (pw * count as f64 / max).max(2.0);
            let _ = write!(
                h,
                "<rect x=\"{x:.2}\" y=\"{:.1}\" width=\"{width:.2}\" height=\"{:.1}\" rx=\"2\" fill=\"{color}\"><title>{}: {count} {what}</title></rect>",
                y + 5.0,
                row_h - 10.0,
                esc(&label)
            );
            x += width;
        }
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            x + 8.0,
            y + row_h / 2.0 + 4.0,
            changed + dropped
        );
    }
    h.push_str("</svg>");
}

fn policies_table(h: &mut String, s: &Summary) {
    table(
        h,
        "Policy versions that handled requests",
        &[
            "policy",
            "version (sha256)",
            "requests",
            "first seen",
            "last seen",
        ],
        &[false, false, true, false, false],
        s.policies
            .iter()
            .map(|p| {
                vec![
                    esc(&p.name),
                    format!(
                        "<code title=\"{}\">{}</code>",
                        esc(&p.sha256),
                        esc(short_sha(&p.sha256))
                    ),
                    p.requests.to_string(),
                    esc(&p.first_seen),
                    esc(&p.last_seen),
                ]
            })
            .collect(),
    );
}

/// A titled table in a card. Cells are HTML already (escaped by the caller).
fn table(h: &mut String, title: &str, header: &[&str], numeric: &[bool], rows: Vec<Vec<String>>) {
    let _ = write!(h, "<section class=\"card\"><h2>{}</h2>", esc(title));
    if rows.is_empty() {
        h.push_str("<p class=\"none\">None in this period.</p></section>\n");
        return;
    }
    h.push_str("<table><thead><tr>");
    for (i, col) in header.iter().enumerate() {
        let class = if numeric.get(i).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        };
        let _ = write!(h, "<th{class}>{}</th>", esc(col));
    }
    h.push_str("</tr></thead><tbody>");
    for row in rows {
        h.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if numeric.get(i).copied().unwrap_or(false) {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(h, "<td{class}>{cell}</td>");
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></section>\n");
}

fn footer(h: &mut String, s: &Summary) {
    h.push_str(
        "<footer><p>Each audit record names the policy versions (SHA-256 of the policy file), \
         rules, actions, field paths and detectors that handled a request — never the values \
         themselves, identities, IP addresses or header values. This report shows names, codes \
         and counts only.</p><p>Files read, in chain order:</p><ul>",
    );
    for f in &s.files {
        let _ = write!(h, "<li><code>{}</code></li>", esc(f));
    }
    h.push_str("</ul>");
    if !s.skipped.is_empty() {
        h.push_str("<p>Left out:</p><ul>");
        for f in &s.skipped {
            let _ = write!(h, "<li>{}</li>", esc(f));
        }
        h.push_str("</ul>");
    }
    h.push_str("</footer>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_axis_steps() {
        assert_eq!(
            esc("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(nice_step(0), 1);
        assert_eq!(nice_step(4), 1);
        assert_eq!(nice_step(5), 2);
        assert_eq!(nice_step(37), 10);
        assert_eq!(nice_step(1234), 500);
        assert_eq!(group_digits(1234567), "1\u{2009}234\u{2009}567");
        assert_eq!(group_digits(12), "12");
    }
}
