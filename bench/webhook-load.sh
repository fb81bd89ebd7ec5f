#!/usr/bin/env bash
# The webhook over TLS, side by side with a baseline server in the same run (see BENCHMARKS.md).
#
#   bench/webhook-load.sh
#
# Starts, on 127.0.0.1 only:
#   webhook   java -jar target/daemonguard.jar webhook ... --log-format json (the real server, default policy)
#   baseline  io.daemonguard.bench.BaselineServer --mode bare    (same Vert.x, same TLS, reads the body, fixed allow)
#   router    io.daemonguard.bench.BaselineServer --mode router  (the same through vertx-web's Router + BodyHandler)
# all with the container image's JVM flags and the Helm chart's 384Mi memory limit (-XX:MaxRAM=384m), and measures:
#   time to ready    process start to the first 200 on GET /readyz
#   max throughput   wrk, 2 threads, 32 keep-alive HTTP/1.1 connections, POST of a real AdmissionReview
#                    (rounds of baseline / webhook allow / webhook deny / router, interleaved against drift)
#   fixed rate       h2load --h1, 10 keep-alive connections x 100 req/s = 1,000 req/s, per-request latencies
#   memory           the webhook's VmRSS sampled during its full-load runs, and VmHWM at the end
# and prints a summary table with the targets. Environment: DURATION (s per throughput run, default 10),
# ROUNDS (default 2), RATE_DURATION (s, default 20), JAVA_OPTS, WEBHOOK_JAR (default target/daemonguard.jar, e.g. a
# build of an older commit to measure "before"), ALLOW (the allowed body, default typical-pod; any name Bodies writes,
# e.g. typical-pod-without-managed-fields), REBUILD=1 rebuilds the jar and the benchmark classes, KEEP=1 keeps the
# work directory.
set -euo pipefail

cd "$(dirname "$0")/.."
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
RATE_DURATION=${RATE_DURATION:-20}
WARMUP=${WARMUP:-5}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
RATE_CLIENTS=10
RATE_PER_CLIENT=100
PORT_WEBHOOK=${PORT_WEBHOOK:-18443}
PORT_BASELINE=${PORT_BASELINE:-18444}
PORT_ROUTER=${PORT_ROUTER:-18445}
WEBHOOK_JAR=${WEBHOOK_JAR:-target/daemonguard.jar}
# what the image's ENTRYPOINT gives the JVM, in a container limited to 384Mi as the chart does
JAVA_OPTS=${JAVA_OPTS:-"-XX:MaxRAM=384m -XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=10 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"}

log() { printf '== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v h2load >/dev/null || missing+=(nghttp2-client)
command -v curl >/dev/null || missing+=(curl)
command -v openssl >/dev/null || missing+=(openssl)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null; apt-get install -y -q "${missing[@]}" >/dev/null; }
fi
command -v java >/dev/null || { echo "java 17+ is needed" >&2; exit 2; }

# --- build -------------------------------------------------------------------------------------------------------
if command -v mvn >/dev/null; then MVN=mvn; else MVN=./mvnw; fi
mvn_quiet() { "$MVN" -q -o "$@" || "$MVN" -q "$@"; }
if [[ ! -f target/daemonguard.jar || ${REBUILD:-0} == 1 ]]; then
  log "building target/daemonguard.jar"
  mvn_quiet -DskipTests package
fi
if [[ ! -f target/test-classes/io/daemonguard/bench/BaselineServer.class || ${REBUILD:-0} == 1 ]]; then
  log "compiling the benchmark sources (-Pbench)"
  mvn_quiet -Pbench -DskipTests test-compile
fi
# the baseline and the body generator need only Vert.x and Jackson, which the webhook's jar carries: same versions
BENCH_CP="target/daemonguard.jar:target/test-classes"

# --- work directory, certificate, bodies -------------------------------------------------------------------------
WORK=$(mktemp -d /tmp/daemonguard-load.XXXXXX)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# RSA 2048, as the chart's genSelfSignedCert and the tests' TestCertificates make it
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 1 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$WORK/tls.key" -out "$WORK/tls.crt" 2>/dev/null
java -cp "$BENCH_CP" io.daemonguard.bench.Bodies "$WORK/bodies" >/dev/null
ALLOW=${ALLOW:-typical-pod}
ALLOW_BODY=$WORK/bodies/$ALLOW.json
[[ -f $ALLOW_BODY ]] || { echo "ALLOW=$ALLOW: no such body; Bodies writes: $(ls "$WORK/bodies" | sed 's/\.json$//' | paste -sd' ')" >&2; exit 2; }
DENY_BODY=$WORK/bodies/denied-pod.json

