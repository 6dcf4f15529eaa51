#!/usr/bin/env bash
# Smoke test of svc's Kubernetes engine on a real cluster (kind, k3s, or a cloud one): installs
# hello-world, checks its pods, PVCs and labels, replaces a pod onto another node, uninstalls, and
# checks nothing labelled with the service is left. Uses the current kubeconfig context unless told.
#
#   scripts/kubernetes-smoke.sh [--kubeconfig F] [--context C] [--namespace N] [--image I] [--svc PATH]
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
namespace=svc-smoke
image=busybox:1.36
svc="$here/bin/svc"
kube_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --kubeconfig) kube_args+=(--kubeconfig "$2"); shift 2 ;;
    --context) kube_args+=(--context "$2"); shift 2 ;;
    --namespace) namespace=$2; shift 2 ;;
    --image) image=$2; shift 2 ;;
    --svc) svc=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "kubernetes-smoke: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

service=hello-world
selector="svc/service=$service"
export SVC_HOME=${SVC_HOME:-$(mktemp -d)}
k() { kubectl "${kube_args[@]}" -n "$namespace" "$@"; }
step() { printf '\n== %s\n' "$*"; }
fail() { echo "kubernetes-smoke: FAILED: $*" >&2; exit 1; }
# polls `$@` until it succeeds, for at most $deadline seconds
wait_for() {
  local what=$1 deadline=$2; shift 2
  local end=$((SECONDS + deadline))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $end ] || fail "$what (after ${deadline}s)"
    sleep 2
  done
}

command -v kubectl >/dev/null || fail "kubectl is not on PATH"
[ -x "$svc" ] || fail "$svc is not built (run: node build.mjs)"
kubectl "${kube_args[@]}" get nodes -o wide || fail "cannot reach the cluster"
ready=$(kubectl "${kube_args[@]}" get nodes -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True || true)
[ "$ready" -ge 2 ] || echo "note: $ready Ready node(s); the replace step needs 2 to move the pod"
kubectl "${kube_args[@]}" get namespace "$namespace" >/dev/null 2>&1 || kubectl "${kube_args[@]}" create namespace "$namespace"

conn=("${kube_args[@]}" --namespace "$namespace")
step "install $service (--engine kubernetes, image $image)"
"$svc" install "$here/examples/hello-world" --engine kubernetes "${conn[@]}" --default-image "$image"

step "deploy plan"
wait_for "deploy COMPLETE" 300 bash -c "'$svc' plan show deploy --name $service --json | grep -q '\"status\": *\"COMPLETE\"'"
"$svc" plan show deploy --name "$service"

step "pods, PVCs and labels"
k get pods,pvc,configmaps,leases -l "$selector" -o wide
[ "$(k get pods -l "$selector" --field-selector=status.phase=Running -o name | wc -l)" -eq 2 ] || fail "expected 2 running pods"
[ "$(k get pvc -l "$selector" -o name | wc -l)" -eq 2 ] || fail "expected 2 PVCs"
for p in $(k get pods -l "$selector" -o name); do
  [ "$(k get "$p" -o jsonpath='{.spec.restartPolicy}')" = Never ] || fail "$p: restartPolicy is not Never"
done

step "exec and log"
"$svc" task exec --name "$service" hello-0-server cat hello-container-path/output | grep -q hello || fail "exec did not read the volume"

step "replace hello-0"
old_node=$(k get pods -l "$selector,svc/task=hello-0-server" -o jsonpath='{.items[0].spec.nodeName}')
old_pvc=$(k get pvc -l "$selector,svc/pod-instance=hello-0" -o jsonpath='{.items[0].metadata.name}')
"$svc" pod replace hello-0 --name "$service" --yes
wait_for "hello-0 running again" 300 bash -c "kubectl ${kube_args[*]} -n $namespace get pods -l '$selector,svc/task=hello-0-server' --field-selector=status.phase=Running -o name | grep -q pod/"
new_node=$(k get pods -l "$selector,svc/task=hello-0-server" --field-selector=status.phase=Running -o jsonpath='{.items[0].spec.nodeName}')
echo "hello-0: $old_node -> $new_node"
k get pvc "$old_pvc" >/dev/null 2>&1 && fail "the replaced pod's PVC $old_pvc is still there"

step "uninstall"
"$svc" uninstall "$service" --yes
left=$(k get pods,pvc,configmaps,secrets,leases -l "$selector" -o name)
[ -z "$left" ] || fail "left behind: $left"
echo
echo "kubernetes-smoke: OK"
