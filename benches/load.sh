#!/usr/bin/env bash
# Load benchmark: privgate against nginx proxy_pass, same upstream, same workload.
#
#   benches/load.sh [DURATION_SECONDS] [CONNECTIONS]        (defaults: 10 s, 64 connections)
#   benches/load.sh --pinned [DURATION_SECONDS] [CONNECTIONS] [ROUNDS]
#                                            (defaults: 10 s, 32 connections, 1 round)
#
# --pinned: wrk and the upstream on CPU 0, the proxy under test alone on CPU 1, so the proxy's
# own cost is measured apart from the load generator's: for nginx proxy_pass (one worker),
# privgate with an empty policy and privgate with gdpr (default audit settings: sync always),
# req/s, p50/p99/p99.9 and the proxy's CPU time per request (user + system of all its
# processes and threads, from /proc/PID/stat), with the ratios to nginx. With ROUNDS > 1 the
# whole set runs that many times, interleaved, and the median of each figure is printed last;
# PRIVGATE_BASELINE=path adds a second build to every round (measured just before this one),
# to compare two builds under the same conditions. PACED_RATE=N (requests/s) adds, after each
# saturating run, a paced run at about N requests/s (each connection pauses a random time,
# CONNECTIONS/N seconds on average, after an answer): the latency a proxy adds at a load all
# of them sustain, which the saturating runs cannot show (there, with a fixed number of
# connections, mean latency is connections / requests-per-second).
#
# Runs, on loopback only, each for a bounded time with a fixed number of connections:
#   a) wrk → upstream                       (nginx answering 200 {} — the ceiling)
#   b) wrk → nginx proxy_pass → upstream     (the plain proxy to beat)
#   c) wrk → privgate (gdpr, audit sync: always) → upstream
#   d) wrk → privgate (gdpr, audit sync: none)   → upstream
#   e) privgate (gdpr, always) with 256 connections, for memory
#   f) privgate (gdpr, always) with its subject registry in Redis (a local redis-server) instead
#      of the embedded store: every request looks its subjects up there
# Workload: POST /api/track with realistic ~1 KB track bodies (benches/load/track.lua).
# Prints requests/s, p50/p99/p99.9 latency and peak RSS of the proxy for each, and c/b, d/b.
# Installs wrk, nginx and redis-server from Debian when missing. Needs a release build (it builds
# one; PRIVGATE_BIN=path runs that binary instead, to compare two builds).
set -euo pipefail
cd "$(dirname "$0")/.."

PINNED=0
if [ "${1:-}" = "--pinned" ]; then PINNED=1; shift; fi
DURATION="${1:-10}"
if [ "$PINNED" = 1 ]; then CONNS="${2:-32}"; else CONNS="${2:-64}"; fi
ROUNDS="${3:-1}"
THREADS=2
UP_PORT=18181
NGINX_PORT=18182
PG_PORT=18183
PG_ADMIN=18193
REDIS_PORT=18195
WORK="$(mktemp -d /tmp/privgate-load.XXXXXX)"
NGINX_PIDS=()
PG_PID=""
REDIS_PID=""

cleanup() {
  [ -n "$PG_PID" ] && kill "$PG_PID" 2>/dev/null || true
  [ -n "$REDIS_PID" ] && kill "$REDIS_PID" 2>/dev/null || true
  for conf in "$WORK"/nginx-*.conf; do
    [ -f "$conf" ] && nginx -c "$conf" -s quit >/dev/null 2>&1 || true
  done
  sleep 0.3
  rm -rf "$WORK"
}
trap cleanup EXIT

. benches/lib.sh
install_missing wrk:wrk nginx:nginx-light redis-server:redis-server bc:bc curl:curl
BIN="$(privgate_bin)"

nginx_conf() { # name, server block
  cat > "$WORK/nginx-$1.conf" <<EOF
worker_processes 1;
pid $WORK/nginx-$1.pid;
error_log $WORK/nginx-$1.err warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/body-$1;
  proxy_temp_path $WORK/proxy-$1;
  fastcgi_temp_path $WORK/fcgi-$1;
  uwsgi_temp_path $WORK/uwsgi-$1;
  scgi_temp_path $WORK/scgi-$1;
  upstream collector { server 127.0.0.1:$UP_PORT; keepalive 64; }
  $2
}
EOF
  ${3:-} nginx -c "$WORK/nginx-$1.conf"
}

