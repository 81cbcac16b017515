#!/usr/bin/env bash
# Start-up benchmark (docs/benchmarks.md "Start-up"): validate and run-to-first-request of the sample
# sheet, today's jar against a baseline jar, each with `java -jar` and with its fast-start launcher
# (src/main/sh/prepare-fast-start.sh of its own commit), medians of 5 runs, wall and CPU time.
#   benchmarks/startup.sh                              # baseline: the merge-base with main
#   benchmarks/startup.sh --baseline-ref 96d7ed5       # or any commit (built once, kept in target/benchmark/)
#   benchmarks/startup.sh --baseline-jar old.jar       # or a jar (its launcher is made with today's script)
#   benchmarks/startup.sh --runs 3 --scenario validate2 --java25 /usr/lib/jvm/temurin-25-jdk-amd64
# --java25 HOME adds a launcher prepared with that JVM (an AOT cache on Java 24+). Results are printed
# and written to target/benchmark/startup-<time>/results.md. Needs /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."

ref="" baseline_jar="" java25="" args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline-ref) ref=$2; shift 2 ;;
    --baseline-jar) baseline_jar=$2; shift 2 ;;
    --java25) java25=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

out=target/benchmark
mkdir -p "$out"
./mvnw -q -ntp -o -DskipTests package 2>/dev/null || ./mvnw -q -ntp -DskipTests package
current=$out/current.jar
cp target/bulk-offboarding.jar "$current"

baseline_script=src/main/sh/prepare-fast-start.sh
if [ -z "$baseline_jar" ]; then
  if [ -z "$ref" ]; then
    ref=$(git merge-base HEAD main 2>/dev/null || true)
    # On main itself the merge-base is HEAD: compare with the commit before the start-up work.
    if [ -z "$ref" ] || [ "$(git rev-parse "$ref")" = "$(git rev-parse HEAD)" ]; then ref=96d7ed5; fi
  fi
  sha=$(git rev-parse --short=10 "$ref^{commit}")
  baseline_jar=$out/baseline-$sha.jar
  baseline_script=$out/baseline-$sha-prepare-fast-start.sh
  if [ ! -f "$baseline_jar" ]; then
    tree=$(mktemp -d)
    trap 'rm -rf "$tree"' EXIT
    git archive "$sha" | tar -x -C "$tree"
    (cd "$tree" && { ./mvnw -q -ntp -o -DskipTests package 2>/dev/null || ./mvnw -q -ntp -DskipTests package; })
    cp "$tree/target/bulk-offboarding.jar" "$baseline_jar"
    cp "$tree/src/main/sh/prepare-fast-start.sh" "$baseline_script"
  fi
  echo "Baseline: $ref ($sha)"
fi

prepare() { # JAR SCRIPT DESTINATION [JAVA_HOME]: kept while the jar, the script and the JVM are the same
  local made
  made="$(cat "$1" "$2" | sha256sum | cut -c1-64) ${4:-}"
  if [ -f "$3/bulk-offboarding" ] && [ "$(cat "$3.made" 2>/dev/null)" = "$made" ]; then return; fi
  if [ -n "${4:-}" ]; then JAVA_HOME=$4 bash "$2" "$1" "$3" sample-data/offboarding-sample.csv
  else bash "$2" "$1" "$3" sample-data/offboarding-sample.csv; fi
  echo "$made" > "$3.made"
}
prepare "$baseline_jar" "$baseline_script" "$out/startup-launchers/baseline" > /dev/null
prepare "$current" src/main/sh/prepare-fast-start.sh "$out/startup-launchers/current" > /dev/null
variants=(--variant "baseline-java-jar=jar:$baseline_jar" --variant "baseline-launcher=launcher:$out/startup-launchers/baseline/bulk-offboarding"
  --variant "java-jar=jar:$current" --variant "java-jar-one-jvm=jar-one-jvm:$current" --variant "launcher=launcher:$out/startup-launchers/current/bulk-offboarding")
if [ -n "$java25" ]; then
  prepare "$current" src/main/sh/prepare-fast-start.sh "$out/startup-launchers/current-java25" "$java25" > /dev/null
  variants+=(--variant "launcher-java25=launcher:$out/startup-launchers/current-java25/bulk-offboarding")
fi

cp=$(./mvnw -q -ntp -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=/dev/stdout 2>/dev/null)
exec java -Xmx512m -cp "target/test-classes:target/classes:$cp" dev.bulkoffboarding.benchmark.StartupBenchmark \
  "${variants[@]}" "${args[@]}"
