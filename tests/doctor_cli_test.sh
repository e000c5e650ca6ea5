#!/usr/bin/env bash
# End-to-end: `fusion doctor` on this machine against a copy of examples/shop, checking the real
# podman, containers.conf, git, port and Kubernetes lines a user sees, and the exit codes.
# Usage: doctor_cli_test.sh FUSION SOURCE_DIR   (CONTAINERS_CONF: the build's containers.conf)
set -euo pipefail
fusion=$1
source_dir=$2
dir=$(mktemp -d)
listener=""
cleanup() {
  if [ -n "$listener" ]; then kill "$listener" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
# shellcheck source=cli_test_lib.sh
source "$source_dir/tests/cli_test_lib.sh"

cp -r "$source_dir/examples/shop" "$dir/shop"
busy=$((20000 + $$ % 20000))
free=$((busy + 1))
# mailpit's UI on a port a process of ours holds, postgres on one nobody holds.
sed -i "s/\"127.0.0.1:8025:8025\"/\"127.0.0.1:$busy:8025\"/; s/\"127.0.0.1:5432:5432\"/\"127.0.0.1:$free:5432\"/" \
  "$dir/shop/fusion.yaml"
busybox nc -l -p "$busy" </dev/null >/dev/null &
listener=$!
for _ in $(seq 50); do grep -qi ":$(printf '%04X' "$busy") 00000000:0000 0A" /proc/net/tcp && break; sleep 0.1; done

# No kubeconfig at all: a warning, not a failure.
export HOME=$dir/home
mkdir -p "$HOME"
unset KUBECONFIG KUBERNETES_SERVICE_HOST FUSION_RUNTIME
run() { "$fusion" -f "$dir/shop/fusion.yaml" doctor "$@"; }

podman_version=$(podman --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+')
git_version=$(git --version | grep -oE '[0-9]+\.[0-9]+\.[0-9]+')
# One run (doctor asks podman, git and the compose tools: seconds each), every line checked.
status=0
out=$(run 2>&1) || status=$?
[ "$status" -eq 1 ] || fail "doctor exited $status with a port held, wanted 1:
$out"
has() { grep -qE -- "$1" <<<"$out" || fail "doctor printed no match for '$1':
$out"; }
has "^ok    .*fusion.yaml is valid: 9 services"
has "^ok    podman $podman_version, reachable, runtime runc$"
has "^ok    podman's limits fit this machine \(nofile [0-9]+, nproc 32768: $CONTAINERS_CONF\)"
has "^ok    git $git_version$"
has "^(ok    docker-compose [0-9.]+|warn  docker-compose not installed) \(optional\)"
has "^fail  port $busy on 127.0.0.1 \(mailpit\) is held by busybox \(pid $listener\): stop it"
has "^ok    port $free on 127.0.0.1 \(postgres\) is free$"
has "^warn  no Kubernetes context: fine unless you use --target kubernetes"
has "^[0-9]+ checks: [0-9]+ ok, [0-9]+ warnings?, 1 failure$"
echo "ok: doctor with a port held -> 1"

# The same as JSON: one object per check.
json=$(run --json) && fail "doctor --json exited 0 with a port held"
jq -e --arg p "port.$busy" '.[] | select(.name == $p and .level == "fail")' <<<"$json" >/dev/null ||
  fail "no failed port.$busy in: $json"
jq -e '.[] | select(.name == "engine" and .level == "ok")' <<<"$json" >/dev/null ||
  fail "no ok engine in: $json"

# Once the port is free, nothing fails: exit 0.
kill "$listener"
wait "$listener" 2>/dev/null || true
listener=""
expect 0 "^ok    port $busy on 127.0.0.1 \(mailpit\) is free$" -- run

# Without the build's containers.conf, podman on these VMs cannot raise rlimits: doctor says so
# and prints the file that fixes it (as long as this process lacks CAP_SYS_RESOURCE).
hard=$(ulimit -Hn)
cap_eff=$(awk '/^CapEff/ {print $2}' /proc/self/status)
if (((0x$cap_eff >> 24) & 1)) || [ "$hard" -ge 1048576 ]; then
  expect 0 "^ok    podman's limits fit this machine" -- env -u CONTAINERS_CONF "$fusion" -f "$dir/shop/fusion.yaml" doctor
else
  expect 1 "^fail  podman cannot raise rlimits here: containers ask for nofile 1048576" -- \
    env -u CONTAINERS_CONF "$fusion" -f "$dir/shop/fusion.yaml" doctor
  expect 1 "^        default_ulimits = \[\"nofile=$hard:$hard\", \"nproc=[0-9]+:[0-9]+\"\]$" -- \
    env -u CONTAINERS_CONF "$fusion" -f "$dir/shop/fusion.yaml" doctor
fi

# Outside any stack: the registry is a warning and the machine checks still run.
cd "$dir"
expect 0 "^warn  no fusion.yaml here or above" -- "$fusion" doctor
# An unknown context of a kubeconfig that exists is a failure with the kubeconfig's reason.
printf 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n' >"$dir/kubeconfig"
expect 1 "^fail  .*nope" -- "$fusion" doctor --kubeconfig "$dir/kubeconfig" --context nope
echo "doctor_cli_test: every check passed"
