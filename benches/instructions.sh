#!/usr/bin/env bash
# Instructions per request: a deterministic measure of privgate's own work, for changes too
# small to see through a VM's timing noise (the pinned CPU time of one build moves by ±15-25%
# between runs here; the instruction count by well under 1%).
#
#   benches/instructions.sh [REQUESTS]        (default 1000)
#
# Runs privgate under callgrind (all its threads) with one traffic worker in front of an nginx
# collector stand-in, sends 200 warm-up requests and then REQUESTS more of the load benchmark's
# 1 KB track bodies (benches/load/track_body.tpl) over one keep-alive connection, and prints
# (instructions after both - instructions after the warm-up alone) / REQUESTS, for an empty
# policy and for gdpr, with the default audit settings. Start-up, policy compilation and
# shutdown cancel out. User-space instructions only: the kernel's share (sockets, fsync) is
# not counted, and valgrind runs SHA-256 in software, so hashing counts for more than it
# costs on a CPU with SHA extensions.
#
# PRIVGATE_BIN=path measures that build instead of building one; PRIVGATE_BASELINE=path also
# measures a second build, for a before/after. Compare counts taken with the same REQUESTS (the
# per-request figure moves by a few percent with it: memos fill, the writer's groups vary). Installs valgrind, nginx and python3 from
# Debian when missing. Takes about a minute per build and policy.
set -euo pipefail
cd "$(dirname "$0")/.."

REQUESTS="${1:-1000}"
WARMUP=200
UP_PORT=18481
PG_PORT=18483
PG_ADMIN=18493
WORK="$(mktemp -d /tmp/privgate-instructions.XXXXXX)"
PG_PID=""

cleanup() {
  [ -n "$PG_PID" ] && kill "$PG_PID" 2>/dev/null || true
  [ -f "$WORK/up.conf" ] && nginx -c "$WORK/up.conf" -s quit >/dev/null 2>&1 || true
  sleep 0.2
  rm -rf "$WORK"
}
trap cleanup EXIT

. benches/lib.sh
install_missing valgrind:valgrind nginx:nginx-light python3:python3 curl:curl
BIN="$(privgate_bin)"

cat > "$WORK/up.conf" <<EOF
worker_processes 1;
pid $WORK/up.pid;
error_log $WORK/up.err warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $WORK/b; proxy_temp_path $WORK/p; fastcgi_temp_path $WORK/f;
  uwsgi_temp_path $WORK/u; scgi_temp_path $WORK/s;
  server { listen 127.0.0.1:$UP_PORT; location / { client_max_body_size 2m; return 200 '{}'; } }
}
EOF
nginx -c "$WORK/up.conf"
printf 'policy: empty\nrules: []\n' > "$WORK/empty.yaml"

# Sends N track requests over one keep-alive connection; fails on any answer but 200.
send() { # count
  python3 - "$1" "$PG_PORT" benches/load/track_body.tpl <<'EOF'
import http.client, sys
count, port, template = int(sys.argv[1]), int(sys.argv[2]), open(sys.argv[3]).read().rstrip("\n")
bodies = [template % (i, i, i, i) for i in range(1, 101)]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
for k in range(count):
    conn.request("POST", "/api/track", body=bodies[k % 100], headers={"Content-Type": "application/json"})
    answer = conn.getresponse()
    answer.read()
    if answer.status != 200:
        sys.exit(f"request {k}: status {answer.status}")
EOF
}

# Total instructions of one privgate run that answers `count` requests.
instructions() { # binary, policy file, count
  local out="$WORK/callgrind.out"
  rm -rf "$WORK/data" "$out"
  cat > "$WORK/privgate.yaml" <<EOF
listen: 127.0.0.1:$PG_PORT
admin_listen: 127.0.0.1:$PG_ADMIN
upstream: http://127.0.0.1:$UP_PORT
policies: [$2]
data_dir: $WORK/data
workers: 1
EOF
  PRIVGATE_HASH_KEY=$(printf '%064d' 7) RUST_LOG=warn valgrind --tool=callgrind \
    --callgrind-out-file="$out" "$1" serve --config "$WORK/privgate.yaml" 2>"$WORK/valgrind.log" &
  PG_PID=$!
  for _ in $(seq 600); do
    curl -fs "http://127.0.0.1:$PG_ADMIN/readyz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  send "$3"
  kill -TERM "$PG_PID"
  wait "$PG_PID" || true
  PG_PID=""
  callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }'
}

per_request() { # binary, policy file
  local warm all
  warm=$(instructions "$1" "$2" "$WARMUP")
  all=$(instructions "$1" "$2" $((WARMUP + REQUESTS)))
  echo $(((all - warm) / REQUESTS))
}

echo "instructions per request (callgrind, all threads, $REQUESTS requests after $WARMUP)"
builds=("$BIN")
[ -n "${PRIVGATE_BASELINE:-}" ] && builds=("$PRIVGATE_BASELINE" "$BIN")
for build in "${builds[@]}"; do
  for policy in "$WORK/empty.yaml" "$PWD/policies/gdpr.yaml"; do
    printf '%-60s %-12s %8d\n' "$build" "$(basename "$policy" .yaml)" "$(per_request "$build" "$policy")"
  done
done
