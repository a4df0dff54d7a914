#!/usr/bin/env bash
# What `audit.sync` costs: the same load against privgate with `sync: always`, `batch` and
# `none`, in front of an nginx that answers 200 {} (so the collector costs next to nothing).
#
#   benches/audit_sync.sh [DURATION] [CONNECTIONS] [ROUNDS]   # defaults: 15s, 32, 3
#
# Rounds interleave the modes (always, batch, none, always, ...) so that other load on the
# machine spreads over all of them; the last lines give each mode's median round.
# Needs wrk and nginx (Debian: apt-get install -y wrk nginx-light). Everything listens on
# 127.0.0.1 (ports PRIVGATE_BENCH_PORT, +1, +2; default 18080..18082) and stops by itself.
# Prints one line per mode: requests/s, latency p50/p99, records written, fsyncs.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15s}
CONNS=${2:-32}
ROUNDS=${3:-3}
THREADS=$(( CONNS < 2 ? CONNS : 2 ))
PORT=${PRIVGATE_BENCH_PORT:-18080}
UP_PORT=$((PORT + 1))
ADMIN_PORT=$((PORT + 2))
for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "audit_sync.sh: $tool is not installed" >&2; exit 2; }
done

cargo build --release --quiet
BIN=$PWD/target/release/privgate
WORK=$(mktemp -d)
NGINX_PID=""
PROXY_PID=""
cleanup() {
  [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-body;
  server {
    listen 127.0.0.1:$UP_PORT;
    location / { default_type application/json; return 200 '{}'; }
  }
}
NGINX
nginx -c "$WORK/nginx.conf" -p "$WORK" &
NGINX_PID=$!

cat > "$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"app_id":"11","identity":"jane@example.com","event":"Checkout","properties":{"note":"call +44 20 7946 0958","plan":"pro","total":12.5}}'
LUA

echo "privgate $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, wrk -t$THREADS -c$CONNS -d$DURATION, gdpr policy, POST /api/track (1 event)"
printf '%-8s %10s %9s %9s %9s %9s\n' sync req/s p50 p99 records fsyncs
for round in $(seq "$ROUNDS"); do
for mode in always batch none; do
  DATA="$WORK/data-$mode-$round"
  mkdir -p "$DATA"
  cat > "$WORK/privgate-$mode.yaml" <<YAML
listen: 127.0.0.1:$PORT
admin_listen: 127.0.0.1:$ADMIN_PORT
upstream: http://127.0.0.1:$UP_PORT
policies: [gdpr]
data_dir: $DATA
audit:
  sync: $mode
$( [ "$mode" = batch ] && echo "  batch_ms: 10" )
YAML
  PRIVGATE_HASH_KEY=7f1c2a9e4b6d8f0a1c3e5a7b9d1f2e4c6a8b0d2f4e6a8c0e2b4d6f8a0c2e4b6d \
    RUST_LOG=warn,privgate::audit=info "$BIN" serve --config "$WORK/privgate-$mode.yaml" 2> "$WORK/privgate-$mode.log" &
  PROXY_PID=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$ADMIN_PORT/readyz" && break
    sleep 0.1
  done
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s "$WORK/post.lua" "http://127.0.0.1:$PORT/api/track" > "$WORK/wrk-$mode.txt"
  kill -TERM "$PROXY_PID"; wait "$PROXY_PID" || true; PROXY_PID=""
  rps=$(awk '/^Requests\/sec/ {print $2}' "$WORK/wrk-$mode.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/wrk-$mode.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk-$mode.txt")
  closed=$(grep 'Audit log closed' "$WORK/privgate-$mode.log" | tail -1)
  records=$(sed -n 's/.*records=\([0-9]*\).*/\1/p' <<<"$closed")
  fsyncs=$(sed -n 's/.*fsyncs=\([0-9]*\).*/\1/p' <<<"$closed")
  printf '%-8s %10s %9s %9s %9s %9s\n' "$mode" "$rps" "$p50" "$p99" "$records" "$fsyncs" | tee -a "$WORK/results.txt"
  if grep -q 'Non-2xx' "$WORK/wrk-$mode.txt"; then grep 'Non-2xx' "$WORK/wrk-$mode.txt"; fi
  "$BIN" audit verify "$DATA" > /dev/null || { echo "audit_sync.sh: the $mode log does not verify" >&2; exit 1; }
  rm -rf "$DATA"
done
done
echo "median round of $ROUNDS (by req/s):"
for mode in always batch none; do
  grep "^$mode " "$WORK/results.txt" | sort -k2 -n | awk -v n="$ROUNDS" 'NR == int((n + 1) / 2)'
done
