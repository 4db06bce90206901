# Sourced from the repository root by the benchmark scripts (benchmark-streaming.sh,
# domain-baseline.sh, backfill-benchmark.sh): builds the pipelines module with its test classes
# unless SKIP_BUILD=1 (install -DskipTests compiles them), and sets CP to its test classpath (test
# classes, classes, every test-scope dependency), the dependencies written first to the file $1.
bench_classpath() {
  local cp_file=$1
  case $cp_file in /*) ;; *) cp_file=$PWD/$cp_file ;; esac # Maven resolves it in pipelines/
  if [ "${SKIP_BUILD:-0}" != 1 ]; then
    mvn -B -q install -DskipTests -pl pipelines -am
  fi
  mvn -B -q -pl pipelines dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cp_file"
  CP="pipelines/target/test-classes:pipelines/target/classes:$(cat "$cp_file")"
}
