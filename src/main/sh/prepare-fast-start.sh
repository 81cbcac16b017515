#!/usr/bin/env bash
# Prepares the fast start (README "Starting fast"; the Docker image runs the same steps):
#   1. the executable jar extracted with Spring Boot's jarmode tools (a plain jar and lib/),
#   2. a class data sharing (CDS) archive recorded by a training run: 'demo' on the sample sheet,
#      against the built-in sandbox (nothing reaches Quipteams), with a throwaway database and
#      folders, in an empty environment (no API key, profile or database settings of yours),
#   3. a launcher, DESTINATION/bulk-offboarding, that starts the same JVM with that archive.
#
#   src/main/sh/prepare-fast-start.sh [JAR [DESTINATION [SAMPLE_CSV]]]
#   defaults: target/bulk-offboarding.jar target/fast-start sample-data/offboarding-sample.csv
#
# The archive belongs to this jar and this JVM: run the script again after either changes (a stale
# archive is ignored with a warning, and the start is slow again).
set -euo pipefail

jar=${1:-target/bulk-offboarding.jar}
dest=${2:-target/fast-start}
sample=${3:-sample-data/offboarding-sample.csv}

java=$(command -v "${JAVA_HOME:+$JAVA_HOME/bin/}java") || { echo "No java found (JAVA_HOME or PATH)" >&2; exit 1; }
java=$(readlink -f "$java")
[ -f "$jar" ] || { echo "No jar at $jar: build it first (./mvnw -DskipTests package)" >&2; exit 1; }
[ -f "$sample" ] || { echo "No training sheet at $sample" >&2; exit 1; }
if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ] && [ ! -f "$dest/application.jsa" ]; then
  echo "$dest is not empty and holds no earlier fast start: choose another destination" >&2
  exit 1
fi

name=$(basename "$jar")
rm -rf "$dest"
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
sample=$(cd "$(dirname "$sample")" && pwd)/$(basename "$sample")

"$java" -Djarmode=tools -jar "$jar" extract --destination "$dest" > /dev/null

training=$(mktemp -d)
trap 'rm -rf "$training"' EXIT
if ! (cd "$training" && env -i PATH="$PATH" HOME="$training" "$java" -XX:ArchiveClassesAtExit="$dest/application.jsa" \
    -jar "$dest/$name" demo "$sample" --spring.datasource.url="jdbc:h2:file:$training/db" \
    --offboarding.data-dir="$training/data" --offboarding.reports-dir="$training/reports" \
    > "$training/training.log" 2>&1) || [ ! -f "$dest/application.jsa" ]; then
  echo "The training run failed; its output:" >&2
  cat "$training/training.log" >&2
  exit 1
fi

cat > "$dest/bulk-offboarding" <<LAUNCHER
#!/bin/sh
# Written by prepare-fast-start.sh: the extracted jar, started with the CDS archive its training
# run recorded in this JVM. JAVA_OPTS adds JVM options (for example -Xmx512m).
dir=\$(CDPATH= cd -- "\$(dirname -- "\$0")" && pwd)
exec "$java" -XX:SharedArchiveFile="\$dir/application.jsa" \${JAVA_OPTS:-} -jar "\$dir/$name" "\$@"
LAUNCHER
chmod +x "$dest/bulk-offboarding"
echo "Fast start ready: $dest/bulk-offboarding <command> [options] (archive $(du -h "$dest/application.jsa" | cut -f1))"
