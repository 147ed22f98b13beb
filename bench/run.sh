#!/usr/bin/env bash
# invoice-harvester benchmarks (see bench/README.md for what they measure and the last results).
# Usage: bench/run.sh [harvest|csv|startup|all]     Env: BENCH_FILES (1000), BENCH_CSV_BYTES (1000000000)
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
FILES=${BENCH_FILES:-1000}
CSV_BYTES=${BENCH_CSV_BYTES:-1000000000}
LATENCY_MS=100
CONCURRENCY=8
JAR=target/invoice-harvester.jar
CP="target/test-classes:target/classes:target/lib/*"
WORK=$(mktemp -d /tmp/harvester-bench.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done; [ -n "${BENCH_KEEP:-}" ] || rm -rf "$WORK"; }
trap cleanup EXIT

./mvnw -q -B -DskipTests package test-compile

now_ms() { date +%s%3N; }
fail() { echo "the $1 run failed:" >&2; tail -20 "$WORK/$1.log" >&2; exit 1; }

# start_sandbox NAME ARGS... : sets SB_URL and SB_EDGERC
start_sandbox() {
  local name=$1; shift
  java -jar "$JAR" sandbox --port 0 "$@" > "$WORK/$name.sandbox.out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do grep -q '^\[sandbox\]' "$WORK/$name.sandbox.out" && break; sleep 0.1; done
  SB_URL=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/$name.sandbox.out" | head -1)
  SB_EDGERC="$WORK/$name.edgerc"
  sed -n '/^\[sandbox\]/,/^$/p' "$WORK/$name.sandbox.out" > "$SB_EDGERC"
  chmod 600 "$SB_EDGERC"
}

# config NAME EXTRA... : a harvester configuration against the last sandbox, with folders of its own
config() {
  local name=$1; shift
  {
    echo "harvester.akamai.edgerc=$SB_EDGERC"
    echo "harvester.akamai.section=sandbox"
    echo "harvester.akamai.base-url=$SB_URL"
    echo "harvester.output.dir=$WORK/$name/out"
    echo "harvester.drop.uri=file:$WORK/$name/drop"
    echo "harvester.state.url=jdbc:h2:file:$WORK/$name/state/harvester"
    echo "harvester.mail.when=never"
    for kv in "$@"; do echo "$kv"; done
  } > "$WORK/$name.properties"
  echo "$WORK/$name.properties"
}

# run_ms LOG: the harvest run's own wall time, from its first and last log lines (JVM start excluded)
run_ms() {
  awk '/ started \(once\)/ && !s { s = $1 } /-> exit code/ { e = $1 }
       function ms(t, a) { split(t, a, /[:.]/); return ((a[1] * 60 + a[2]) * 60 + a[3]) * 1000 + a[4] }
       END { print ms(e) - ms(s) }' "$1"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
ceil_div() { echo $(( ($1 + $2 - 1) / $2 )); }

bench_harvest() {
  start_sandbox harvest --latency-ms "$LATENCY_MS" --bench-files "$FILES"
  local requests=$((FILES + 1))

  local cfg t0 t1 wall bound
  cfg=$(config fast "harvester.concurrency=$CONCURRENCY" "harvester.akamai.requests-per-minute=1000000")
  t0=$(now_ms); java -jar "$JAR" once --config "$cfg" --month 2025-01 > "$WORK/fast.log" 2>&1 || fail fast; t1=$(now_ms)
  wall=$(run_ms "$WORK/fast.log")
  bound=$(( $(ceil_div "$requests" "$CONCURRENCY") * LATENCY_MS ))
  read -r _ base_wall < <(java -cp "$CP" io.invoiceharvester.bench.SequentialBaseline "$SB_URL" "$SB_EDGERC" sandbox 2025-01)
  echo "harvest  $requests requests, ${LATENCY_MS} ms each, concurrency $CONCURRENCY: run wall $wall ms ($((t1 - t0)) ms with JVM start);" \
       "concurrency bound $bound ms -> $(ratio "$wall" "$bound")x the bound;" \
       "sequential baseline $base_wall ms -> $(ratio "$base_wall" "$wall")x faster"

  cfg=$(config paced "harvester.concurrency=$CONCURRENCY")
  t0=$(now_ms); java -jar "$JAR" once --config "$cfg" --month 2025-01 > "$WORK/paced.log" 2>&1 || fail paced; t1=$(now_ms)
  wall=$(run_ms "$WORK/paced.log")
  bound=$(( (requests - 1) * 60000 / 500 + LATENCY_MS ))
  echo "harvest  $requests requests at the default 500 requests/minute: run wall $wall ms ($((t1 - t0)) ms with JVM start);" \
       "rate-limit bound $bound ms -> $(ratio "$wall" "$bound")x the bound"
}

bench_csv() {
  read -r rows bytes < <(java -cp "$CP" io.invoiceharvester.bench.ComputeCsvGenerator "$WORK/compute.csv" "$CSV_BYTES")
  start_sandbox csv --bench-files 0 --compute-csv "$WORK/compute.csv"
  local cfg
  cfg=$(config csv "harvester.download.max-bytes=4000000000")
  /usr/bin/time -f "%e %M" -o "$WORK/csv.time" \
    java -Xmx256m -Xlog:gc:file="$WORK/gc.log" -jar "$JAR" once --config "$cfg" --month 2025-01 > "$WORK/csv.log" 2>&1 || true
  local line ingest_rate peak_heap wall rss oom
  line=$(grep -o 'lines in [0-9]* ms ([0-9]* lines/s)' "$WORK/csv.log" | tail -1)
  ingest_rate=$(echo "$line" | grep -o '([0-9]*' | tr -d '(')
  peak_heap=$(grep -oE '[0-9]+M->' "$WORK/gc.log" | tr -d 'M>-' | sort -n | tail -1)
  read -r wall rss < "$WORK/csv.time"
  oom=$(grep -c 'OutOfMemoryError' "$WORK/csv.log" || true)
  read -r bare_rows bare_ms < <(java -Xmx256m -cp "$CP" io.invoiceharvester.bench.BareCsvParse "$WORK/compute.csv")
  local bare_rate=$(( bare_rows * 1000 / bare_ms ))
  echo "csv      $((bytes / 1000000)) MB, $rows rows, -Xmx256m: ingested at ${ingest_rate:-?} rows/s ($line);" \
       "bare commons-csv loop $bare_rate rows/s -> $(ratio "${ingest_rate:-0}" "$bare_rate")x;" \
       "peak heap ${peak_heap:-?} MB, peak RSS $((rss / 1024)) MB, whole run ${wall} s, OutOfMemoryError: $oom"
}

bench_startup() {
  start_sandbox startup
  local cfg pid t0 t1 rss
  cfg=$(config startup "harvester.schedule.cron=0 0 0 1 1 ? 2099")
  t0=$(now_ms)
  java -jar "$JAR" run --config "$cfg" > "$WORK/startup.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  for _ in $(seq 1 600); do grep -q 'started in' "$WORK/startup.log" && break; sleep 0.01; done
  t1=$(now_ms)
  sleep 15
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill "$pid"
  echo "startup  routes started $((t1 - t0)) ms after launch (JVM start included; Camel says:" \
       "$(grep -o 'started in [^)]*)' "$WORK/startup.log" | head -1)); idle RSS after 15 s: $rss MB"
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
case $what in
  harvest) bench_harvest ;;
  csv) bench_csv ;;
  startup) bench_startup ;;
  all) bench_harvest; bench_csv; bench_startup ;;
  *) echo "usage: bench/run.sh [harvest|csv|startup|all]" >&2; exit 2 ;;
esac
