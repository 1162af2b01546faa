#!/usr/bin/env bash
# Compares Meshproof's load engine (Gatling-driven, µs HdrHistogram) with wrk on one echo target, 127.0.0.1 only:
#   1. maximum rate: wrk's closed-loop maximum (4 connections) vs the engine's highest sustained open-model rate
#      (achieved >= 99 % of requested, no errors, p99 < 50 ms, i.e. no queue building up), stepping up the rate
#      until two steps in a row are not sustained (one step can fail on a noisy machine);
#   2. p50 agreement at a moderate rate: wrk -c1 (closed loop, one connection) vs the engine's p50 from the
#      intended send time and from the actual send (service time).
# Usage: scripts/bench-engine-vs-wrk.sh [--agent]   (--agent: use './meshproof agent' as the echo target)
# Env: DURATION (s, default 10), WARMUP (s, default 10: a cold JVM needs several seconds of full-rate load before its
#      JIT has compiled Gatling's request path; 3 s left the first seconds of the window behind at 12 000 rps),
#      MODERATE_RATE (default 500), RATES (engine steps), PIN (default 1 with 2+ CPUs: the target runs on CPU 1, wrk and
#      the engine on CPU 0, so both generators get the same one core and never compete with the target; 0: unpinned).
# Two maxima: "sustained" = achieved >= 99 % of the requested rate, no errors, and the generator's own delay at p99
# (p99 from the intended send minus p99 from the actual send) under 50 ms, i.e. no queue building up;
# "valid" = sustained and a valid run by Meshproof's own rule (no unsent arrivals, the generator moved no percentile by
# more than the gate allows; docs/benchmarks.md, "Validity"). TARGET_QUERY (e.g. delayMs=10 with --agent) is appended
# to the target URL; CONNECTIONS (default 4) is used by wrk and the engine alike.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-10}"
PIN="${PIN:-$([[ $(nproc) -ge 2 ]] && echo 1 || echo 0)}"
if [[ "$PIN" == 1 ]]; then on_target=(taskset -c 1); on_generator=(taskset -c 0); else on_target=(); on_generator=(); fi
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
CONNECTIONS="${CONNECTIONS:-4}"
if [[ "${1:-}" == "--agent" ]]; then
  url="http://127.0.0.1:$PORT/echo${TARGET_QUERY:+?$TARGET_QUERY}"
  echo "== target: the agent's echo server (./meshproof agent --http-port $PORT)"
  "${on_target[@]}" ./meshproof agent --http-port "$PORT" --tcp-port $((PORT + 1)) >"$work/target.log" 2>&1 &
else
  echo "== target: scripts/EchoServer.java (JDK HttpServer, 4 worker threads); rerun with --agent once the agent exists"
  "${on_target[@]}" java scripts/EchoServer.java "$PORT" >"$work/target.log" 2>&1 &
fi
pids+=($!)
for _ in $(seq 1 60); do
  kill -0 "${pids[-1]}" 2>/dev/null || { echo "target exited; see $work/target.log"; exit 3; }
  curl -fsS -o /dev/null "${url%%\?*}" 2>/dev/null && break
  sleep 0.5
done
curl -fsS -o /dev/null "${url%%\?*}" || { echo "target did not come up; see $work/target.log"; exit 3; }

engine() { # rate connections out -> prints "achieved errors p50 p99 service_p50 valid service_p99 max_hiccup_ms"
  "${on_generator[@]}" ./meshproof bench --target "$url" --rate "$1" --duration "${DURATION}s" --warmup "${WARMUP}s" \
    --connections "$2" --out "$3" >"$3.log" 2>&1 || true
  python3 - "$3/benchmark.json" <<'PY'
import json, sys
try:
    m = json.load(open(sys.argv[1]))["modes"][0]
    print(m["achievedRate"], m["errors"], m["latencyMicros"]["p50"], m["latencyMicros"]["p99"], m["serviceTimeMicros"]["p50"],
          int(m["valid"]), m["serviceTimeMicros"]["p99"], m["repetitions"][0]["jvmPauses"]["maxHiccupMillis"])
except Exception:
    print("0 -1 0 0 0 0 0 0")
PY
}

echo "== warming the target with wrk (5 s)"
"${on_generator[@]}" wrk -t1 -c"$CONNECTIONS" -d5s "$url" >/dev/null

echo "== wrk maximum rate (-t1 -c$CONNECTIONS -d${DURATION}s)"
wrk_max="$("${on_generator[@]}" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$url" | awk '/Requests\/sec/ {print $2}')"
echo "wrk: ${wrk_max} requests/s"

echo "== engine: highest sustained open-model rate ($CONNECTIONS connections; warm-up ${WARMUP} s; pinned: $PIN)"
best=0
best_valid=0
misses=0
for rate in $RATES; do
  read -r achieved errors p50 p99 _ valid service_p99 hiccup < <(engine "$rate" "$CONNECTIONS" "$work/engine-$rate")
  ok=$(python3 -c "print(int($achieved >= 0.99*$rate and $errors == 0 and 0 < $p99 and $p99 - $service_p99 < 50000))")
  printf 'engine at %6s rps: achieved %8.1f, errors %s, p50 %8.1f µs, p99 %9.1f µs (%.1f from the actual send), max JVM hiccup %.1f ms, valid %s -> %s (load average %s)\n' \
    "$rate" "$achieved" "$errors" "$p50" "$p99" "$service_p99" "$hiccup" "$valid" \
    "$([[ $ok == 1 ]] && echo sustained || echo not sustained)" "$(cut -d' ' -f1 /proc/loadavg)"
  [[ $valid == 1 ]] || grep -h 'benchmark invalid' "$work/engine-$rate.log" | cut -c1-400 || true
  if [[ $ok == 1 ]]; then best=$rate; misses=0; else misses=$((misses + 1)); fi
  if [[ $ok == 1 && $valid == 1 ]]; then best_valid=$rate; fi
  [[ $misses -ge 2 ]] && break
done
# wrk again: the machine's load may have changed while the engine stepped up; the ratio uses the mean of both
wrk_after="$("${on_generator[@]}" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$url" | awk '/Requests\/sec/ {print $2}')"
wrk_mean=$(python3 -c "print(f'{($wrk_max + $wrk_after) / 2:.0f}')")
ratio=$(python3 -c "print(f'{$best/$wrk_mean:.2f}')")
ratio_valid=$(python3 -c "print(f'{$best_valid/$wrk_mean:.2f}')")
echo "max rate: engine ${best} rps sustained (${best_valid} rps sustained and valid) vs wrk ${wrk_max} (before) / ${wrk_after} (after) rps => ratio ${ratio} (valid: ${ratio_valid}) to their mean (target >= 0.5)"

if [[ -n "${TARGET_QUERY:-}" ]]; then
  echo "== p50 agreement skipped: it needs the plain echo (no TARGET_QUERY)"
else
  echo "== p50 agreement at ${MODERATE_RATE} rps"
  wrk_p50="$("${on_generator[@]}" wrk -t1 -c1 -d"${DURATION}s" --latency "$url" | awk '$1=="50%" {print $2}')"
  read -r achieved errors p50 p99 service_p50 _ < <(engine "$MODERATE_RATE" 1 "$work/engine-moderate")
  echo "wrk -c1 p50: ${wrk_p50} (closed loop, as fast as answers come)"
  printf 'engine p50 at %s rps, 1 connection: %.1f µs from intended send, %.1f µs from actual send (achieved %.1f rps, errors %s)\n' \
    "$MODERATE_RATE" "$p50" "$service_p50" "$achieved" "$errors"
fi
echo "outputs under $work"
