#!/usr/bin/env bash
# End-to-end: `fusion up --target kubernetes` and `down` on the real cluster of
# scripts/kube-cluster (label kube), with tests/fixtures/kube-stack: images built by podman and
# imported into the node's containerd; services applied in dependency order (checked from the
# cluster's own timestamps); a second up applies nothing; a one-file edit rolls out the services
# built from that folder and keeps the others; logs of the pods; restart rolls out the service
# and its dependents while `fusion forward` follows the replaced pods; `target: kubernetes` in
# fusion.local.yaml; a failing service blocks its dependents and its last log lines are shown;
# a service removed from the registry is pruned; down leaves nothing.
# Usage: kube_up_test.sh FUSION SOURCE_DIR   (KUBECONFIG, FUSION_CONTAINERD_ADDRESS set)
set -euo pipefail
fusion=$1
source_dir=$2
# shellcheck source=cli_test_lib.sh
source "$source_dir/tests/cli_test_lib.sh"
[ -n "${KUBECONFIG:-}" ] && [ -n "${FUSION_CONTAINERD_ADDRESS:-}" ] ||
  fail "KUBECONFIG and FUSION_CONTAINERD_ADDRESS are not set: eval \$(scripts/kube-cluster env)"
"$source_dir/scripts/busybox-image" >/dev/null
# The image the generated init containers wait with, as a user would pull it (here: the
# offline busybox base under that name).
podman tag localhost/fusion-busybox:latest docker.io/library/busybox:1.36
dir=$(mktemp -d)
ns="fzkt$$"
forward_pid=
cleanup() {
  [ -n "$forward_pid" ] && kill "$forward_pid" 2>/dev/null || true
  (cd "$dir" && "$fusion" down --target kubernetes >/dev/null 2>&1) || true
  kubectl delete namespace "$ns" --wait=false >/dev/null 2>&1 || true
  podman images -q --filter "label=io.fusion.stack=$ns" | xargs -r podman rmi -f >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
cp -r "$source_dir/tests/fixtures/kube-stack/." "$dir"
sed -i "s/name: fusion-kt/name: $ns/" "$dir/fusion.yaml"
cd "$dir"
kc() { kubectl -n "$ns" "$@"; }
at() { kc get "$1" -o "jsonpath=$2"; }

expect 0 "4 services: 1 completed, 3 healthy" -- "$fusion" up --target kubernetes
# In dependency order, by the cluster's clock (RFC 3339 UTC times compare as text):
# migrate's Job after db was available, api after migrate completed, web after api was available.
db_ready=$(at deployment/db '{.status.conditions[?(@.type=="Available")].lastTransitionTime}')
migrate_created=$(at job/migrate '{.metadata.creationTimestamp}')
migrate_done=$(at job/migrate '{.status.completionTime}')
api_created=$(at deployment/api '{.metadata.creationTimestamp}')
api_ready=$(at deployment/api '{.status.conditions[?(@.type=="Available")].lastTransitionTime}')
web_created=$(at deployment/web '{.metadata.creationTimestamp}')
[[ ! "$migrate_created" < "$db_ready" ]] || fail "migrate ($migrate_created) before db was available ($db_ready)"
[[ ! "$api_created" < "$migrate_done" ]] || fail "api ($api_created) before migrate completed ($migrate_done)"
[[ ! "$web_created" < "$api_ready" ]] || fail "web ($web_created) before api was available ($api_ready)"
echo "ok: dependency order on the cluster's clock"
expect 0 "^api +Deployment +1/1 +ready" -- "$fusion" status --target kubernetes
expect 0 "^migrate +Job +1/1 succeeded +completed" -- "$fusion" status --target kubernetes
expect 0 "^app v1$" -- kc exec deploy/api -- wget -q -O - http://localhost:8080/
# The Service name resolves in the cluster (the test cluster's DNS follows Services within
# seconds: scripts/kube/dns-sync.sh).
for _ in $(seq 30); do kc exec deploy/api -- wget -q -O - http://web/ >/dev/null 2>&1 && break; sleep 1; done
expect 0 "^web$" -- kc exec deploy/api -- wget -q -O - http://web/

expect 0 "^migrate +\| migrated$" -- "$fusion" logs --target kubernetes migrate
expect 2 "no service 'apii' in $ns; did you mean 'api'\?" -- "$fusion" logs --target kubernetes apii

# From here on, fusion.local.yaml chooses the cluster: no --target.
echo "target: kubernetes" >fusion.local.yaml

# A second up applies nothing: every service is kept.
out=$("$fusion" up --explain 2>&1)
[ "$(grep -cE '^(api|db|migrate|web) +keep +unchanged' <<<"$out")" -eq 4 ] || fail "second up: $out"
echo "ok: a second up keeps every service"

# One file of services/app changes: the three services built from it roll out; web is kept.
echo "app v2" >services/app/index.html
out=$("$fusion" up --explain 2>&1) || fail "up after the edit: $out"
grep -qE '^web +keep' <<<"$out" || fail "web not kept: $out"
grep -qE '^api +apply +Deployment api changed' <<<"$out" || fail "api not applied: $out"
grep -qE '^migrate +replace' <<<"$out" || fail "migrate not replaced: $out"
expect 0 "^app v2$" -- kc exec deploy/api -- wget -q -O - http://localhost:8080/

# fusion forward: api's 8080 on localhost, to its pod, and to the new pod after a restart.
"$fusion" forward api >forward.out 2>&1 &
forward_pid=$!
served() { wget -q -T 2 -O - http://127.0.0.1:8080/ 2>/dev/null; }
for _ in $(seq 40); do [ "$(served)" = "app v2" ] && break; sleep 0.5; done
[ "$(served)" = "app v2" ] || fail "nothing on localhost:8080: $(cat forward.out)"
echo "ok: fusion forward serves api on localhost:8080"
# The pod forward chose (the edit's rollout may leave the old pod terminating a while).
api_pod=$(sed -n 's/^api: localhost .* to pod //p' forward.out | tail -1)
web_pod=$(kc get pods -l app.kubernetes.io/name=web -o 'jsonpath={.items[0].metadata.name}')
# restart api: api and web (which depends on it) roll out; db and migrate are left alone.
out=$("$fusion" restart api --explain 2>&1) || fail "restart: $out"
grep -qE '^api +apply +restart requested' <<<"$out" || fail "api not restarted: $out"
grep -qE '^web +apply +restart requested' <<<"$out" || fail "web not restarted: $out"
grep -qE '^db +keep' <<<"$out" || fail "db not kept: $out"
[ -n "$(at deployment/api '{.spec.template.metadata.annotations.fusion\.dev/restarted-at}')" ] ||
  fail "api's template has no restarted-at"
for _ in $(seq 60); do
  now=$(kc get pods -l app.kubernetes.io/name=api -o 'jsonpath={.items[*].metadata.name}')
  [ "$now" != "$api_pod" ] && [ "${now#* }" = "$now" ] && break
  sleep 0.5
done
[ "$now" != "$api_pod" ] || fail "api's pod was not replaced"
# web rolled out after api (restart waits for it); its old pod may still be terminating.
web_pods=$(kc get pods -l app.kubernetes.io/name=web -o 'jsonpath={.items[*].metadata.name}')
[ "$web_pods" != "$web_pod" ] || fail "web's pod was not replaced"
for _ in $(seq 40); do grep -q "to pod $now" forward.out && [ "$(served)" = "app v2" ] && break; sleep 0.5; done
grep -q "api: pod $api_pod is gone or not ready" forward.out || fail "forward did not see the pod go: $(cat forward.out)"
[ "$(served)" = "app v2" ] || fail "forward not re-established on $now: $(cat forward.out)"
echo "ok: restart rolled api and web out, and forward followed api to its new pod"
kill -INT "$forward_pid"
wait "$forward_pid" || true
forward_pid=
pgrep -f "port-forward.*--namespace=$ns" >/dev/null && fail "a kubectl port-forward outlived fusion forward"
echo "ok: Ctrl-C stops every forward"
# A restart leaves the services as the next up plans them: kept.
out=$("$fusion" up --explain 2>&1)
[ "$(grep -cE '^(api|db|migrate|web) +keep +unchanged' <<<"$out")" -eq 4 ] || fail "up after restart: $out"

# A service that crashes fails with what the cluster says, and blocks what waits for it.
cat >>fusion.yaml <<'YAML'
  broken:
    image: localhost/fusion-busybox:latest
    command: [sh, -c, "echo about to fail; exit 3"]
    ports: ["9"]
    health: { tcp: 9, interval: 1s, retries: 120 }
    stop_grace_period: 1s
  needs-broken:
    image: localhost/fusion-busybox:latest
    command: [sleep, "3600"]
    depends_on: { broken: healthy }
    stop_grace_period: 1s
YAML
out=$("$fusion" up 2>&1) && fail "an up with a crashing service exited 0: $out"
grep -q "failed: broken" <<<"$out" || fail "no failure for broken: $out"
grep -q "CrashLoopBackOff" <<<"$out" || fail "the cluster's reason is not said: $out"
grep -qE "last 20 log lines of broken-[a-z0-9-]+/broken:" <<<"$out" || fail "no log lines: $out"
grep -q "  | about to fail" <<<"$out" || fail "not the container's own words: $out"
grep -q "blocked: needs-broken (waits for broken failed)" <<<"$out" || fail "needs-broken not blocked: $out"
grep -q "6 services: 1 blocked, 1 completed, 1 failed, 3 healthy" <<<"$out" ||
  fail "the independent services did not carry on: $out"
expect 1 "^broken +Deployment +0/1 +failed +.*CrashLoopBackOff" -- "$fusion" status
echo "ok: a crashing service fails with CrashLoopBackOff and blocks its dependent"

# Removed from the registry: its objects are pruned on the next up, nothing else is touched.
sed -i '/^  broken:/,$d' fusion.yaml
expect 0 "prune Deployment $ns/broken: no longer generated" -- "$fusion" up --explain
kc get deployment broken >/dev/null 2>&1 && fail "deployment broken is still there"
echo "ok: a removed service is pruned"

expect 0 "objects removed from namespace $ns" -- "$fusion" down
left=$(kc get all -o name 2>&1 | grep -v "^service/kubernetes$" || true)
[ -z "$left" ] || fail "down left: $left"
echo "kube_up_test: every check passed"
