#!/usr/bin/env bash
# Speed of the hardening CLI (docs/benchmarks.md, "CLI"): objects per second checking a directory of 10,000 generated
# manifests on one thread, and the wall time of one small file from process start. Not run in CI.
#   hack/bench-cli.sh            # builds target/cli if missing, then measures with the launcher's JVM options
#   RUNS=20 hack/bench-cli.sh    # more runs of the one-file case (median reported)
#   HARDENING_JAVA_OPTS="..." hack/bench-cli.sh   # other JVM options, passed to the launcher
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
runs="${RUNS:-10}"
objects="${OBJECTS:-10000}"
cli="target/cli/kubectl-hardening"
[[ -x "$cli" ]] || ./mvnw -B -q package -DskipTests >&2

work="target/bench-cli"
rm -rf "$work" && mkdir -p "$work/manifests"
# half compliant, half with the usual problems, every handled kind's most common shape: a Deployment
for ((i = 0; i < objects; i++)); do
  if ((i % 2 == 0)); then
    image="registry.example.com/app-$i:1.0@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"
  else
    image="nginx:1.$((i % 30))"
  fi
  cat > "$work/manifests/deploy-$i.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-$i
  namespace: team-$((i % 50))
  labels: {app: app-$i}
spec:
  replicas: 2
  selector:
    matchLabels: {app: app-$i}
  template:
    metadata:
      labels: {app: app-$i}
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: app
        image: $image
        ports: [{containerPort: 8080}]
        env: [{name: LOG_LEVEL, value: info}]
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {cpu: 500m, memory: 128Mi}
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL]}
        livenessProbe: {httpGet: {path: /healthz, port: 8080}}
        readinessProbe: {httpGet: {path: /ready, port: 8080}}
YAML
done
small="examples/demo/noncompliant-deployment.yaml"

now_ms() { date +%s%3N; }
# wall time in ms of one run; the exit code (0 or 1: findings) is not an error here
time_ms() {
  local start end
  start="$(now_ms)"
  "$@" > /dev/null 2>&1 || [[ $? -eq 1 ]]
  end="$(now_ms)"
  echo $((end - start))
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

"$cli" check -f "$small" > /dev/null || true   # warm the page cache
one=()
for ((r = 0; r < runs; r++)); do one+=("$(time_ms "$cli" check -f "$small")"); done
one_ms="$(printf '%s\n' "${one[@]}" | median)"
dir=()
for ((r = 0; r < 3; r++)); do dir+=("$(time_ms "$cli" check "$work/manifests" -o json)"); done
dir_ms="$(printf '%s\n' "${dir[@]}" | median)"
checked="$("$cli" check "$work/manifests" -o json | grep -c '"verdict"' || true)"
rate=$(( checked * 1000 / (dir_ms - one_ms > 0 ? dir_ms - one_ms : 1) ))

echo "JVM: $(java -version 2>&1 | head -1); options: ${HARDENING_JAVA_OPTS:-launcher defaults}; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "one small file ($small), median of $runs runs: ${one_ms} ms wall (runs: ${one[*]})"
echo "directory of $checked manifests, median of 3 runs: ${dir_ms} ms wall (runs: ${dir[*]})"
echo "after start-up: $rate objects/s (objects / (directory time - one-file time)), one thread"
