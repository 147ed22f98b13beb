#!/usr/bin/env bash
# invoice-harvester benchmarks (see bench/README.md for what they measure and the last results).
# Usage: bench/run.sh [harvest|backfill|csv|export|startup|commands|all]
# Env: BENCH_FILES (1000), BENCH_ACCOUNTS (500), BENCH_MONTHS (24), BENCH_CSV_BYTES (1000000000)
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-all}
FILES=${BENCH_FILES:-1000}
CSV_BYTES=${BENCH_CSV_BYTES:-1000000000}
ACCOUNTS=${BENCH_ACCOUNTS:-500}
MONTHS=${BENCH_MONTHS:-24}
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
  SB_KEYS=$(grep -o 'HARVESTER_AKAMAI_ACCOUNT_SWITCH_KEYS=[^ ]*' "$WORK/$name.sandbox.out" | cut -d= -f2)
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
  start_sandbox harvest --latency-ms "$LATENCY_MS" --bench-files "$FILES" --rate-limit 0
  local requests=$((FILES + 1))

  local cfg t0 t1 wall bound
  cfg=$(config fast "harvester.concurrency=$CONCURRENCY" "harvester.akamai.requests-per-minute=1000000")
  # (the sandbox's own 500/minute limit is switched off for this case: --rate-limit 0)
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

# A reseller's backfill: ACCOUNTS switch-key accounts x MONTHS months, 3 files an invoice, Akamai's limit
# enforced by the sandbox (its 429s counted), -Xmx256m.
bench_backfill() {
  start_sandbox backfill --latency-ms "$LATENCY_MS" --accounts "$ACCOUNTS" --months "$MONTHS"
  local cfg wall requests bound peak_heap rss refused from
  from=$(date -u -d "2025-01-01 -$((MONTHS - 1)) months" +%Y-%m)
  cfg=$(config backfill "harvester.concurrency=$CONCURRENCY" "harvester.akamai.account-switch-keys=$SB_KEYS")
  /usr/bin/time -f "%e %M" -o "$WORK/backfill.time" \
    java -Xmx256m -Xlog:gc:file="$WORK/backfill-gc.log" -jar "$JAR" once --config "$cfg" --from "$from" --to 2025-01 \
    > "$WORK/backfill.log" 2>&1 || fail backfill
  wall=$(run_ms "$WORK/backfill.log")
  requests=$(( ACCOUNTS * MONTHS * 4 ))
  bound=$(( $(ceil_div "$requests" "$CONCURRENCY") * LATENCY_MS ))
  peak_heap=$(grep -oE '[0-9]+M->' "$WORK/backfill-gc.log" | tr -d 'M>-' | sort -n | tail -1)
  read -r _ rss < "$WORK/backfill.time"
  kill "${PIDS[-1]}"; sleep 1
  refused=$(grep -o '[0-9]* refused with 429' "$WORK/backfill.sandbox.out" | cut -d' ' -f1)
  echo "backfill $ACCOUNTS accounts x $MONTHS months, $requests requests, ${LATENCY_MS} ms each, concurrency $CONCURRENCY, -Xmx256m:" \
       "run wall $wall ms; concurrency bound $bound ms -> $(ratio "$wall" "$bound")x the bound; 429s the sandbox answered: ${refused:-?};" \
       "$(grep -o '[0-9]* files listed, [0-9]* new' "$WORK/backfill.log" | tail -1); peak heap ${peak_heap:-?} MB, peak RSS $((rss / 1024)) MB"
}

