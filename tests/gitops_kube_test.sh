#!/usr/bin/env bash
# End-to-end: `fusion gitops run` (from here, against the real test cluster of
# scripts/kube-cluster) syncing a real git repository served by `git daemon` on 127.0.0.1.
# First sync creates everything (a CRD and its custom resource in one commit among them); a new
# commit updates; a removed file prunes exactly that object; an object the repository does not
# own is never touched; broken YAML leaves the cluster as it was and prunes nothing; drift is put
# back; `gitops sync` asks for a sync at once; a restarted controller resumes from the status
# without applying again.
# Usage: gitops_kube_test.sh FUSION SOURCE_DIR   (KUBECONFIG set)
set -euo pipefail
fusion=$1
source_dir=$2
# shellcheck source=cli_test_lib.sh
source "$source_dir/tests/cli_test_lib.sh"
[ -n "${KUBECONFIG:-}" ] || fail "KUBECONFIG is not set: eval \$(scripts/kube-cluster env)"
dir=$(mktemp -d)
ns="fzgo$$"
controller_pid=
daemon_pid=
cleanup() {
  [ -n "$controller_pid" ] && kill "$controller_pid" 2>/dev/null || true
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null || true
  kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
  kubectl delete crd "widgets.$ns.example.com" --wait=false >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
export XDG_CACHE_HOME=$dir/cache HOME=$dir
git config --global user.email test@example.com
git config --global user.name test
git config --global init.defaultBranch main

# The repository: deploy/ holds two ConfigMaps, a CRD and one of its resources.
git init -q --bare "$dir/served/shop.git"
git clone -q "$dir/served/shop.git" "$dir/work" 2>/dev/null
mkdir -p "$dir/work/deploy"
cd "$dir/work"
config() {
  cat >deploy/config.yaml <<YAML
apiVersion: v1
kind: ConfigMap
metadata: { name: app-config }
data: { LEVEL: "$1" }
YAML
}
config info
cat >deploy/extra.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: { name: extra }
data: { A: "1" }
---
# an empty document, as real repositories have
YAML
cat >deploy/widgets.yaml <<YAML
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.$ns.example.com }
spec:
  group: $ns.example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets, singular: widget }
  versions:
  - name: v1
    served: true
    storage: true
    schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
---
apiVersion: $ns.example.com/v1
kind: Widget
metadata: { name: gear }
spec: { teeth: 12 }
YAML
echo "# not a manifest" >deploy/README.md
commit() { git add -A . && git commit -qm "$1" && git push -q origin main 2>/dev/null; }
commit "first"

port=$((20000 + $$ % 20000))
git daemon --base-path="$dir/served" --export-all --reuseaddr --listen=127.0.0.1 --port="$port" \
  --pid-file="$dir/daemon.pid" --detach
for _ in $(seq 50); do [ -s "$dir/daemon.pid" ] && break; sleep 0.1; done
daemon_pid=$(cat "$dir/daemon.pid")

expect 0 "installed the GitRepository CRD" -- "$fusion" gitops install --crd-only --apply
kubectl create namespace "$ns" >/dev/null
kubectl -n "$ns" create configmap bystander --from-literal=keep=me >/dev/null
kubectl apply -f - >/dev/null <<YAML
apiVersion: gitops.fusion.dev/v1alpha1
kind: GitRepository
metadata: { name: shop, namespace: $ns }
spec:
  url: git://127.0.0.1:$port/shop.git
  branch: main
  path: deploy
  interval: 2s
  targetNamespace: $ns
YAML

start_controller() {
  "$fusion" gitops run -n "$ns" >>"$dir/controller.log" 2>&1 &
  controller_pid=$!
}
gr() { kubectl -n "$ns" get gitrepository shop -o "jsonpath=$1"; }
wait_for() {  # wait_for DESCRIPTION COMMAND…: until the command succeeds, at most 60 s
  local what=$1
  shift
  for _ in $(seq 120); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  fail "$what: not within 60 s; controller log:
$(cat "$dir/controller.log")
status: $(gr '{.status}')"
}
synced_at() { [ "$(gr '{.status.phase}')" = Synced ] && [ "$(gr '{.status.lastSyncedCommit}')" = "$1" ]; }

