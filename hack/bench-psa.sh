#!/usr/bin/env bash
# Measures our admission path next to upstream Pod Security admission, in process, on the same AdmissionReview
# fixtures (src/test/resources/admission). Numbers and how to read them: docs/benchmarks.md.
#
#   hack/bench-psa.sh            # everything: JMH (Hardened and Restricted profiles), then upstream
#   hack/bench-psa.sh quick      # short runs to check that it works; the numbers mean nothing
#
# Results go to target/bench-psa/: env.txt (machine, load, versions), jmh.txt + jmh.json, psa.txt.
# Needs Java 17 and Go >= 1.24; the Go module proxy must be reachable the first time (hack/bench/psa/go.mod).
# Run it on a quiet machine: both sides are single-threaded loops, and other load shows up in the tails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jmh_args=(-f 1 -wi 3 -i 5)
psa_args=(-warmup 6s -time 10s)
if [[ "${1:-}" == "quick" ]]; then
  jmh_args=(-f 1 -wi 1 -i 1 -w 1s -r 1s)
  psa_args=(-warmup 1s -time 1s)
fi

out=target/bench-psa
mkdir -p "$out"
{
  echo "date: $(date -u +%FT%TZ)"
  echo "cores: $(nproc)"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  java -version 2>&1 | sed -n 1p # not head: its early exit would SIGPIPE java under pipefail
  go version
} > "$out/env.txt"

# Ours: AdmissionReview bytes -> bytes, sample mode for percentiles.
hack/benchmark.sh "${jmh_args[@]}" -bm sample -tu us -rf json -rff "$out/jmh.json" | tee "$out/jmh.txt"

# Upstream: built first so the build does not overlap the measurement.
(cd hack/bench/psa && go build -o "../../../$out/psa-bench" .)
"$out/psa-bench" -fixtures src/test/resources/admission "${psa_args[@]}" | tee "$out/psa.txt"

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/env.txt"
cat "$out/env.txt"
