#!/usr/bin/env bash
# End-to-end: the fusion binary runs the test stack (tests/fixtures/stack) on podman and a user
# sees the right exit codes and text from up, status, logs, restart and down.
# Usage: stack_cli_test.sh FUSION SOURCE_DIR
set -euo pipefail
fusion=$1
source_dir=$2
"$source_dir/scripts/busybox-image" >/dev/null
dir=$(mktemp -d)
stack="fzcli$$"
port=$((30000 + $$ % 20000))
cleanup() {
  (cd "$dir" && "$fusion" down -v >/dev/null 2>&1) || true
  podman images -q --filter "label=io.fusion.stack=$stack" | xargs -r podman rmi -f >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
cp -r "$source_dir/tests/fixtures/stack/." "$dir"
sed -i "s/name: fusion-it/name: $stack/; s/\"18480:80\"/\"$port:80\"/" "$dir/fusion.yaml"
cd "$dir"

# shellcheck source=cli_test_lib.sh
source "$source_dir/tests/cli_test_lib.sh"

# The whole stack: broken never becomes healthy (exit 1), its dependent is blocked.
expect 1 "8 services: 1 blocked, 1 completed, 1 failed, 5 healthy" -- "$fusion" up
expect 1 "failed: broken" -- "$fusion" up
expect 1 "blocked: needs-broken \(waits for broken failed\)" -- "$fusion" up
# A subset that does not need broken: nothing to do, all ready.
expect 0 "5 services: 1 completed, 4 healthy" -- "$fusion" up web
expect 0 "web +keep +unchanged and running" -- "$fusion" up web --explain
expect 0 '"service":"web","state":"healthy"' -- "$fusion" up web --json
# status: every service with its state; exit 1 while broken is unhealthy.
expect 1 "web +running +healthy +local [0-9a-f]{16} +0.0.0.0:$port->80/tcp +http://localhost:$port" -- "$fusion" status
expect 1 "needs-broken +not created" -- "$fusion" status
expect 0 "^migrate \| migrated$" -- "$fusion" logs migrate
# restart api: api and web (which depends on it) restart; db, cache, migrate are left alone.
expect 0 "5 services: 1 completed, 4 healthy" -- "$fusion" restart api
expect 0 "web +starting" -- "$fusion" restart api
expect 0 "7 containers, 2 networks, 0 volumes removed" -- "$fusion" down
expect 0 "0 containers, 0 networks, 0 volumes removed" -- "$fusion" down

# The compose-named keys, each checked inside the containers (tests/fixtures/run-keys).
rk_dir=$(mktemp -d)
rk_stack="fzrk$$"
rk_cleanup() {
  (cd "$rk_dir" && "$fusion" down -v >/dev/null 2>&1) || true
  podman images -q --filter "label=io.fusion.stack=$rk_stack" | xargs -r podman rmi -f >/dev/null 2>&1 || true
  rm -rf "$rk_dir"
}
trap 'cleanup; rk_cleanup' EXIT
cp -r "$source_dir/tests/fixtures/run-keys/." "$rk_dir"
subnet=$((100 + $$ % 150))
sed -i "s/name: fusion-rk/name: $rk_stack/; s/10\.89\.213\./10.89.$subnet./g" "$rk_dir/fusion.yaml"
cd "$rk_dir"
app="$rk_stack-app"
# One writer per stack, with two real runs: app stays unhealthy until /gate/open exists, so this
# up holds the stack until the test opens the gate. Meanwhile an up with --no-wait refuses,
# saying who holds the stack, and a down waits for it, then takes the stack down.
"$fusion" up >up.log 2>&1 &
up_pid=$!
for _ in $(seq 1200); do [ -s .fusion/stack.lock ] && break; sleep 0.05; done
expect 1 "the stack is busy: pid $up_pid: fusion up" -- "$fusion" up --no-wait
"$fusion" down >down.log 2>&1 &
down_pid=$!
for _ in $(seq 1200); do grep -q "waiting for the stack" down.log && break; sleep 0.05; done
expect 0 "waiting for the stack: pid $up_pid: fusion up, since" -- cat down.log
for _ in $(seq 1200); do podman exec --user 0 "$app" touch /gate/open 2>/dev/null && break; sleep 0.1; done
wait "$up_pid" || fail "the up that held the stack failed: $(cat up.log)"
grep -q "2 services: 2 healthy" up.log || fail "up: $(cat up.log)"
wait "$down_pid" || fail "the down that waited failed: $(cat down.log)"
grep -q "2 containers, 1 networks, 0 volumes removed" down.log || fail "down: $(cat down.log)"
[ ! -s .fusion/stack.lock ] || fail "the lock still names a holder: $(cat .fusion/stack.lock)"
# The gate stays open (a named volume): from here on app is healthy as soon as it starts.
expect 0 "2 services: 2 healthy" -- "$fusion" up
expect 0 "^1234 1234$" -- podman exec "$app" sh -c 'echo $(id -u) $(id -g)'
expect 0 "^from app.env$" -- podman exec "$app" sh -c 'echo "$FROM_ENV_FILE"'
expect 0 "^token-from-a-file$" -- podman exec "$app" cat /run/secrets/token
generated=$(grep '^generated=' .fusion/secrets.env | cut -d= -f2-)
expect 0 "^$generated$" -- podman exec "$app" cat /run/secrets/api-key
expect 0 "^tmpfs /scratch tmpfs .*size=8192k" -- podman exec "$app" grep " /scratch " /proc/mounts
# The main process's limits (podman exec raises a shell's soft limit to the hard one).
expect 0 "open files +1024 +2048" -- podman exec "$app" sh -c 'cat /proc/$(pidof sleep)/limits'
expect 0 "^backend-ok$" -- podman exec "$app" wget -q -O - http://backend:9000/
expect 0 "inet 10\.89\.$subnet\." -- podman exec "$app" ip -4 addr
expect 0 "init" -- podman exec "$app" sh -c "tr '\\0' ' ' </proc/1/cmdline"
expect 0 "^3 on-failure$" -- podman inspect --format '{{.Config.StopTimeout}} {{.HostConfig.RestartPolicy.Name}}' "$app"
# A crash (the main process killed) is restarted by the engine: on-failure.
podman exec "$app" sh -c 'kill -9 $(pidof sleep)' || true
for _ in $(seq 100); do
  [ "$(podman inspect --format '{{.RestartCount}}' "$app")" -ge 1 ] && break
  sleep 0.1
done
expect 0 "^[1-9][0-9]* running$" -- podman inspect --format '{{.RestartCount}} {{.State.Status}}' "$app"
# A changed key changes the config hash: the container is recreated.
sed -i 's/stop_grace_period: 3s/stop_grace_period: 4s/' fusion.yaml
expect 0 "app +recreate" -- "$fusion" up --explain
expect 0 "^4$" -- podman inspect --format '{{.Config.StopTimeout}}' "$app"
expect 0 "2 containers, 1 networks, 0 volumes removed" -- "$fusion" down
echo "stack_cli_test: every check passed"
