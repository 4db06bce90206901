#!/usr/bin/env bash
# Throughput and latency of the streaming pipeline on Flink embedded (an in-process KRaft broker),
# with a JFR recording summarized at the end.
#   N=1000000 RATE=10000 LATENCY_SECONDS=60 runners/scripts/benchmark-streaming.sh
# Throughput: N pre-filled messages read by an unbounded KafkaIO source (as in production; no
# --maxReadRecords), parallelism PARALLELISM (2), the job started asynchronously and its
# iotbeam_messages_received_total scraped from the Beam-metrics reporter every 500 ms until it
# reaches N (at most MAX_WAIT seconds, 300), then cancelled; msg/s from 10% to 90% of N.
# Latency: RATE msg/s for 20 s unmeasured (the job's start-up), then for LATENCY_SECONDS (not
# SECONDS: bash counts its own run time in that; 60 s spans two checkpoints and a file flush),
# produce -> alert p50/p95/p99 and the worst per 10 s. Baseline: the same domain work
# (parse, validate, enrich, de-duplicate, statistics, alerts) over the throughput phase's messages
# in one plain Java thread (DomainBaseline), and the ratio baseline/pipeline. Heap used and the
# load average (/proc/loadavg) are printed with each figure; the profile is of the pipeline only.
# FLAGS: other StreamingPipeline flags for both jobs (default: none, i.e. the shipped defaults),
# e.g. FLAGS="--dedupMinutes=1" to measure what a setting costs.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$(dirname "$HERE")")
cd "$ROOT"
N=${N:-1000000}; RATE=${RATE:-10000}; LATENCY_SECONDS=${LATENCY_SECONDS:-60}; DEVICES=${DEVICES:-1000}
PARALLELISM=${PARALLELISM:-2}; MAX_WAIT=${MAX_WAIT:-300}
OUT=${BENCH_OUT:-/tmp/iotbeam-bench}; mkdir -p "$OUT"
. "$HERE/lib/bench-classpath.sh"
bench_classpath "$OUT/cp.txt"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
timeout 1800 "$JAVA" -Xmx6g -XX:+UseG1GC \
  -XX:StartFlightRecording=filename="$OUT/bench.jfr",settings=profile,dumponexit=true \
  -Dlog4j2.configurationFile=pipelines/src/test/resources/log4j2-test.xml \
  -Dn="$N" -Drate="$RATE" -Dseconds="$LATENCY_SECONDS" -Ddevices="$DEVICES" \
  -Dparallelism="$PARALLELISM" -DmaxWaitSeconds="$MAX_WAIT" -Dflags="${FLAGS:-}" \
  -cp "$CP" org.iotbeam.pipelines.bench.StreamingBenchmark 2>"$OUT/bench.log" | tee "$OUT/result.txt"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
echo "--- hottest methods (top frames of jdk.ExecutionSample) ---"
jfr print --events jdk.ExecutionSample "$OUT/bench.jfr" \
  | awk '/stackTrace = \[/{getline; sub(/^[ \t]+/, ""); sub(/line:.*/, ""); print}' \
  | sort | uniq -c | sort -rn | head -25 || true # head closes the pipe early: SIGPIPE under pipefail
echo "--- by package (top frame) ---"
jfr print --events jdk.ExecutionSample "$OUT/bench.jfr" \
  | awk '/stackTrace = \[/{getline; sub(/^[ \t]+/, ""); n=split($0, a, "."); print a[1]"."a[2]"."a[3]}' \
  | sort | uniq -c | sort -rn | head -15 || true