# BENCH_STATE_URL (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres) runs the csv case on that
# database instead of H2 (its ledger tables are emptied first).
bench_csv() {
  read -r rows bytes < <(java -cp "$CP" io.invoiceharvester.bench.ComputeCsvGenerator "$WORK/compute.csv" "$CSV_BYTES")
  start_sandbox csv --bench-files 0 --compute-csv "$WORK/compute.csv"
  local cfg db=H2
  if [ -n "${BENCH_STATE_URL:-}" ]; then
    db=PostgreSQL
    psql -q -h 127.0.0.1 -U postgres test -c "DROP SCHEMA IF EXISTS bench CASCADE; CREATE SCHEMA bench" >/dev/null
    cfg=$(config csv "harvester.download.max-bytes=4000000000" "harvester.state.url=${BENCH_STATE_URL}&currentSchema=bench")
  else
    cfg=$(config csv "harvester.download.max-bytes=4000000000")
  fi
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
  read -r pn_rows pn_ms < <(java -Xmx256m -cp "$CP" io.invoiceharvester.bench.ParseNormalize "$WORK/compute.csv")
  local pn_rate=$(( pn_rows * 1000 / pn_ms ))
  local copy_note=""
  if [ "$db" = PostgreSQL ]; then
    # PostgreSQL's own COPY of the rows the product wrote, as its stream writes them (text quoted, numbers and
    # dates plain), into an empty table of the same definition and keys
    local text_cols="provider, account_id, invoice_id, source_type, billing_account_name, sub_account_id,
      sub_account_name, charge_category, charge_class, charge_frequency, charge_description, service_name,
      service_category, service_subcategory, region_id, region_name, sku_id, pricing_category, pricing_unit,
      consumed_unit, billing_currency, item_type, unit_measure, product_line, product_group, billing_region,
      credit_coupon_code, source_columns"
    local cols="provider, account_id, invoice_id, source_type, line_no, billing_account_name, sub_account_id,
      sub_account_name, charge_period_start, charge_period_end, charge_category, charge_class, charge_frequency,
      charge_description, service_name, service_category, service_subcategory, region_id, region_name, sku_id,
      pricing_category, pricing_quantity, pricing_unit, contracted_unit_price, consumed_quantity, consumed_unit,
      contracted_cost, billed_cost, billing_currency, item_type, unit_measure, product_line, product_group,
      billing_region, credit_coupon_code, source_columns"
    psql -q -h 127.0.0.1 -U postgres test -c "\\copy (SELECT $(echo $cols) FROM bench.ledger_line ORDER BY line_no) TO '$WORK/stream.csv' WITH (FORMAT csv, FORCE_QUOTE ($(echo $text_cols)))" >/dev/null
    psql -q -h 127.0.0.1 -U postgres test -c "CREATE TABLE bench.copy_target (LIKE bench.ledger_line INCLUDING ALL)" >/dev/null
    local t0 copy_ms copy_rate
    t0=$(now_ms)
    psql -q -h 127.0.0.1 -U postgres test -c "\\copy bench.copy_target ($(echo $cols)) FROM '$WORK/stream.csv' WITH (FORMAT csv)" >/dev/null
    copy_ms=$(( $(now_ms) - t0 ))
    copy_rate=$(( rows * 1000 / copy_ms ))
    copy_note=" psql \\copy of the same rows into the same table $copy_rate rows/s -> ingestion $(ratio "${ingest_rate:-0}" "$copy_rate")x of it (goal >= 0.9);"
  fi
  echo "csv      $((bytes / 1000000)) MB, $rows rows, $db, -Xmx256m: ingested at ${ingest_rate:-?} rows/s ($line);" \
       "parse + normalize without a database $pn_rate rows/s -> ingestion $(ratio "${ingest_rate:-0}" "$pn_rate")x of it;" \
       "bare commons-csv loop $bare_rate rows/s -> parse + normalize $(ratio "$pn_rate" "$bare_rate")x, ingestion $(ratio "${ingest_rate:-0}" "$bare_rate")x;" \
       "peak heap ${peak_heap:-?} MB, peak RSS $((rss / 1024)) MB, whole run ${wall} s, OutOfMemoryError: $oom;$copy_note"
}

