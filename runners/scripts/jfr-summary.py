#!/usr/bin/env python3
# Summarises `jfr print --stack-depth 64 --events jdk.ExecutionSample FILE` output: the share of
# samples per pipeline stage or activity (first matching category wins) and the top self frames.
# Used by backfill-benchmark.sh.
import re, sys, collections
# reads `jfr print --stack-depth 64 --events jdk.ExecutionSample` and attributes each sample
CATS = [
  ("read archive (gunzip, delimited parse, chunks)", r"ReadArchiveFn|RawArchiveFormat|Inflater|GZIP|ArchiveChunk\.Builder"),
  ("JSON output (ProtoJson, TextIO, gzip)", r"ProtoJson|JsonFormat|TextIO|Deflater|FileBasedSink|WriteFiles"),
  ("alert evaluation (DeviceTimeline)", r"AlertEvaluator|DeviceTimeline"),
  ("parse/validate/enrich/dedup DoFns", r"ParseTelemetry|ParseAndPack|MessageJudge|PackedReadings|EnrichReadings|ContentHash|TelemetryValidator|RecentReadings"),
  ("window statistics (combine, ToAggregate)", r"DeviceStats|WindowedStatistics|RunningStats"),
  ("Flink sort / merge (NormalizedKeySorter, comparators, spill)", r"operators\.sort|Sorter|Comparator|SpillingBuffer|FileIOChannel|BlockChannel|MergeIterator|ReOpenableMutable"),
  ("Beam<->Flink (de)serialization (coders)", r"EncodedValueSerializer|CoderTypeSerializer|ProtoCoder|KvCoder|WindowedValue.*Coder|DataInputViewWrapper|DataOutputViewWrapper|TupleSerializer"),
  ("Flink network / record passing", r"runtime\.io\.network|RecordWriter|SpanningRecordSerializer|RecordDeserializer"),
  ("Beam runner core (DoFnRunner, state, timers)", r"runners\.core|FlinkStatefulDoFnFunction|InMemoryStateInternals|InMemoryTimerInternals"),
]
samples = 0
by_cat = collections.Counter()
top = collections.Counter()
stack = []
def flush():
    global samples
    if not stack:
        return
    samples += 1
    top[stack[0]] += 1
    text = "\n".join(stack)
    for name, rx in CATS:
        if re.search(rx, text):
            by_cat[name] += 1
            break
    else:
        by_cat["other: " + stack[0][:90]] += 1
inside = False
for line in open(sys.argv[1], errors="replace"):
    if "stackTrace = [" in line:
        stack = []; inside = True; continue
    if inside:
        s = line.strip()
        if s.startswith("]"):
            inside = False; flush(); stack = []; continue
        if s and s != "...":
            stack.append(re.sub(r"\s+line:.*", "", s))
print(f"== {samples} execution samples, by the first matching category (innermost stage wins in list order)")
other = sum(v for k, v in by_cat.items() if k.startswith("other: "))
for k, v in by_cat.most_common():
    if not k.startswith("other: "):
        print(f"{100.0*v/samples:5.1f}%  {k}")
print(f"{100.0*other/samples:5.1f}%  other (top frames below)")
print("== top self frames")
for k, v in top.most_common(15):
    print(f"{100.0*v/samples:5.1f}%  {k}")
