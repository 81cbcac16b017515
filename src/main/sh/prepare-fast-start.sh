#!/usr/bin/env bash
# Prepares the fast start (README "Starting fast"; the Docker image runs the same steps):
#   1. the executable jar extracted with Spring Boot's jarmode tools (a plain jar and lib/),
#   2. an archive of the classes a training run loaded: 'demo' on the sample sheet, against the
#      built-in sandbox (nothing reaches Quipteams), with a throwaway database and folders, in an
#      empty environment (no API key, profile or database settings of yours). On Java 25 or newer it
#      is an AOT cache (JEP 483/514: classes loaded and linked ahead of time), on Java 24 too
#      (recorded in two steps). On older JVMs it is a static class data sharing (CDS) archive, dumped
#      from the list of classes the training run loaded: one archive with the JDK's classes and
#      objects (the module graph, interned strings), picocli's classes (Java 5 class files, which a
#      dynamic archive of Java 17 leaves out) and the method handles the run used,
#   3. a launcher, DESTINATION/bulk-offboarding, that starts the same JVM with that archive and, for
#      every command except serve, the options of a short-lived process: compiled code from the
#      quick compiler only (-XX:TieredStopAtLevel=1) and the serial garbage collector (on JVMs
#      older than 24, G1, as Java 17 maps archived objects only with G1, and one compiler thread,
#      as a second one takes the main thread's core for most of a start). A command is over in seconds,
#      before the optimising compiler would pay for itself; serve runs for days and keeps the JVM's
#      defaults. JAVA_OPTS comes last and overrides them (a collector named there replaces ours).
#   4. DESTINATION/new-database.mv.db, an empty H2 database that this jar migrated, which the
#      launcher copies when a command's database does not exist yet, instead of Flyway building it
#      (only where that gives the same database: see NewDatabaseTemplate).
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
if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ] && [ ! -f "$dest/application.jsa" ] \
    && [ ! -f "$dest/application.aot" ]; then
  echo "$dest is not empty and holds no earlier fast start: choose another destination" >&2
  exit 1
fi

name=$(basename "$jar")
rm -rf "$dest"
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
sample=$(cd "$(dirname "$sample")" && pwd)/$(basename "$sample")

"$java" -Djarmode=tools -jar "$jar" extract --destination "$dest" > /dev/null