# startup_ms LOG FLAGS...: launch `run` with the JVM flags, milliseconds until Camel says its routes started
startup_ms() {
  local log=$1 t0 pid; shift
  t0=$(now_ms)
  java "$@" -Xmx512m -jar "$JAR" run --config "$cfg" > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do grep -q 'started in' "$log" && break; sleep 0.01; done
  echo $(( $(now_ms) - t0 ))
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

bench_startup() {
  start_sandbox startup
  local cfg pid rss plain cds
  cfg=$(config startup "harvester.schedule.cron=0 0 0 1 1 ? 2099")
  # deploy/'s unit: a training start archives the loaded classes, later starts map them (class-data sharing)
  java -XX:ArchiveClassesAtExit="$WORK/cds.jsa" -Xmx512m -jar "$JAR" run --config "$cfg" --exit-when-started > "$WORK/cds-training.log" 2>&1
  plain=$(startup_ms "$WORK/startup-plain.log"); cds=$(startup_ms "$WORK/startup-cds.log" -XX:SharedArchiveFile="$WORK/cds.jsa")
  plain="$plain/$(startup_ms "$WORK/startup-plain.log")/$(startup_ms "$WORK/startup-plain.log")"
  cds="$cds/$(startup_ms "$WORK/startup-cds.log" -XX:SharedArchiveFile="$WORK/cds.jsa")/$(startup_ms "$WORK/startup-cds.log" -XX:SharedArchiveFile="$WORK/cds.jsa")"
  java -XX:SharedArchiveFile="$WORK/cds.jsa" -Xmx512m -jar "$JAR" run --config "$cfg" > "$WORK/startup.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  for _ in $(seq 1 600); do grep -q 'started in' "$WORK/startup.log" && break; sleep 0.01; done
  sleep 15
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
  kill "$pid"
  echo "startup  routes started after launch (JVM start included), three starts each: $plain ms plain," \
       "$cds ms with deploy/'s class-data sharing archive (Camel says:" \
       "$(grep -o 'started in [^)]*)' "$WORK/startup.log" | head -1)); idle RSS after 15 s: $rss MB"
}

# median_ms CMD...: the median of five calls, in milliseconds
median_ms() {
  local times=() t0
  for _ in 1 2 3 4 5; do t0=$(now_ms); "$@" > /dev/null 2>&1 || true; times+=($(( $(now_ms) - t0 ))); done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}

# The operator's reading commands against a harvested state (queued mails included), through deploy/'s
# launcher as installed, next to a bare JVM start; goal: within 1 s and within 0.6 s of the bare start.
bench_commands() {
  start_sandbox commands
  local cfg bare quick plain verdict c
  cfg=$(config commands "harvester.mail.when=always" "harvester.akamai.account-switch-keys=$SB_KEYS")
  java -jar "$JAR" once --config "$cfg" --from 2025-01 --to 2025-03 > "$WORK/commands-once.log" 2>&1 || fail commands-once
  bare=$(median_ms java -cp target/test-classes io.invoiceharvester.bench.BareStart)
  local launcher=(env HARVESTER_JAR="$JAR" HARVESTER_CDS_DIR="$WORK/cds" deploy/invoice-harvester)
  for c in status history invoices "quarantine list" "outbox list"; do
    # shellcheck disable=SC2086 # the command's words
    "${launcher[@]}" $c --config "$cfg" > /dev/null 2>&1 # its first call archives its classes
    # shellcheck disable=SC2086
    quick=$(median_ms "${launcher[@]}" $c --config "$cfg")
    # shellcheck disable=SC2086
    plain=$(median_ms java -jar "$JAR" $c --config "$cfg")
    verdict=met
    if [ "$quick" -gt 1000 ] || [ $((quick - bare)) -gt 600 ]; then verdict=MISSED; fi
    printf 'commands %-16s %4d ms through deploy/invoice-harvester, %+d ms on the bare JVM start (%d ms): %s; plain java -jar %d ms\n' \
      "$c" "$quick" $((quick - bare)) "$bare" "$verdict" "$plain"
  done
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1)"
# median3 A B C: the middle one
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }

