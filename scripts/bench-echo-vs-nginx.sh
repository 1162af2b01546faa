#!/usr/bin/env bash
# Max req/s and p99 of the agent's echo vs nginx serving a static 1 KB body, on loopback, same machine, same run.
# Both answer GET with a 1024-byte body over HTTP/1.1 keep-alive; wrk (Debian package) drives both the same way.
# Rounds alternate agent/nginx so that background load on a shared machine hits both sides alike; the spread
# across rounds is printed. Traffic goes only to 127.0.0.1. Needs: wrk, nginx (Debian), a built harness
# (./mvnw -B -DskipTests package) for ./meshproof agent.
#
# Usage: scripts/bench-echo-vs-nginx.sh [rounds=3] [seconds=10] [connections=64] [threads=2]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
rounds="${1:-3}"; secs="${2:-10}"; conns="${3:-64}"; threads="${4:-2}"
agent_port="${AGENT_PORT:-18480}"; agent_tcp="${AGENT_TCP_PORT:-18490}"; nginx_port="${NGINX_PORT:-18481}"

for tool in wrk nginx java; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install wrk nginx)" >&2; exit 3; }
done
[[ -f harness/target/meshproof-harness.jar ]] || { echo "error: harness not built; run ./mvnw -B -DskipTests package" >&2; exit 3; }

work="$(mktemp -d /tmp/meshproof-bench.XXXXXX)"
chmod 755 "$work" # nginx workers run as www-data and must read the body
agent_pid=""; nginx_pid_file="$work/nginx.pid"
cleanup() {
  [[ -n "$agent_pid" ]] && kill "$agent_pid" 2>/dev/null || true
  [[ -f "$nginx_pid_file" ]] && kill "$(cat "$nginx_pid_file")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# nginx: the static 1 KB body, no access log (the agent keeps none either), one worker per core, file cached.
mkdir -p "$work/html"
head -c 1024 /dev/zero | tr '\0' 'x' > "$work/html/echo"
cat > "$work/nginx.conf" <<NGINX
worker_processes auto;
pid $nginx_pid_file;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  sendfile on;                  # nginx at its best for a static file: no read per request,
  open_file_cache max=16;       # no open/stat per request
  open_file_cache_valid 1h;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/html;
    location = /echo { default_type application/json; }
  }
}
NGINX
nginx -c "$work/nginx.conf"

./meshproof agent --http-port "$agent_port" --tcp-port "$agent_tcp" > "$work/agent.log" 2>&1 &
agent_pid=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$agent_port/readyz" >/dev/null && break; sleep 0.5; done
curl -sf "http://127.0.0.1:$agent_port/readyz" >/dev/null || { echo "error: agent did not start"; cat "$work/agent.log"; exit 3; }

agent_url="http://127.0.0.1:$agent_port/echo?size=1024"
nginx_url="http://127.0.0.1:$nginx_port/echo"
a_bytes=$(curl -s "$agent_url" | wc -c); n_bytes=$(curl -s "$nginx_url" | wc -c)
echo "== body sizes: agent $a_bytes bytes, nginx $n_bytes bytes"
if [[ "$a_bytes" != 1024 || "$n_bytes" != 1024 ]]; then
  echo "error: both must answer 1024 bytes; see $work/nginx-error.log and $work/agent.log" >&2; exit 1
fi
echo "== wrk -t$threads -c$conns -d${secs}s, $rounds rounds, after a ${secs}s warm-up of each (JIT)"
wrk -t"$threads" -c"$conns" -d"${secs}s" "$agent_url" >/dev/null
wrk -t"$threads" -c"$conns" -d"${secs}s" "$nginx_url" >/dev/null

run() { # prints "req/s p99-in-ms"
  wrk -t"$threads" -c"$conns" -d"${secs}s" --latency "$1" | awk '
    /Requests\/sec:/ { rps = $2 }
    /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }; p99 = v }
    /Non-2xx/ { print "error: " $0 > "/dev/stderr"; bad = 1 }
    /Socket errors/ { print "note: " $0 > "/dev/stderr" }
    END { if (bad) exit 1; printf "%.0f %.2f\n", rps, p99 }'
}

printf "%-6s %12s %10s %12s %10s %7s\n" round agent_rps agent_p99 nginx_rps nginx_p99 ratio
ratios=()
for r in $(seq 1 "$rounds"); do
  read -r a_rps a_p99 < <(run "$agent_url")
  read -r n_rps n_p99 < <(run "$nginx_url")
  ratio=$(awk -v a="$a_rps" -v n="$n_rps" 'BEGIN { printf "%.2f", a / n }')
  ratios+=("$ratio")
  printf "%-6s %12s %8sms %12s %8sms %7s\n" "$r" "$a_rps" "$a_p99" "$n_rps" "$n_p99" "$ratio"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "== agent/nginx req/s ratio: median %.2f (min %.2f, max %.2f over %d rounds); target >= 0.70\n", v[int((NR + 1) / 2)], v[1], v[NR], NR }'
echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (shared machine: other work may skew single rounds)"
