#!/usr/bin/env bash
# Measures the admission path (AdmissionReview bytes in -> bytes out, no network) with JMH.
#   hack/benchmark.sh                 # all fixtures
#   hack/benchmark.sh -p fixture=create-deployment-legacy
# Extra arguments go to JMH (org.openjdk.jmh.Main -h lists them).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/benchmark.classpath -Dmdep.includeScope=test \
  || ./mvnw -q test-compile dependency:build-classpath -Dmdep.outputFile=target/benchmark.classpath -Dmdep.includeScope=test
exec java -cp "target/test-classes:target/classes:$(cat target/benchmark.classpath)" org.openjdk.jmh.Main AdmissionBenchmark "$@"
