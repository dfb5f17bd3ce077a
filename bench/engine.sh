#!/usr/bin/env bash
# Engine benchmark: simulates one virtual hour of (a) 1,000 Pod manifests and (b) one Deployment of
# 1,000 replicas with a Service, every pod with an httpGet liveness and readiness probe (period 10 s),
# through the release CLI, and prints wall time and probe executions per second. The cluster has ten
# nodes, since a kubelet runs at most 110 pods.
# Usage: bench/engine.sh            (not part of the test suite: it measures, it does not assert)
#        BENCH_DIR=/tmp/b bench/engine.sh   keeps the generated scenarios there, for profiling
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/probe-playground
if [ -n "${BENCH_DIR:-}" ]; then
  dir=$BENCH_DIR
  mkdir -p "$dir"
else
  dir=$(mktemp -d)
  trap 'rm -rf "$dir"' EXIT
fi

# The two probes every container gets, indented by $1.
probes() {
  printf '%slivenessProbe:\n%s  httpGet: {path: /, port: 80}\n%s  periodSeconds: 10\n' "$1" "$1" "$1"
  printf '%sreadinessProbe:\n%s  httpGet: {path: /, port: 80}\n%s  periodSeconds: 10\n' "$1" "$1" "$1"
}

# Ten nodes, k8s-worker1 ... k8s-worker10.
scenario() {
  printf 'apiVersion: playground/v1\nkind: Scenario\nmetadata:\n  name: bench-%s\nspec:\n  nodes: [%s]\n' \
    "$1" "$(seq -s ', ' -f 'k8s-worker%g' 1 10)"
}

scenario pods > "$dir/pods.yaml"
for i in $(seq 1 1000); do
  cat <<YAML
---
apiVersion: v1
kind: Pod
metadata:
  name: web-$i
  labels: {app: web}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{containerPort: 80}]
$(probes '    ')
YAML
done >> "$dir/pods.yaml"

scenario deploy > "$dir/deploy.yaml"
cat >> "$dir/deploy.yaml" <<YAML
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1000
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
$(probes '        ')
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80}]
YAML

for f in pods deploy; do
  start=$(date +%s.%N)
  out=$("$bin" run "$dir/$f.yaml" --until 1h --print 'get pods' | grep -c ' Running ')
  end=$(date +%s.%N)
  awk -v f="$f" -v n="$out" -v a="$start" -v b="$end" \
    'BEGIN { s = b - a; printf "%-7s %4d pods Running at 1h, wall %.3f s, %.0f probe executions/s\n", f, n, s, 720000 / s }'
done
