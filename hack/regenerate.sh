#!/usr/bin/env bash
# Regenerates every file derived from the code, in dependency order. Run it after adding, removing or changing a rule,
# the HardeningPolicy model or the chart; then commit what changed. The freshness tests (RuleCatalogueTest,
# RuleReferenceTest, PodSecurityChecksTest, CrdFreshnessTest, ChartCrdsTest, ManifestsFreshnessTest) fail until it has run.
#
#   hack/regenerate.sh          # extra arguments go to ./mvnw, e.g. hack/regenerate.sh -o (offline)
#
# 1. the rule registry src/main/resources/META-INF/services/dev.hardening.rules.Rule, from the compiled rule classes;
# 2. docs/rules.md, hack/psa-parity/checks.txt and crds/ from the catalogue and the model (a second Maven run, which
#    sees the new registry; the CRD's rule id enum and its limits of one entry per rule come from the catalogue);
# 3. the chart's files/crds/ and manifests/ (hack/render-manifests.sh, needs helm: see that script).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mvn_test() {
  ./mvnw -B -q "$@" test -Dsurefire.failIfNoSpecifiedTests=false -Dhardening.regenerate=true
}

echo "regenerate: rule registry" >&2
mvn_test "$@" -Dtest=RuleCatalogueTest
echo "regenerate: docs/rules.md, hack/psa-parity/checks.txt, crds/" >&2
mvn_test "$@" -Dtest='RuleReferenceTest,PodSecurityChecksTest,CrdFreshnessTest'
echo "regenerate: charts/hardening-operator/files/crds/, manifests/" >&2
hack/render-manifests.sh
git -C "$root" status --short -- src/main/resources/META-INF docs/rules.md hack/psa-parity/checks.txt crds charts/hardening-operator/files/crds manifests >&2 || true