feature=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
feature=${feature#1.}
# The options a command-line start gets (see 3. above); the training run uses them too.
if [ "${feature:-0}" -ge 24 ]; then
  collector="-XX:+UseSerialGC" threads=""
else
  collector="-XX:+UseG1GC" threads="-XX:CICompilerCount=1"
fi
short_lived="-XX:TieredStopAtLevel=1 $threads $collector"
if [ "${feature:-0}" -ge 25 ]; then
  archive="$dest/application.aot"; record=("-XX:AOTCacheOutput=$archive"); use="-XX:AOTCache=$archive"
elif [ "${feature:-0}" -ge 24 ]; then
  archive="$dest/application.aot"; record=(-XX:AOTMode=record "-XX:AOTConfiguration=$dest/application.aotconf")
  use="-XX:AOTCache=$archive"
else
  archive="$dest/application.jsa"; record=("-XX:DumpLoadedClassList=$dest/application.classlist")
  use="-XX:SharedArchiveFile=$archive"
fi

training=$(mktemp -d)
trap 'rm -rf "$training"' EXIT
# shellcheck disable=SC2086 # the option lists are split on purpose
if ! (cd "$training" && env -i PATH="$PATH" HOME="$training" "$java" "${record[@]}" $short_lived \
    -jar "$dest/$name" demo "$sample" --spring.datasource.url="jdbc:h2:file:$training/db" \
    --offboarding.data-dir="$training/data" --offboarding.reports-dir="$training/reports" \
    > "$training/training.log" 2>&1); then
  echo "The training run failed; its output:" >&2
  cat "$training/training.log" >&2
  exit 1
fi
if [ "${feature:-0}" -eq 24 ]; then
  # shellcheck disable=SC2086
  "$java" -XX:AOTMode=create -XX:AOTConfiguration="$dest/application.aotconf" -XX:AOTCache="$archive" \
      $short_lived -jar "$dest/$name" > "$training/create.log" 2>&1 || true
  rm -f "$dest/application.aotconf"
elif [ "${feature:-0}" -lt 24 ]; then
  # The class path must be the launcher's: the plain jar, whose manifest names lib/.
  # shellcheck disable=SC2086
  if ! "$java" -Xshare:dump -XX:SharedClassListFile="$dest/application.classlist" \
      -XX:SharedArchiveFile="$archive" $collector -cp "$dest/$name" > "$training/dump.log" 2>&1; then
    rm -f "$archive"
    echo "Dumping the archive failed; its output:" >&2
    cat "$training/dump.log" >&2
    exit 1
  fi
  rm -f "$dest/application.classlist"
fi
if [ ! -f "$archive" ]; then
  echo "The training run recorded no archive; its output:" >&2
  cat "$training/training.log" >&2
  exit 1
fi

# Single-quoted for the launcher's shell, whatever the paths hold.
quote() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }
cat > "$dest/bulk-offboarding" <<LAUNCHER
#!/bin/sh
# Written by prepare-fast-start.sh: the extracted jar, started with the archive its training run
# recorded in this JVM, from the paths it recorded (moved elsewhere, the archive would not be used).
# A command other than serve is over in seconds: the quick compiler suits it, and the collector
# (and number of compiler threads) chosen for this JVM. JAVA_OPTS adds JVM options (for example
# -Xmx512m) and overrides these; a collector named there replaces this one (the JVM refuses two), and
# so does a choice of compilers (the JVM refuses one thread for two compilers).
compiler='-XX:TieredStopAtLevel=1'
threads='$threads'
collector='$collector'
case " \${JAVA_OPTS:-} " in *" -XX:+Use"*"GC "*) collector= ;; esac
case " \${JAVA_OPTS:-} " in *"-XX:TieredStopAtLevel="*|*"TieredCompilation"*|*"-XX:CICompilerCount="*) threads= ;; esac
for arg in "\$@"; do
  case "\$arg" in --*=*|--debug) continue ;; serve) compiler= threads= collector= ;; esac
  break
done
exec $(quote "$java") $(quote "$use") $(quote "-Dbulk-offboarding.new-database=$dest/new-database.mv.db") \$compiler \$threads \$collector \${JAVA_OPTS:-} -jar $(quote "$dest/$name") "\$@"
LAUNCHER
chmod +x "$dest/bulk-offboarding"

# The new-database template: the launcher's first start, 'runs' on a new database, which Flyway
# migrates and nothing else writes to. It also shows whether the archive holds the application's
# classes: the JVM silently leaves them out in some cases (a path with spaces, for one), and the
# launcher would still work, only not faster. Say so rather than promise a fast start.
if (cd "$training" && env -i PATH="$PATH" HOME="$training" JAVA_OPTS="-Xlog:class+load=info:file=$training/classes.log" \
    "$dest/bulk-offboarding" runs --spring.datasource.url="jdbc:h2:file:$training/new-database" \
    --offboarding.data-dir="$training/data" --offboarding.reports-dir="$training/reports" \
    > "$training/template.log" 2>&1) && [ -f "$training/new-database.mv.db" ]; then
  cp "$training/new-database.mv.db" "$dest/new-database.mv.db"
  chmod 444 "$dest/new-database.mv.db"  # no data in it; readable by whoever runs the launcher
else
  echo "Warning: no template for new databases (Flyway creates them, 0.3 s slower); the launcher's output:" >&2
  cat "$training/template.log" >&2
fi
if ! grep -q "dev.bulkoffboarding.BulkOffboardingApplication source: shared objects file" "$training/classes.log"; then
  echo "Warning: the archive does not hold the application's classes (a path with spaces?): $dest/bulk-offboarding works, but starts no faster than java -jar" >&2
  exit 0
fi
echo "Fast start ready: $dest/bulk-offboarding <command> [options] (archive $(du -h "$archive" | cut -f1), Java $feature)"
