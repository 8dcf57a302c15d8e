#!/usr/bin/env bash
# Picket's benchmark. Needs Linux, root (unshare, nsenter, other PID and network namespaces) and this
# repository; writes docs/benchmarks.md (the generated tables) and docs/benchmarks.json.
#
#   sudo bench/run.sh                 # everything, ~45 min on 2 cores
#   sudo bench/run.sh --quick         # fewer configurations, shorter runs (~8 min), for development
#   sudo bench/run.sh --sections scan --configs 1000x10000
#   sudo bench/run.sh --wait-quiet 0.5 --wait-max 1800   # first wait for a quiet machine
#   sudo bench/run.sh --sections scan --baseline 29f3b14  # before/after: that revision's scanner and judge
#                                                         # measured in turn with this checkout's
#
# Sections: scan, idle, flags, latency, injector. What each measures: docs/benchmarks.md.
#
# It builds what it needs with ./mvnw into $PICKET_BENCH_BUILD (default /tmp/pk-bench), never into
# target/, so it can run while the checkout is being built. It installs nothing except, when a command is
# missing and apt-get exists, these Debian packages (and says so): util-linux (unshare, nsenter),
# iproute2 (ip, ss), procps (ps), python3, openssl (the injector's self-signed certificate).
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$(pwd)
BUILD=${PICKET_BENCH_BUILD:-/tmp/pk-bench}

die() { echo "bench/run.sh: $*" >&2; exit 1; }

# --baseline REV is ours; everything else goes to the orchestrator
args=()
baseline=
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) baseline=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]+"${args[@]}"}"

[ "$(uname -s)" = Linux ] || die "needs Linux (procfs, namespaces)"
[ "$(id -u)" = 0 ] || die "needs root: it creates PID and network namespaces (run it with sudo)"

# A Java 25 JDK: JAVA_HOME when it is one, else the first one under /usr/lib/jvm.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
if [ -z "${JAVA_HOME:-}" ] || [ ! -x "$JAVA_HOME/bin/java" ] || [ "$(java_major "$JAVA_HOME")" -lt 25 ] 2>/dev/null; then
  JAVA_HOME=
  for d in /usr/lib/jvm/*; do
    if [ -x "$d/bin/java" ] && [ "$(java_major "$d")" -ge 25 ] 2>/dev/null; then JAVA_HOME=$d; break; fi
  done
  [ -n "$JAVA_HOME" ] || die "needs a Java 25 JDK: set JAVA_HOME"
fi
export JAVA_HOME
echo "bench/run.sh: JDK $JAVA_HOME"

# Commands the sections drive, and the Debian package of each.
missing=()
for pair in unshare:util-linux nsenter:util-linux ip:iproute2 ss:iproute2 ps:procps python3:python3 openssl:openssl; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  pkgs=$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')
  command -v apt-get >/dev/null 2>&1 || die "missing commands; install: $pkgs"
  echo "bench/run.sh: installing the Debian packages $pkgs(commands the benchmark drives)"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $pkgs
fi

# 10 000 connections need 20 000 descriptors in the sandbox (both ends); take the hard limit.
ulimit -n "$(ulimit -Hn)"

echo "bench/run.sh: building the sidecar into $BUILD"
./mvnw -B -q -DpicketBuildDir="$BUILD" package -DskipTests
./mvnw -B -q -DpicketBuildDir="$BUILD" dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$BUILD/bench-classpath.txt" >/dev/null
# a class-data archive belongs to one build of the application: the benchmark makes it anew
rm -f "$BUILD/quarkus-app/app.aot"

echo "bench/run.sh: building the floor app (the sidecar's extensions, no Picket code) into $BUILD/floor-app"
./mvnw -B -q -f bench/floor-app/pom.xml -DfloorBuildDir="$BUILD/floor-app" package

# The injector builds into its own target/, which others use: build a copy instead.
case " $* " in
  *" --sections "*) want_injector=$(echo " $* " | grep -c 'injector' || true) ;;
  *) want_injector=1 ;;
esac
if [ "$want_injector" != 0 ]; then
  echo "bench/run.sh: building the injector into $BUILD/injector"
  rm -rf "$BUILD/injector" && mkdir -p "$BUILD/injector"
  (cd injector && tar --exclude=./target -cf - .) | (cd "$BUILD/injector" && tar -xf -)
  ./mvnw -B -q -f "$BUILD/injector/pom.xml" package -DskipTests
fi

extra=()
if [ -n "$baseline" ]; then
  echo "bench/run.sh: building the main classes of $baseline into $BUILD/baseline"
  rm -rf "$BUILD/baseline" && mkdir -p "$BUILD/baseline/src"
  git archive "$baseline" pom.xml mvnw .mvn src/main | tar -x -C "$BUILD/baseline/src"
  ./mvnw -B -q -f "$BUILD/baseline/src/pom.xml" -DpicketBuildDir="$BUILD/baseline/build" compile
  extra=(--baseline-classes "$BUILD/baseline/build/classes" --baseline-label "$baseline")
fi

exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx1g \
  -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "$BUILD/test-classes:$BUILD/classes:$(cat "$BUILD/bench-classpath.txt")" \
  dev.picket.bench.BenchRunner --repo "$REPO" --work "$BUILD/run" --app "$BUILD/quarkus-app" \
  --injector-app "$BUILD/injector/target/quarkus-app" --floor-app "$BUILD/floor-app/quarkus-app" \
  "${extra[@]+"${extra[@]}"}" "$@"
