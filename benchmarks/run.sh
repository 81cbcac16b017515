#!/usr/bin/env bash
# Runs the benchmarks of docs/benchmarks.md: builds the jar (tests skipped), then runs
# dev.bulkoffboarding.benchmark.BenchmarkRunner with the arguments given here, for example
#   benchmarks/run.sh                          # every scenario, median of 3 runs (about 30 minutes)
#   benchmarks/run.sh --runs 1 --scenario e,c  # quick look
#   benchmarks/run.sh --scenario d --profile   # with a JFR recording per run (target/benchmark/...)
#   benchmarks/run.sh --scenario e --launch cds  # the extracted jar with a CDS archive (README: Starting fast)
#   benchmarks/run.sh startup [options]        # start-up of validate and run, against a baseline (startup.sh)
# Results are printed and written to target/benchmark/<time>/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = startup ]; then shift; exec benchmarks/startup.sh "$@"; fi
exec ./mvnw -q -ntp -Pbenchmark -DskipTests verify -Dbenchmark.args="$*"