PROXY_CPU=""
UP_CPU=""
WRK_CPU=""
if [ "$PINNED" = 1 ]; then
  PROXY_CPU="taskset -c 1"
  UP_CPU="taskset -c 0"
  WRK_CPU="taskset -c 0"
  THREADS=1
fi

# The upstream: a fast collector stand-in (one worker, as the proxy under test gets).
nginx_conf upstream "server { listen 127.0.0.1:$UP_PORT; location / { client_max_body_size 2m; return 200 '{}'; } }" "$UP_CPU"
# The plain proxy to compare with.
nginx_conf proxy "server { listen 127.0.0.1:$NGINX_PORT; location / { client_max_body_size 2m; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_pass http://collector; } }" "$PROXY_CPU"
sleep 0.3

peak_rss_kib() { # pid: VmHWM of the process (and its children, for nginx)
  local total=0 pid
  for pid in "$@"; do
    local v
    v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${v:-0}" -gt "$total" ] && total=$v
  done
  echo "$total"
}

run_wrk() { # label, url, connections → prints "rps p50 p99 p999"; errors go to stderr
  local out
  out=$($WRK_CPU wrk -t"$THREADS" -c"$3" -d"${DURATION}s" --timeout 5s -s benches/load/track.lua "$2" 2>&1)
  echo "$out" | grep -v '^RESULT' | grep -i 'warning\|error\|non-2xx' | sed "s/^/$1: /" >&2 || true
  echo "$out" | awk '/^RESULT/ {print $2, $3, $4, $5, $7}'
}

start_privgate() { # sync mode [state section] [policy list]
  cat > "$WORK/privgate.yaml" <<EOF
listen: 127.0.0.1:$PG_PORT
admin_listen: 127.0.0.1:$PG_ADMIN
upstream: http://127.0.0.1:$UP_PORT
policies: ${3:-[gdpr]}
data_dir: $WORK/pg-data
audit:
  path: $WORK/pg-data/audit-$1.jsonl
  sync: $1
limits:
  max_in_flight: 100000
${2:-}
EOF
  PRIVGATE_HASH_KEY=$(printf '%064d' 7) RUST_LOG=warn $PROXY_CPU "$BIN" serve --config "$WORK/privgate.yaml" 2>"$WORK/privgate-$1.log" &
  PG_PID=$!
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$PG_ADMIN/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "privgate did not start:" >&2; cat "$WORK/privgate-$1.log" >&2; exit 1
}

stop_privgate() {
  kill "$PG_PID"; wait "$PG_PID" 2>/dev/null || true; PG_PID=""
}

cpu_ticks() { # pids: utime + stime of each process (all its threads), in clock ticks
  local total=0 pid
  for pid in "$@"; do
    local t
    t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}

if [ "$PINNED" = 1 ]; then
  TICK=$(getconf CLK_TCK)
  # Builds measured, interleaved round by round: PRIVGATE_BASELINE (if set) before this one.
  BUILDS=()
  [ -n "${PRIVGATE_BASELINE:-}" ] && BUILDS+=("baseline|$PRIVGATE_BASELINE")
  BUILDS+=("privgate|$BIN")
  printf 'pinned: wrk and upstream on CPU 0, proxy on CPU 1; %s connections, %s s, 1 KB track bodies, %s round(s)\n' "$CONNS" "$DURATION" "$ROUNDS"
  [ -n "${PRIVGATE_BASELINE:-}" ] && printf 'baseline: %s\nprivgate: %s\n' "$PRIVGATE_BASELINE" "$BIN"
  measure() { # label url pids...
    local label=$1 url=$2; shift 2
    local before after rps p50 p99 p999 n
    before=$(cpu_ticks "$@")
    read -r rps p50 p99 p999 n < <(run_wrk "$label" "$url" "$CONNS")
    after=$(cpu_ticks "$@")
    local us
    us=$(echo "($after - $before) * 1000000 / $TICK / $n" | bc -l)
    echo "$label|$rps|$p50|$p99|$p999|$us"
  }
  header() { printf '%-40s %9s %8s %8s %9s %12s %9s %9s\n' "proxy on CPU 1" "req/s" "p50 ms" "p99 ms" "p99.9 ms" "CPU/request" "vs nginx" "p99 vs"; }
  PACED_RATE="${PACED_RATE:-0}"
  paced() { # label url: a run at about PACED_RATE requests/s; prints and records its latency
    [ "$PACED_RATE" -gt 0 ] || return 0
    local pause rps p50 p99 p999
    pause=$(echo "$CONNS * 1000 / $PACED_RATE" | bc)
    read -r rps p50 p99 p999 _ < <(WRK_PAUSE_MS=$pause run_wrk "$1" "$2" "$CONNS")
    printf '    paced at %s/s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms\n' "$PACED_RATE" "$rps" "$p50" "$p99" "$p999"
    echo "$1 (paced)|$rps|$p50|$p99|$p999|0|0|0" >> "$ROWS"
  }
  row() { # label rps p50 p99 p999 us cpu_ratio p99_ratio
    printf '%-40s %9.0f %8.2f %8.2f %9.2f %9.1f µs %8.2fx %8.2fx\n' "$@"
  }
  line() { # label rps p50 p99 p999 us nginx_us nginx_p99: a row with its ratios to nginx
    row "$1" "$2" "$3" "$4" "$5" "$6" "$(echo "$6/$7" | bc -l)" "$(echo "$4/$8" | bc -l)"
  }
  echo 'policy: empty
