#!/usr/bin/env bash
# The JDK 25 AOT cache, measured (docs/benchmarks.md, "Startup"): the operator packaged as Quarkus's aot-jar (every
# class on the JDK's class path, which the cache needs) into target/quarkus-aot/, a training run against the local
# cluster with -XX:AOTCacheOutput (startup, 20 reviews through the API server, 25,000 straight at the webhook,
# SIGTERM), then hack/bench-startup.sh as the image runs the operator and with -XX:AOTCache, one after the other. An experiment, not how the image runs (it runs JDK 17).
#
#   hack/bench-aot.sh [runs]          # JAVA25=<a JDK 25's java> (default: /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
set -euo pipefail
# shellcheck source=hack/bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

runs="${1:-3}"
java25="${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}"
"$java25" -version 2>&1 | grep -q 'version "2[5-9]' || bdie "${java25} is not a JDK 25 or later (set JAVA25)"
aot_dir="${bench_root}/target/quarkus-aot"

blog "packaging the aot-jar into ${aot_dir}"
(cd "$bench_root" && ./mvnw -o -q package -DskipTests -Dquarkus.package.jar.type=aot-jar \
  -Dquarkus.package.output-directory=quarkus-aot) >&2

bench_init aot
bench_cluster_up
bench_policy bench-startup restricted Restricted Enforce
pod_from_fixture create-pod-legacy "${bench_out}/pod.json"

blog "training run (${java25})"
rm -f "${aot_dir}/app.aot"
BENCH_JAVA="$java25" BENCH_JAR="${aot_dir}/quarkus-run.jar" BENCH_JVM_OPTIONS="-XX:AOTCacheOutput=${aot_dir}/app.aot" \
  operator_restart 0 "${bench_out}/train.log"
for _ in $(seq 1 20); do api_pod_post bench-startup "${bench_out}/pod.json" dryRun=All >/dev/null; done
for f in create-pod-hardened create-pod-legacy create-deployment-legacy; do
  hey_run "${bench_out}/train-${f}.txt" -n 8000 -c 8 -m POST -T application/json -host localhost \
    -D "${bench_root}/src/test/resources/admission/${f}.json" "$op_hook_url"
done
# the cache is written at exit, by a second JVM the first one waits for: no time limit here
kill -TERM "$op_pid"
while kill -0 "$op_pid" 2>/dev/null; do sleep 0.5; done
sed -i "/^${op_pid} /d" "${bench_lc}/pids"
[[ -s "${aot_dir}/app.aot" ]] || bdie "no AOT cache was written; see ${bench_out}/train.log"
blog "AOT cache: $(du -h "${aot_dir}/app.aot" | cut -f1)"

# the cluster's replica, as local-cluster.sh ran it, before bench-startup.sh takes it over
replica_start "$bench_replica" "0-$(($(nproc) - 1))" "${bench_lc}/${bench_replica}.log"
operator_wait_ready
# the image's way (JDK 17, fast-jar) and the cache's, one after the other: a ratio from the same hour
blog "startup as the image runs it"
BENCH_DOCS=0 "${bench_root}/hack/bench-startup.sh" "$runs" >"${bench_out}/startup-jdk17.md"
blog "startup with the AOT cache"
BENCH_DOCS=0 BENCH_JAVA="$java25" BENCH_JAR="${aot_dir}/quarkus-run.jar" BENCH_JVM_OPTIONS="-XX:AOTCache=${aot_dir}/app.aot" \
  "${bench_root}/hack/bench-startup.sh" "$runs" >"${bench_out}/startup-aot.md"
echo "## JDK 17, fast-jar (the image)"
cat "${bench_out}/startup-jdk17.md"
echo
echo "## $("$java25" -version 2>&1 | head -1), aot-jar, -XX:AOTCache"
cat "${bench_out}/startup-aot.md"
