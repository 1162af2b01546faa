#!/usr/bin/env bash
# Compares Meshproof's load engine (Gatling-driven, µs HdrHistogram) with wrk on one echo target, 127.0.0.1 only:
#   1. maximum rate: wrk's closed-loop maximum (4 connections) vs the engine's highest sustained open-model rate
#      (achieved >= 99 % of requested, no errors, p99 < 50 ms, i.e. no queue building up), stepping up the rate
#      until two steps in a row are not sustained (one step can fail on a noisy machine);
#   2. p50 agreement at a moderate rate: wrk -c1 (closed loop, one connection) vs the engine's p50 from the
#      intended send time and from the actual send (service time).
# Usage: scripts/bench-engine-vs-wrk.sh [--agent]   (--agent: use './meshproof agent' as the echo target)
# Env: DURATION (s, default 10), MODERATE_RATE (default 500), RATES (engine steps, default "1000 2000 4000 6000 8000 12000 16000")
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DURATION="${DURATION:-10}"
MODERATE_RATE="${MODERATE_RATE:-500}"
RATES="${RATES:-2000 4000 8000 12000 16000 20000 24000 28000 32000 36000 40000 48000 56000}"
PORT="${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
work="$(mktemp -d /tmp/meshproof-vs-wrk.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing Debian's wrk"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
[[ -f harness/target/meshproof-harness.jar ]] || ./mvnw -B -q -DskipTests package

url="http://127.0.0.1:$PORT/"
if [[ "${1:-}" == "--agent" ]]; then
  url="http://127.0.0.1:$PORT/echo"
  echo "== target: the agent's echo server (./meshproof agent --http-port $PORT)"
  ./meshproof agent --http-port "$PORT" --tcp-port $((PORT + 1)) >"$work/target.log" 2>&1 &
else
  echo "== target: scripts/EchoServer.java (JDK HttpServer, 4 worker threads); rerun with --agent once the agent exists"
  java scripts/EchoServer.java "$PORT" >"$work/target.log" 2>&1 &
fi
pids+=($!)
for _ in $(seq 1 60); do
  kill -0 "${pids[-1]}" 2>/dev/null || { echo "target exited; see $work/target.log"; exit 3; }
  curl -fsS -o /dev/null "$url" 2>/dev/null && break
  sleep 0.5
done
curl -fsS -o /dev/null "$url" || { echo "target did not come up; see $work/target.log"; exit 3; }

engine() { # rate connections out -> prints "achieved errors p50 p99 service_p50"
  ./meshproof bench --target "$url" --rate "$1" --duration "${DURATION}s" --warmup 3s --connections "$2" \
    --out "$3" >"$3.log" 2>&1 || true
  python3 - "$3/benchmark.json" <<'PY'
import json, sys
try:
    m = json.load(open(sys.argv[1]))["modes"][0]
    print(m["achievedRate"], m["errors"], m["latencyMicros"]["p50"], m["latencyMicros"]["p99"], m["serviceTimeMicros"]["p50"])
except Exception:
    print("0 -1 0 0 0")
PY
}

echo "== warming the target with wrk (5 s)"
wrk -t1 -c4 -d5s "$url" >/dev/null

echo "== wrk maximum rate (-t1 -c4 -d${DURATION}s)"
wrk_max="$(wrk -t1 -c4 -d"${DURATION}s" "$url" | awk '/Requests\/sec/ {print $2}')"
echo "wrk: ${wrk_max} requests/s"

echo "== engine: highest sustained open-model rate (4 connections)"
best=0
misses=0
for rate in $RATES; do
  read -r achieved errors p50 p99 _ < <(engine "$rate" 4 "$work/engine-$rate")
  ok=$(python3 -c "print(int($achieved >= 0.99*$rate and $errors == 0 and 0 < $p99 < 50000))")
  printf 'engine at %6s rps: achieved %8.1f, errors %s, p50 %8.1f µs, p99 %9.1f µs -> %s (load average %s)\n' \
    "$rate" "$achieved" "$errors" "$p50" "$p99" "$([[ $ok == 1 ]] && echo sustained || echo not sustained)" \
    "$(cut -d' ' -f1 /proc/loadavg)"
  if [[ $ok == 1 ]]; then best=$rate; misses=0; else misses=$((misses + 1)); fi
  [[ $misses -ge 2 ]] && break
done
# wrk again: the machine's load may have changed while the engine stepped up; the ratio uses the mean of both
wrk_after="$(wrk -t1 -c4 -d"${DURATION}s" "$url" | awk '/Requests\/sec/ {print $2}')"
wrk_mean=$(python3 -c "print(f'{($wrk_max + $wrk_after) / 2:.0f}')")
ratio=$(python3 -c "print(f'{$best/$wrk_mean:.2f}')")
echo "max rate: engine ${best} rps sustained vs wrk ${wrk_max} (before) / ${wrk_after} (after) rps => ratio ${ratio} to their mean (target >= 0.5)"

echo "== p50 agreement at ${MODERATE_RATE} rps"
wrk_p50="$(wrk -t1 -c1 -d"${DURATION}s" --latency "$url" | awk '$1=="50%" {print $2}')"
read -r achieved errors p50 p99 service_p50 < <(engine "$MODERATE_RATE" 1 "$work/engine-moderate")
echo "wrk -c1 p50: ${wrk_p50} (closed loop, as fast as answers come)"
printf 'engine p50 at %s rps, 1 connection: %.1f µs from intended send, %.1f µs from actual send (achieved %.1f rps, errors %s)\n' \
  "$MODERATE_RATE" "$p50" "$service_p50" "$achieved" "$errors"
echo "outputs under $work"