rules: []' > "$WORK/empty.yaml"
  ROWS="$WORK/rows"
  : > "$ROWS"
  NGINX_WORKERS=$(pgrep -P "$(cat "$WORK/nginx-proxy.pid")" | tr '\n' ' ')
  # Warm up nginx's keepalive pool.
  run_wrk warmup "http://127.0.0.1:$NGINX_PORT/api/track" "$CONNS" >/dev/null
  for round in $(seq "$ROUNDS"); do
    [ "$ROUNDS" -gt 1 ] && echo "round $round"
    header
    IFS='|' read -r _ N_RPS N_50 N_99 N_999 N_US < <(measure nginx "http://127.0.0.1:$NGINX_PORT/api/track" $NGINX_WORKERS "$(cat "$WORK/nginx-proxy.pid")")
    line "nginx proxy_pass, one worker" "$N_RPS" "$N_50" "$N_99" "$N_999" "$N_US" "$N_US" "$N_99"
    echo "nginx proxy_pass, one worker|$N_RPS|$N_50|$N_99|$N_999|$N_US|1|1" >> "$ROWS"
    paced "nginx proxy_pass, one worker" "http://127.0.0.1:$NGINX_PORT/api/track"
    for build in "${BUILDS[@]}"; do
      name=${build%%|*}; BIN=${build#*|}
      for setup in "empty policy|[$WORK/empty.yaml]" "gdpr|[gdpr]"; do
        label="$name, ${setup%%|*}"; policies=${setup#*|}
        start_privgate always "" "$policies"
        run_wrk warmup "http://127.0.0.1:$PG_PORT/api/track" "$CONNS" >/dev/null
        IFS='|' read -r _ P_RPS P_50 P_99 P_999 P_US < <(measure privgate "http://127.0.0.1:$PG_PORT/api/track" "$PG_PID")
        P_RSS=$(peak_rss_kib "$PG_PID")
        line "$label" "$P_RPS" "$P_50" "$P_99" "$P_999" "$P_US" "$N_US" "$N_99"
        printf '    peak RSS %.1f MiB\n' "$(echo "$P_RSS/1024" | bc -l)"
        echo "$label|$P_RPS|$P_50|$P_99|$P_999|$P_US|$(echo "$P_US/$N_US" | bc -l)|$(echo "$P_99/$N_99" | bc -l)" >> "$ROWS"
        paced "$label" "http://127.0.0.1:$PG_PORT/api/track"
        stop_privgate
      done
    done
  done
  if [ "$ROUNDS" -gt 1 ]; then
    # The median of each figure over the rounds (ratios: the median of each round's ratio to
    # that round's nginx, which moves with the VM as the proxy does).
    echo
    echo "median of $ROUNDS rounds"
    header
    cut -d'|' -f1 "$ROWS" | awk '!seen[$0]++' | while read -r label; do
      med() { grep -F "$label|" "$ROWS" | cut -d'|' -f"$1" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
      case "$label" in
        *"(paced)") printf '%-40s %9.0f %8.2f %8.2f %9.2f\n' "$label" "$(med 2)" "$(med 3)" "$(med 4)" "$(med 5)" ;;
        *) row "$label" "$(med 2)" "$(med 3)" "$(med 4)" "$(med 5)" "$(med 6)" "$(med 7)" "$(med 8)" ;;
      esac
    done
  fi
  exit 0
fi

printf '%-44s %10s %9s %9s %9s %10s\n' "setup ($CONNS connections, ${DURATION}s)" "req/s" "p50 ms" "p99 ms" "p99.9 ms" "peak RSS"
row() { printf '%-44s %10.0f %9.2f %9.2f %9.2f %7.1f MiB\n' "$1" "$2" "$3" "$4" "$5" "$(echo "$6/1024" | bc -l)"; }

read -r A_RPS A_50 A_99 A_999 _ < <(run_wrk upstream "http://127.0.0.1:$UP_PORT/api/track" "$CONNS")
row "a) direct to the upstream" "$A_RPS" "$A_50" "$A_99" "$A_999" 0

NGINX_PIDS=($(pgrep -f "nginx: .*nginx-proxy.conf" || true) $(cat "$WORK/nginx-proxy.pid"))
read -r B_RPS B_50 B_99 B_999 _ < <(run_wrk nginx "http://127.0.0.1:$NGINX_PORT/api/track" "$CONNS")
B_RSS=$(peak_rss_kib $(pgrep -P "$(cat "$WORK/nginx-proxy.pid")") "$(cat "$WORK/nginx-proxy.pid")")
row "b) nginx proxy_pass" "$B_RPS" "$B_50" "$B_99" "$B_999" "$B_RSS"

start_privgate always
read -r C_RPS C_50 C_99 C_999 _ < <(run_wrk privgate "http://127.0.0.1:$PG_PORT/api/track" "$CONNS")
C_RSS=$(peak_rss_kib "$PG_PID")
stop_privgate
row "c) privgate gdpr, audit sync: always" "$C_RPS" "$C_50" "$C_99" "$C_999" "$C_RSS"

start_privgate none
read -r D_RPS D_50 D_99 D_999 _ < <(run_wrk privgate "http://127.0.0.1:$PG_PORT/api/track" "$CONNS")
D_RSS=$(peak_rss_kib "$PG_PID")
stop_privgate
row "d) privgate gdpr, audit sync: none" "$D_RPS" "$D_50" "$D_99" "$D_999" "$D_RSS"

start_privgate always
read -r E_RPS E_50 E_99 E_999 _ < <(run_wrk privgate "http://127.0.0.1:$PG_PORT/api/track" 256)
E_RSS=$(peak_rss_kib "$PG_PID")
stop_privgate
row "e) privgate gdpr, always, 256 connections" "$E_RPS" "$E_50" "$E_99" "$E_999" "$E_RSS"

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" \
  --daemonize no >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
for _ in $(seq 50); do
  redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
start_privgate always "$(printf 'state:\n  backend: redis\n  url: redis://127.0.0.1:%s/0' "$REDIS_PORT")"
read -r F_RPS F_50 F_99 F_999 _ < <(run_wrk privgate "http://127.0.0.1:$PG_PORT/api/track" "$CONNS")
F_RSS=$(peak_rss_kib "$PG_PID")
stop_privgate
kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true; REDIS_PID=""
row "f) privgate gdpr, always, registry in Redis" "$F_RPS" "$F_50" "$F_99" "$F_999" "$F_RSS"

echo
printf 'throughput c/b = %.2f   d/b = %.2f   (target >= 0.80)\n' "$(echo "$C_RPS/$B_RPS" | bc -l)" "$(echo "$D_RPS/$B_RPS" | bc -l)"
printf 'added p99 vs nginx: c %+.2f ms   d %+.2f ms   (target <= 1 ms)\n' "$(echo "$C_99-$B_99" | bc -l)" "$(echo "$D_99-$B_99" | bc -l)"
printf 'Redis-backed registry vs embedded: f/c = %.2f throughput, %+.2f ms p99\n' "$(echo "$F_RPS/$C_RPS" | bc -l)" "$(echo "$F_99-$C_99" | bc -l)"
printf 'peak RSS at 256 connections: %.1f MiB   (target <= 64 MiB)\n' "$(echo "$E_RSS/1024" | bc -l)"
