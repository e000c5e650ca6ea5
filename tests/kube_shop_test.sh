#!/usr/bin/env bash
# End-to-end: examples/shop, offline (its offline.yaml overlay: busybox stand-ins for the
# released database images, core-api from local source), brought up on the real test cluster
# of scripts/kube-cluster with `fusion up --target kubernetes web orders-worker` (the services
# web and the worker need: mailpit and the payments sandbox have no offline stand-in). Checks
# the order of the phases and dependencies from the cluster's own timestamps, that the shop
# answers through its Services and through `fusion forward`, and that `down --volumes` leaves
# nothing. The test cluster has no volume provisioner, so the test makes the PersistentVolume
# the shop's claim binds to, as a user of a bare cluster would.
# Usage: kube_shop_test.sh FUSION SOURCE_DIR   (KUBECONFIG, FUSION_CONTAINERD_ADDRESS set)
set -euo pipefail
fusion=$1
source_dir=$2
# shellcheck source=cli_test_lib.sh
source "$source_dir/tests/cli_test_lib.sh"
[ -n "${KUBECONFIG:-}" ] && [ -n "${FUSION_CONTAINERD_ADDRESS:-}" ] ||
  fail "KUBECONFIG and FUSION_CONTAINERD_ADDRESS are not set: eval \$(scripts/kube-cluster env)"
"$source_dir/scripts/busybox-image" >/dev/null
podman tag localhost/fusion-busybox:latest docker.io/library/busybox:1.36
dir=$(mktemp -d)
ns="fzshop$$"
pv="$ns-pgdata"
forward_pid=
cleanup() {
  [ -n "$forward_pid" ] && kill "$forward_pid" 2>/dev/null || true
  (cd "$dir" && "$fusion" --overlay offline.yaml down --volumes --target kubernetes \
    --namespace "$ns" >/dev/null 2>&1) || true
  kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
  kubectl delete pv "$pv" --wait=false >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
cp -r "$source_dir/examples/shop/." "$dir"
cd "$dir"
kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: PersistentVolume
metadata: { name: $pv }
spec:
  capacity: { storage: 1Gi }
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  claimRef: { namespace: $ns, name: pgdata }
  hostPath: { path: $dir/.pgdata, type: DirectoryOrCreate }
YAML
kc() { kubectl -n "$ns" "$@"; }
at() { kc get "$1" -o "jsonpath=$2"; }
# When the service's (only) pod became Ready: Deployments and postgres's StatefulSet alike.
available() {
  kc get pods -l "app.kubernetes.io/name=$1" \
    -o 'jsonpath={.items[0].status.conditions[?(@.type=="Ready")].lastTransitionTime}'
}
created() { at "$1" '{.metadata.creationTimestamp}'; }
shop() { "$fusion" --overlay offline.yaml "$@" --target kubernetes --namespace "$ns"; }

expect 0 "7 services: 1 completed, 6 healthy" -- shop up web orders-worker
# Phases are barriers: setup (migrate) after every database was available, apps after migrate
# completed; web after core-api was available (RFC 3339 UTC times compare as text).
migrate_created=$(created job/migrate)
for db in postgres redis broker; do
  ready=$(available "$db")
  [ -n "$ready" ] || fail "$db has no Ready time"
  [[ ! "$migrate_created" < "$ready" ]] || fail "migrate ($migrate_created) before $db ($ready)"
done
migrate_done=$(at job/migrate '{.status.completionTime}')
[ -n "$migrate_done" ] || fail "migrate has no completion time"
for app in core-api orders-worker web; do
  c=$(created "deployment/$app")
  [[ ! "$c" < "$migrate_done" ]] || fail "$app ($c) before migrate completed ($migrate_done)"
done
[[ ! "$(created deployment/web)" < "$(available core-api)" ]] || fail "web before core-api was available"
echo "ok: phases and dependencies in order on the cluster's clock"
expect 0 "Bound" -- kc get pvc pgdata
# status covers the whole registry: what this up left out is "not deployed" (exit 1).
expect 1 "^web +Deployment +1/1 +ready" -- shop status
expect 1 "^mailpit +- +- +not deployed" -- shop status
# The API answers through its Service from the web pod (cluster DNS follows Services).
for _ in $(seq 30); do kc exec deploy/web -- wget -q -O - http://core-api:8080/healthz >/dev/null 2>&1 && break; sleep 1; done
expect 0 "." -- kc exec deploy/web -- wget -q -O - http://core-api:8080/healthz

# fusion forward: web's published 3000 on localhost, to its pod.
"$fusion" --overlay offline.yaml forward web --target kubernetes --namespace "$ns" >forward.out 2>&1 &
forward_pid=$!
for _ in $(seq 40); do wget -q -O - http://127.0.0.1:3000/ >/dev/null 2>&1 && break; sleep 0.5; done
wget -q -O - http://127.0.0.1:3000/ >/dev/null || fail "nothing on localhost:3000: $(cat forward.out)"
echo "ok: fusion forward serves web on localhost:3000"
kill -INT "$forward_pid"
wait "$forward_pid" || true
forward_pid=
pgrep -f "port-forward.*--namespace=$ns" >/dev/null && fail "a kubectl port-forward outlived fusion forward"
echo "ok: Ctrl-C stops every forward"

expect 0 "objects removed from namespace $ns" -- shop down --volumes
left=$(kc get all,pvc,secret,configmap -o name 2>&1 | grep -vE "^(service/kubernetes|secret/default-token-.*|configmap/kube-root-ca.crt)$" || true)
[ -z "$left" ] || fail "down left: $left"
echo "kube_shop_test: every check passed"
