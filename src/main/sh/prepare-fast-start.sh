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

# Single-quoted for the launcher's shell, whatever the paths hold.
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
cat > "$dest/bulk-offboarding" <<LAUNCHER
#!/bin/sh
# Written by prepare-fast-start.sh: the extracted jar, started with the CDS archive its training
# run recorded in this JVM, from the paths it recorded (moved elsewhere, the archive would not be
# used). JAVA_OPTS adds JVM options (for example -Xmx512m).
exec $(quote "$java") $(quote "-XX:SharedArchiveFile=$dest/application.jsa") \${JAVA_OPTS:-} -jar $(quote "$dest/$name") "\$@"
LAUNCHER
chmod +x "$dest/bulk-offboarding"

# The JVM silently leaves classes out of the archive in some cases (a path with spaces, for one):
# the launcher would still work, only not faster. Say so rather than promise a fast start.
# The application's main class loads first; only the log matters, not how the command ends.
(cd "$training" && env -i PATH="$PATH" HOME="$training" JAVA_OPTS="-Xlog:class+load=info:file=$training/classes.log" \
    "$dest/bulk-offboarding" --version > /dev/null 2>&1) || true
if ! grep -q "dev.bulkoffboarding.BulkOffboardingApplication source: shared objects file" "$training/classes.log"; then
  echo "Warning: the archive does not hold the application's classes (a path with spaces?): $dest/bulk-offboarding works, but starts no faster than java -jar" >&2
  exit 0
fi
echo "Fast start ready: $dest/bulk-offboarding <command> [options] (archive $(du -h "$dest/application.jsa" | cut -f1))"