cat >"$WORK/post.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
done = function(summary, latency, requests)
  local e = summary.errors
  local out = assert(io.open(os.getenv("OUT"), "w"))
  out:write(string.format("%d %.1f %d %.0f %.0f %.0f %.0f\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
  out:close()
end
EOF

# --- servers -----------------------------------------------------------------------------------------------------
now_ms() { date +%s%3N; }

# start NAME PORT COMMAND...: starts it, waits for GET /readyz = 200, records the pid and the time to ready
start() {
  local name=$1 port=$2
  shift 2
  local t0 code
  t0=$(now_ms)
  "$@" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  while :; do
    code=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 1 "https://127.0.0.1:$port/readyz" || true)
    [[ $code == 200 ]] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited before it was ready:" >&2
      tail -20 "$WORK/$name.log" >&2
      exit 1
    fi
    if (($(now_ms) - t0 > 30000)); then echo "$name not ready after 30 s" >&2; exit 1; fi
    sleep 0.01
  done
  printf '%s' $(($(now_ms) - t0)) >"$WORK/$name.ready_ms"
  echo $(($(now_ms) - t0)) >>"$WORK/$name.ready_all"
  printf '%s' "$pid" >"$WORK/$name.pid"
}

# time to ready varies with what else the machine does: READY_STARTS starts (default 3), the last one is kept
for ((i = 1; i <= ${READY_STARTS:-3}; i++)); do
  if ((i > 1)); then kill "$(cat "$WORK/webhook.pid")"; wait "$(cat "$WORK/webhook.pid")" 2>/dev/null || true; fi
  # shellcheck disable=SC2086
  start webhook "$PORT_WEBHOOK" java $JAVA_OPTS -jar "$WEBHOOK_JAR" webhook --host 127.0.0.1 \
    --port "$PORT_WEBHOOK" --tls-cert "$WORK/tls.crt" --tls-key "$WORK/tls.key" --log-format json
done
# shellcheck disable=SC2086
start baseline "$PORT_BASELINE" java $JAVA_OPTS -cp "$BENCH_CP" io.daemonguard.bench.BaselineServer --host 127.0.0.1 \
  --port "$PORT_BASELINE" --tls-cert "$WORK/tls.crt" --tls-key "$WORK/tls.key" --mode bare
# shellcheck disable=SC2086
start router "$PORT_ROUTER" java $JAVA_OPTS -cp "$BENCH_CP" io.daemonguard.bench.BaselineServer --host 127.0.0.1 \
  --port "$PORT_ROUTER" --tls-cert "$WORK/tls.crt" --tls-key "$WORK/tls.key" --mode router
WEBHOOK_PID=$(cat "$WORK/webhook.pid")
log "ready: webhook $(paste -sd/ "$WORK/webhook.ready_all") ms, baseline $(cat "$WORK/baseline.ready_ms") ms," \
  "router $(cat "$WORK/router.ready_ms") ms"

# the bodies get the verdicts they are meant to get, and the servers answer them
post() { curl -sk --fail-with-body -H 'Content-Type: application/json' --data-binary "@$2" "https://127.0.0.1:$1/validate"; }
expect() { # expect PORT BODY TEXT WHAT
  local answer
  answer=$(post "$1" "$2") || { echo "$4: POST /validate failed: $answer" >&2; exit 1; }
  [[ $answer == *"$3"* ]] || { echo "$4: expected $3 in $answer" >&2; exit 1; }
}
expect "$PORT_WEBHOOK" "$ALLOW_BODY" '"allowed":true' "webhook, typical pod"
expect "$PORT_WEBHOOK" "$DENY_BODY" '"allowed":false' "webhook, denied pod"
expect "$PORT_BASELINE" "$ALLOW_BODY" '"allowed":true' "baseline"
expect "$PORT_ROUTER" "$ALLOW_BODY" '"allowed":true' "router baseline"

rss_kb() { awk -v f="$2" '$1 == f":" {print $2}' "/proc/$1/status"; }
# user + system CPU time of a process, in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
CLK_TCK=$(getconf CLK_TCK)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# wrk_run NAME PORT BODY SECONDS: one max-throughput run, result line appended to $WORK/NAME.wrk
wrk_run() {
  local name=$1 port=$2 body=$3 seconds=$4 sampler='' server ticks
  server=$(cat "$WORK/${name%%-*}.pid")
  ticks=$(cpu_ticks "$server")
  if [[ $name == webhook-* ]]; then
    (while kill -0 "$WEBHOOK_PID" 2>/dev/null; do rss_kb "$WEBHOOK_PID" VmRSS >>"$WORK/webhook.rss"; sleep 0.5; done) &
    sampler=$!
  fi
  BODY=$body OUT=$WORK/out.tmp wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --timeout 5s -s "$WORK/post.lua" \
    "https://127.0.0.1:$port/validate" >"$WORK/wrk.stdout"
  ticks=$(($(cpu_ticks "$server") - ticks))
  if [[ -n $sampler ]]; then kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true; fi
  # the server's own CPU time per request: what the other work on the machine does not change much
  awk -v t="$ticks" -v hz="$CLK_TCK" '{printf "%s %.1f\n", $0, t / hz * 1e6 / $1}' "$WORK/out.tmp" >>"$WORK/$name.wrk"
}

log "warm-up: ${WARMUP}s each"
for target in "baseline $PORT_BASELINE $ALLOW_BODY" "webhook-allow $PORT_WEBHOOK $ALLOW_BODY" \
  "webhook-deny $PORT_WEBHOOK $DENY_BODY" "router $PORT_ROUTER $ALLOW_BODY"; do
  read -r name port body <<<"$target"
  wrk_run "$name" "$port" "$body" "$WARMUP"
  rm -f "$WORK/$name.wrk"
done
rm -f "$WORK/webhook.rss"

for ((round = 1; round <= ROUNDS; round++)); do
  log "max throughput, round $round/$ROUNDS: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, 4 servers/bodies"
  wrk_run baseline "$PORT_BASELINE" "$ALLOW_BODY" "$DURATION"
  wrk_run webhook-allow "$PORT_WEBHOOK" "$ALLOW_BODY" "$DURATION"
  wrk_run webhook-deny "$PORT_WEBHOOK" "$DENY_BODY" "$DURATION"
  wrk_run router "$PORT_ROUTER" "$ALLOW_BODY" "$DURATION"
done

# rate_run NAME PORT BODY: 1,000 req/s for RATE_DURATION s after 2 s of warm-up; per-request log to NAME.h2log
rate_run() {
  local name=$1 port=$2 body=$3
  log "fixed rate: $name at $((RATE_CLIENTS * RATE_PER_CLIENT)) req/s for ${RATE_DURATION}s"
  h2load --h1 -c "$RATE_CLIENTS" --rps "$RATE_PER_CLIENT" -D "$RATE_DURATION" --warm-up-time 2 \
    -H 'Content-Type: application/json' -d "$body" --log-file "$WORK/$name.h2log" \
    "https://127.0.0.1:$port/validate" >"$WORK/$name.h2load" 2>&1
}
rate_run webhook-allow "$PORT_WEBHOOK" "$ALLOW_BODY"
rate_run baseline "$PORT_BASELINE" "$ALLOW_BODY"

HWM_KB=$(rss_kb "$WEBHOOK_PID" VmHWM)

# --- summary -----------------------------------------------------------------------------------------------------
# mean over the rounds: req/s and server CPU us/request; the worst round's latency percentiles (us)
wrk_summary() {
  awk '{n++; rps += $2; err += $3; cpu += $8; if ($4 > p50) p50 = $4; if ($5 > p99) p99 = $5; if ($6 > p999) p999 = $6}
       END {printf "%.0f %d %.2f %.2f %.2f %.0f\n", rps / n, err, p50 / 1000, p99 / 1000, p999 / 1000, cpu / n}' \
    "$WORK/$1.wrk"
}
# percentiles of an h2load log (start us, status, elapsed us; h2load logs no warm-up request); req/s over its span
rate_summary() {
  awk '{print $1, $2, $3}' "$WORK/$1.h2log" | sort -n -k1,1 | awk '
    {n++; if ($2 != 200) err++; lat[n] = $3; if ($1 > tl) tl = $1; if (!tf) tf = $1}
    END {print n + 0, err + 0, (tl > tf ? n / ((tl - tf) / 1e6) : 0); for (i = 1; i <= n; i++) print lat[i]}' \
    >"$WORK/$1.lat"
  local n err rps
  read -r n err rps <"$WORK/$1.lat"
  tail -n +2 "$WORK/$1.lat" | sort -n | awk -v n="$n" -v err="$err" -v rps="$rps" '
    {v[NR] = $1}
    function pct(p,  i) {i = int(p / 100 * n + 0.999999); if (i < 1) i = 1; if (i > n) i = n; return v[i] / 1000}
    END {printf "%.0f %d %.2f %.2f %.2f\n", rps, err, pct(50), pct(99), pct(99.9)}'
}

read -r B_RPS B_ERR B_P50 B_P99 B_P999 B_CPU <<<"$(wrk_summary baseline)"
read -r A_RPS A_ERR A_P50 A_P99 A_P999 A_CPU <<<"$(wrk_summary webhook-allow)"
read -r D_RPS D_ERR D_P50 D_P99 D_P999 D_CPU <<<"$(wrk_summary webhook-deny)"
read -r R_RPS R_ERR R_P50 R_P99 R_P999 R_CPU <<<"$(wrk_summary router)"
read -r FA_RPS FA_ERR FA_P50 FA_P99 FA_P999 <<<"$(rate_summary webhook-allow)"
read -r FB_RPS FB_ERR FB_P50 FB_P99 FB_P999 <<<"$(rate_summary baseline)"
RSS_MAX_KB=$(sort -n "$WORK/webhook.rss" | tail -1)

verdict() { awk -v ok="$1" 'BEGIN {print (ok == 1) ? "met" : "MISSED"}'; }
RATIO=$(awk -v a="$A_RPS" -v b="$B_RPS" 'BEGIN {printf "%.0f", 100 * a / b}')
RATIO_D=$(awk -v a="$D_RPS" -v b="$B_RPS" 'BEGIN {printf "%.0f", 100 * a / b}')
RATIO_R=$(awk -v a="$A_RPS" -v b="$R_RPS" 'BEGIN {printf "%.0f", 100 * a / b}')
READY=$(sort -n "$WORK/webhook.ready_all" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
READY_ALL=$(paste -sd/ "$WORK/webhook.ready_all")

cat <<EOF

daemonguard webhook load test, $(date -u +%Y-%m-%dT%H:%MZ)
machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(java -version 2>&1 | head -1)
webhook: $WEBHOOK_JAR; JVM flags: $JAVA_OPTS
bodies: $ALLOW $(wc -c <"$ALLOW_BODY") bytes (allowed), denied pod $(wc -c <"$DENY_BODY") bytes (2 violations, INFO log line each)
max throughput: wrk -t$THREADS -c$CONNECTIONS, HTTP/1.1 keep-alive over TLS, ${ROUNDS}x${DURATION}s per row (mean req/s; worst round's percentiles)
fixed rate: h2load --h1 -c$RATE_CLIENTS --rps $RATE_PER_CLIENT (1,000 req/s), ${RATE_DURATION}s after 2s warm-up
load average (1/5/15 min): $LOAD_BEFORE at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end
server CPU: the server process's own user+system time per request during the max-throughput runs

| run                                |   req/s |  p50 ms |  p99 ms | p99.9 ms | errors | server CPU us/req |
|------------------------------------|--------:|--------:|--------:|---------:|-------:|------------------:|
$(printf '| %-34s | %7s | %7s | %7s | %8s | %6s | %17s |\n' \
  "baseline (bare Vert.x), max" "$B_RPS" "$B_P50" "$B_P99" "$B_P999" "$B_ERR" "$B_CPU" \
  "baseline (Router+BodyHandler), max" "$R_RPS" "$R_P50" "$R_P99" "$R_P999" "$R_ERR" "$R_CPU" \
  "webhook, allowed pod, max" "$A_RPS" "$A_P50" "$A_P99" "$A_P999" "$A_ERR" "$A_CPU" \
  "webhook, denied pod, max" "$D_RPS" "$D_P50" "$D_P99" "$D_P999" "$D_ERR" "$D_CPU" \
  "baseline, 1000 req/s" "$FB_RPS" "$FB_P50" "$FB_P99" "$FB_P999" "$FB_ERR" "" \
  "webhook, allowed pod, 1000 req/s" "$FA_RPS" "$FA_P50" "$FA_P99" "$FA_P999" "$FA_ERR" "")

| target                                   | measured                                  | verdict |
|------------------------------------------|-------------------------------------------|---------|
$(printf '| %-40s | %-41s | %-7s |\n' \
  "throughput >= 70% of the baseline's" "${RATIO}% (denied pod ${RATIO_D}%; vs Router ${RATIO_R}%)" \
  "$(verdict "$(awk -v r="$RATIO" 'BEGIN {print (r >= 70)}')")" \
  "p99 < 2 ms at 1,000 req/s" "${FA_P99} ms (p50 ${FA_P50}, p99.9 ${FA_P999})" \
  "$(verdict "$(awk -v p="$FA_P99" -v r="$FA_RPS" -v e="$FA_ERR" 'BEGIN {print (p < 2 && r > 900 && e == 0)}')")" \
  "RSS < 256 MB at full load" "max VmRSS $((RSS_MAX_KB / 1024)) MB, VmHWM $((HWM_KB / 1024)) MB" \
  "$(verdict "$(awk -v k="$HWM_KB" 'BEGIN {print (k < 256 * 1024)}')")" \
  "ready within 3 s of start" "median ${READY} ms ($READY_ALL; baseline $(cat "$WORK/baseline.ready_ms"))" \
  "$(verdict "$(awk -v r="$READY" 'BEGIN {print (r < 3000)}')")")
EOF
