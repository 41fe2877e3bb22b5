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

# "wall_ms cpu_ms" of one run (cpu: user + sys of the process and its threads, JIT and GC included); exit 1 (findings)
# is not an error here. CPU time is printed beside wall time because a shared machine inflates the wall time.
measure() {
  local t
  t="$(mktemp)"
  /usr/bin/time -f '%e %U %S' -o "$t" "$@" > /dev/null 2>&1 || [[ $? -eq 1 ]]
  # /usr/bin/time writes "Command exited with non-zero status 1" first when the check found problems
  tail -1 "$t" | awk '{printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000}'
  rm -f "$t"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

"$cli" check -f "$small" > /dev/null || true   # warm the page cache (and write the launcher's class archive)
one_wall=(); one_cpu=()
for ((r = 0; r < runs; r++)); do
  read -r w c < <(measure "$cli" check -f "$small"); one_wall+=("$w"); one_cpu+=("$c")
done
dir_wall=(); dir_cpu=()
for ((r = 0; r < 3; r++)); do
  read -r w c < <(measure "$cli" check "$work/manifests" -o json); dir_wall+=("$w"); dir_cpu+=("$c")
done
one_ms="$(printf '%s\n' "${one_wall[@]}" | median)"; one_cpu_ms="$(printf '%s\n' "${one_cpu[@]}" | median)"
dir_ms="$(printf '%s\n' "${dir_wall[@]}" | median)"; dir_cpu_ms="$(printf '%s\n' "${dir_cpu[@]}" | median)"
checked="$("$cli" check "$work/manifests" -o json | grep -c '"verdict"' || true)"
rate() { echo $(( checked * 1000 / ($1 - $2 > 0 ? $1 - $2 : 1) )); }

echo "JVM: $(java -version 2>&1 | head -1); options: ${HARDENING_JAVA_OPTS:-launcher defaults}; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "one small file ($small), median of $runs runs: ${one_ms} ms wall, ${one_cpu_ms} ms CPU (wall runs: ${one_wall[*]})"
echo "directory of $checked manifests, median of 3 runs: ${dir_ms} ms wall, ${dir_cpu_ms} ms CPU (wall runs: ${dir_wall[*]})"
echo "after start-up: $(rate "$dir_ms" "$one_ms") objects/s by wall time, $(rate "$dir_cpu_ms" "$one_cpu_ms") objects/s by CPU time (objects / (directory - one file)), one thread"
