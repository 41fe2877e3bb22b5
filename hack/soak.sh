#!/usr/bin/env bash
# Soak: admissions through the API server at a steady rate while the cluster misbehaves (docs/reliability.md).
#
#   hack/soak.sh                      # 10 minutes, 10 admissions/s
#   hack/soak.sh --duration 3m        # shorter (s, m or h); at least one of each fault
#   hack/soak.sh --rate 20 --apiserver-down 30s --no-build
#
# It builds the operator jar (unless --no-build), then runs dev.hardening.e2e.SoakRun with the e2e harness: a real
# etcd, kube-apiserver and kube-controller-manager, the chart installed with helm, and two operator replicas with the
# chart's ServiceAccount, settings and JVM options behind its Service. A fixed mix of compliant and violating Pods and
# Deployments (server-side dry run, known verdicts) runs for the whole time while, about every three minutes, the API
# server is stopped and started again (--apiserver-down, 20 s), the leader replica is SIGKILLed and started again, and
# etcd is stopped and started again (--etcd-down, 10 s); the serving certificate rotates throughout (three-minute
# lifetime) and policies are created, changed and deleted every five seconds.
#
# The report (requests, wrong verdicts, failed admissions per fault window, p50/p99 latency, RSS of both replicas
# over time, date, machine, load average, commit) is printed and written to target/e2e/soak-run/report.md. Exit status
# non-zero on any wrong verdict, or on any failed admission outside an API-server or etcd restart or a replica kill.
# Not part of CI: it takes as long as you ask, and measures the machine it runs on.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration=10m rate=10 down=20s etcd_down=10s build=1

iso() { # 10m, 90s, 1h -> ISO-8601 duration
  [[ "$1" =~ ^([0-9]+)([smh])$ ]] || { echo "soak: not a duration (e.g. 90s, 10m, 1h): $1" >&2; exit 2; }
  local n="${BASH_REMATCH[1]}" unit="${BASH_REMATCH[2]}"
  case "$unit" in
    s) echo "PT${n}S" ;;
    m) echo "PT${n}M" ;;
    h) echo "PT${n}H" ;;
  esac
}

while (($#)); do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --apiserver-down) down="$2"; shift 2 ;;
    --etcd-down) etcd_down="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h | --help) sed -n '2,19p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "soak: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$rate" =~ ^[1-9][0-9]*$ ]] || { echo "soak: --rate must be a positive number of admissions per second" >&2; exit 2; }

cd "$root"
if ((build)); then
  echo "[soak] building the operator jar (./mvnw package -DskipTests)..." >&2
  ./mvnw -B -q package -DskipTests >&2
fi
echo "[soak] running for ${duration} at ${rate}/s; the report goes to target/e2e/soak-run/report.md" >&2
rm -f target/e2e/soak-run/report.md
rc=0
./mvnw -B -q test-compile exec:exec@ensure-k8s-tools failsafe:integration-test failsafe:verify \
  -Dit.test=SoakRun -Dsoak.duration="$(iso "$duration")" -Dsoak.rate="$rate" -Dsoak.apiserver-down="$(iso "$down")" \
  -Dsoak.etcd-down="$(iso "$etcd_down")" \
  -Dfailsafe.redirectTestOutputToFile=true >&2 || rc=$?
if [[ -f target/e2e/soak-run/report.md ]]; then
  cat target/e2e/soak-run/report.md
else
  echo "[soak] no report: the soak did not get to the end; see target/failsafe-reports/dev.hardening.e2e.SoakRun*" >&2
fi
((rc == 0)) && echo "[soak] passed: no wrong verdict, no failed admission outside a fault window" >&2 \
  || echo "[soak] FAILED (exit ${rc}); details in target/failsafe-reports/dev.hardening.e2e.SoakRun-output.txt" >&2
exit "$rc"
