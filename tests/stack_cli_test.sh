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
echo "stack_cli_test: every check passed"
