#!/usr/bin/env bash
# scan-node's wall time and peak memory (see BENCHMARKS.md, part 4): the jar run as a command, as a person or the
# scan Job runs it, on this machine's real root and on a large synthetic host root.
#
#   bench/scan-node.sh
#
# Each case runs RUNS times (default 5) under /usr/bin/time: wall time (process start to exit, JVM start included)
# and peak resident memory (ru_maxrss, the kernel's own high-water mark). Prints every run, then median and max.
# Environment: RUNS, PROCESSES (synthetic, default 5000), LISTENERS (default 2000), JAVA_OPTS (default: the image's
# ENTRYPOINT flags; SCAN_OPTS is fixed below), REBUILD=1 rebuilds the jar and the benchmark classes, KEEP=1 keeps the synthetic root.
# Targets (issue 13): under 2 s and under 128 MB.
set -euo pipefail

cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
PROCESSES=${PROCESSES:-5000}
LISTENERS=${LISTENERS:-2000}
JAVA_OPTS=${JAVA_OPTS:-"-XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=10 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError"}

log() { printf '== %s\n' "$*" >&2; }
[[ -x /usr/bin/time ]] || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }

if [[ ! -f target/daemonguard.jar || ${REBUILD:-0} == 1 ]]; then
  log "building target/daemonguard.jar"
  ./mvnw -B -ntp -q -o package -DskipTests
fi
if [[ ! -f target/test-classes/io/daemonguard/bench/SyntheticHost.class || ${REBUILD:-0} == 1 ]]; then
  log "compiling the benchmark classes"
  ./mvnw -B -ntp -q -Pbench -DskipTests test-compile  # not offline: the first run fetches JMH and build-helper
fi

work=$(mktemp -d /tmp/scan-node-bench.XXXXXX)
[[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$work"' EXIT
log "generating the synthetic host root"
java -cp target/test-classes io.daemonguard.bench.SyntheticHost "$work/root" "$PROCESSES" "$LISTENERS" >&2

run_case() {
  local name=$1; shift
  local times=() rss=()
  for ((i = 1; i <= RUNS; i++)); do
    local out
    # exit 1 (a finding) is a result, not a failure
    out=$( { /usr/bin/time -f '%e %M' java $JAVA_OPTS -jar target/daemonguard.jar scan-node "$@" \
      -o json --output-file "$work/report.json" >/dev/null; } 2>&1 | tail -1) || true
    times+=("${out% *}"); rss+=("${out#* }")
    printf '%-34s run %d: %6.2f s  %6.1f MB\n' "$name" "$i" "${out% *}" "$(echo "${out#* } / 1024" | bc -l)"
  done
  local median max
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  max=$(printf '%s\n' "${rss[@]}" | sort -n | tail -1)
  printf '%-34s median %.2f s, peak RSS max %.1f MB; findings: %s\n' "$name" "$median" \
    "$(echo "$max / 1024" | bc -l)" \
    "$(python3 -c 'import json,sys; print(", ".join(f["check"]+" "+f["severity"] for f in json.load(open(sys.argv[1]))["findings"]) or "none")' "$work/report.json")"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)"
echo "JAVA_OPTS: $JAVA_OPTS"
# the image's flags with no memory limit (a 24 GB host gives a 2.4 GB initial heap), the same in a container limited
# to 128Mi (-XX:MaxRAM=128m), and the scan flags: the chart's scan pod (operator.nodeScan.jvmOptions) and the README's
# docker run use exactly these
SCAN_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx96m -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
run_case "real root, image flags" --host-root /
JAVA_OPTS="$JAVA_OPTS -XX:MaxRAM=128m" run_case "real root, image flags, 128Mi" --host-root /
JAVA_OPTS="$SCAN_OPTS" run_case "real root, scan flags" --host-root /
run_case "synthetic, image flags" --host-root "$work/root"
JAVA_OPTS="$JAVA_OPTS -XX:MaxRAM=128m" run_case "synthetic, image flags, 128Mi" --host-root "$work/root"
JAVA_OPTS="$SCAN_OPTS" run_case "synthetic, scan flags" --host-root "$work/root"