# export: the month of a generated COMPUTE CSV (BENCH_CSV_BYTES) harvested by `once` (download, ingest, export CSV:
# wall and peak heap at -Xmx256m), then exported on its own (ExportMonth, -Xmx256m) as CSV and as CSV+Parquet,
# beside the database's own CSV of the export's month query: PostgreSQL's COPY TO (BENCH_STATE_URL; after ANALYZE,
# so that it gets its best plan), H2's CSVWRITE. On PostgreSQL, CSV, COPY and CSV+Parquet are taken three times
# each, in turn: medians.
bench_export() {
  read -r rows bytes < <(java -cp "$CP" io.invoiceharvester.bench.ComputeCsvGenerator "$WORK/compute.csv" "$CSV_BYTES")
  start_sandbox export --bench-files 0 --compute-csv "$WORK/compute.csv"
  local pg_url="" h2_url="jdbc:h2:file:$WORK/exporth2/state/harvester" cfg t0 run_wall peak_heap i
  local -A ms
  java -cp "$CP" io.invoiceharvester.ledger.export.ExportMonth sql 2025-01 > "$WORK/month.sql"
  if [ -n "${BENCH_STATE_URL:-}" ]; then
    psql -q -h 127.0.0.1 -U postgres test -c "DROP SCHEMA IF EXISTS bench CASCADE; CREATE SCHEMA bench" >/dev/null 2>&1
    pg_url="${BENCH_STATE_URL}&currentSchema=bench"
    cfg=$(config exportpg "harvester.download.max-bytes=4000000000" "harvester.state.url=$pg_url")
    /usr/bin/time -f "%e" -o "$WORK/exportpg.time" java -Xmx256m -Xlog:gc:file="$WORK/exportpg-gc.log" -jar "$JAR" once \
      --config "$cfg" --month 2025-01 > "$WORK/exportpg.log" 2>&1 || fail exportpg
    run_wall=$(cat "$WORK/exportpg.time")
    peak_heap=$(grep -oE '[0-9]+M->' "$WORK/exportpg-gc.log" | tr -d 'M>-' | sort -n | tail -1)
    psql -q -h 127.0.0.1 -U postgres test -c "ANALYZE bench.ledger_line, bench.ledger_invoice, bench.ledger_account" >/dev/null
    local csv=() copy=() both=()
    for i in 1 2 3; do
      read -r lines t < <(java -Xmx256m -cp "$CP" io.invoiceharvester.ledger.export.ExportMonth "$pg_url" "$WORK/pgout" 2025-01 csv 2>>"$WORK/export.log"); csv+=("$t")
      t0=$(now_ms)
      psql -q -h 127.0.0.1 -U postgres test -c "SET search_path TO bench" \
        -c "\\copy ($(tr '\n' ' ' < "$WORK/month.sql")) TO '$WORK/copy.csv' WITH (FORMAT csv, HEADER)" >/dev/null
      copy+=($(( $(now_ms) - t0 )))
      read -r lines t < <(java -Xmx256m -cp "$CP" io.invoiceharvester.ledger.export.ExportMonth "$pg_url" "$WORK/pgout" 2025-01 csv,parquet 2>>"$WORK/export.log"); both+=("$t")
    done
    ms[pg-csv]=$(median3 "${csv[@]}"); ms[copy]=$(median3 "${copy[@]}"); ms[pg-csv,parquet]=$(median3 "${both[@]}")
    echo "export   $((bytes / 1000000)) MB CSV, $lines ledger lines of 2025-01, PostgreSQL, -Xmx256m: CSV ${csv[*]} ms, median ${ms[pg-csv]}" \
         "($(( lines * 1000 / ms[pg-csv] )) rows/s); psql \\copy (the month query) TO csv ${copy[*]} ms, median ${ms[copy]}" \
         "($(( lines * 1000 / ms[copy] )) rows/s) -> export CSV $(ratio "${ms[copy]}" "${ms[pg-csv]}")x its speed (goal >= 0.7);" \
         "CSV+Parquet ${both[*]} ms, median ${ms[pg-csv,parquet]} ($(ratio "${ms[pg-csv,parquet]}" "${ms[pg-csv]}")x the CSV, goal <= 2);" \
         "whole run (download, ingest, export CSV) ${run_wall} s (goal <= 35), peak heap ${peak_heap:-?} MB"
  fi
  cfg=$(config exporth2 "harvester.download.max-bytes=4000000000")
  java -Xmx256m -jar "$JAR" once --config "$cfg" --month 2025-01 > "$WORK/exporth2.log" 2>&1 || fail exporth2
  for formats in csv csv,parquet; do
    read -r lines ms[h2-$formats] < <(java -Xmx256m -cp "$CP" io.invoiceharvester.ledger.export.ExportMonth "$h2_url" "$WORK/h2out" 2025-01 "$formats" 2>>"$WORK/export.log")
  done
  ms[csvwrite]=$(java -cp "$CP" io.invoiceharvester.ledger.export.ExportMonth csvwrite "$h2_url" "$WORK/csvwrite.csv" 2025-01 2>>"$WORK/export.log")
  echo "export   $((bytes / 1000000)) MB CSV, $lines ledger lines of 2025-01, H2, -Xmx256m: CSV ${ms[h2-csv]} ms" \
       "($(( lines * 1000 / ms[h2-csv] )) rows/s); H2's CSVWRITE (the month query) ${ms[csvwrite]} ms -> export CSV" \
       "$(ratio "${ms[csvwrite]}" "${ms[h2-csv]}")x its speed; CSV+Parquet ${ms[h2-csv,parquet]} ms" \
       "($(ratio "${ms[h2-csv,parquet]}" "${ms[h2-csv]}")x the CSV)" \
       "$([ -n "${ms[pg-csv]:-}" ] && echo "; CSV $(ratio "${ms[h2-csv]}" "${ms[pg-csv]}")x PostgreSQL's export time (goal <= 2)")"
}

case $what in
  harvest) bench_harvest ;;
  backfill) bench_backfill ;;
  csv) bench_csv ;;
  export) bench_export ;;
  startup) bench_startup ;;
  commands) bench_commands ;;
  all) bench_harvest; bench_backfill; bench_csv; bench_export; bench_startup; bench_commands ;;
  *) echo "usage: bench/run.sh [harvest|backfill|csv|export|startup|commands|all]" >&2; exit 2 ;;
esac