start_controller
head=$(git rev-parse HEAD)
wait_for "first sync" synced_at "$head"
expect 0 "^info$" -- kubectl -n "$ns" get configmap app-config -o 'jsonpath={.data.LEVEL}{"\n"}'
expect 0 "^12$" -- kubectl -n "$ns" get widget gear -o 'jsonpath={.spec.teeth}{"\n"}'
expect 0 "^$ns.shop$" -- kubectl -n "$ns" get configmap extra -o 'jsonpath={.metadata.labels.gitops\.fusion\.dev/owner}{"\n"}'
expect 0 "applyset-" -- kubectl -n "$ns" get configmap extra -o 'jsonpath={.metadata.labels.applyset\.kubernetes\.io/part-of}'
[ "$(gr '{.status.inventory}' | grep -o '"name"' | wc -l)" -eq 4 ] || fail "inventory: $(gr '{.status.inventory}')"
expect 0 "shop +Synced +${head:0:12}" -- "$fusion" gitops status -n "$ns"
echo "ok: first sync created the ConfigMaps, the CRD and its Widget"

config debug
commit "debug"
head=$(git rev-parse HEAD)
wait_for "a new commit" synced_at "$head"
expect 0 "^debug$" -- kubectl -n "$ns" get configmap app-config -o 'jsonpath={.data.LEVEL}{"\n"}'
echo "ok: a new commit updated app-config"

git rm -q deploy/extra.yaml
commit "drop extra"
head=$(git rev-parse HEAD)
wait_for "a removed file" synced_at "$head"
kubectl -n "$ns" get configmap extra >/dev/null 2>&1 && fail "extra was not pruned"
expect 0 "^me$" -- kubectl -n "$ns" get configmap bystander -o 'jsonpath={.data.keep}{"\n"}'
kubectl -n "$ns" get configmap app-config >/dev/null || fail "app-config went too"
echo "ok: the removed file pruned exactly its object; the bystander is untouched"

# Broken YAML, and the Widget's file removed in the same commit: nothing applied, nothing pruned.
git rm -q deploy/widgets.yaml
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: broken\ndata: [\n' >deploy/broken.yaml
commit "broken"
broken=$(git rev-parse HEAD)
failed_at() { [ "$(gr '{.status.phase}')" = Failed ] && [ "$(gr '{.status.lastAttemptedCommit}')" = "$1" ]; }
wait_for "the broken commit to fail" failed_at "$broken"
expect 0 "broken.yaml" -- kubectl -n "$ns" get gitrepository shop -o 'jsonpath={.status.lastError}'
kubectl -n "$ns" get widget gear >/dev/null || fail "a failed render pruned the Widget"
expect 1 "shop +Failed" -- "$fusion" gitops status -n "$ns"
echo "ok: broken YAML fails in words, applies nothing and prunes nothing"
git rm -q deploy/broken.yaml
git checkout -q HEAD~1 -- deploy/widgets.yaml
commit "fixed"
head=$(git rev-parse HEAD)
wait_for "the fix" synced_at "$head"

# Drift: a change by hand is put back at the next interval.
kubectl -n "$ns" patch configmap app-config --type merge -p '{"data":{"LEVEL":"hand-edited"}}' >/dev/null
level() { [ "$(kubectl -n "$ns" get configmap app-config -o 'jsonpath={.data.LEVEL}')" = debug ]; }
wait_for "drift put back" level
grep -q "drift corrected: ConfigMap $ns/app-config: /data/LEVEL" "$dir/controller.log" ||
  fail "the drift was not reported: $(cat "$dir/controller.log")"
echo "ok: drift put back and reported by object and field"

# A restart resumes from the status: nothing applied again.
kill -INT "$controller_pid"
wait "$controller_pid" || true
lines=$(wc -l <"$dir/controller.log")
start_controller
sleep 6
tail -n +"$((lines + 1))" "$dir/controller.log" | grep -q "applied" &&
  fail "the restarted controller applied again: $(tail -n +"$((lines + 1))" "$dir/controller.log")"
echo "ok: a restarted controller applies nothing it had applied"

expect 0 "sync of shop requested" -- "$fusion" gitops sync shop -n "$ns"
before=$(grep -c "applied" "$dir/controller.log" || true)
for _ in $(seq 40); do [ "$(grep -c "applied" "$dir/controller.log")" -gt "$before" ] && break; sleep 0.5; done
[ "$(grep -c "applied" "$dir/controller.log")" -gt "$before" ] || fail "gitops sync did not sync: $(cat "$dir/controller.log")"
echo "controller log (first lines):"
head -12 "$dir/controller.log"
echo "gitops_kube_test: every check passed"
