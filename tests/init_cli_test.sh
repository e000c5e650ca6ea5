#!/usr/bin/env bash
# End-to-end adoption: `fusion init` on a folder of repos (tests/fixtures/init-workspace, made
# into git clones here) drafts a registry that validates and generates; `generate dockerfile`
# scaffolds the static site's Dockerfile (and leaves the API's hand-written one alone); `up`
# builds it with podman on the offline busybox base and brings both services up healthy.
# Usage: init_cli_test.sh FUSION SOURCE_DIR
set -euo pipefail
fusion=$1
source_dir=$2
"$source_dir/scripts/busybox-image" >/dev/null
# The generated static Dockerfile's pinned base, satisfied offline by the same busybox.
podman tag localhost/fusion-busybox:latest docker.io/library/busybox:1.36.1-musl
dir=$(mktemp -d)
ws="$dir/fzinit$$"
cleanup() {
  (cd "$ws" && "$fusion" down -v >/dev/null 2>&1) || true
  podman images -q --filter "label=io.fusion.stack=fzinit$$" | xargs -r podman rmi -f >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
mkdir -p "$ws"
cp -r "$source_dir/tests/fixtures/init-workspace/." "$ws"
for repo in site api notes; do
  git -C "$ws/$repo" init -q
  git -C "$ws/$repo" remote add origin "https://git.example.com/acme/$repo.git"
done
cd "$ws"

# shellcheck source=cli_test_lib.sh
source "$source_dir/tests/cli_test_lib.sh"

expect 0 "wrote fusion.yaml: 2 services, 0 TODOs" -- "$fusion" init
grep -qx ".fusion/" .gitignore && grep -qx "fusion.local.yaml" .gitignore ||
  fail "secrets and overrides are not git-ignored: $(cat .gitignore)"
expect 1 "fusion.yaml exists; replace it with --force" -- "$fusion" init
grep -q 'health: { container: true }  # the Dockerfile.s HEALTHCHECK (api/Dockerfile:6)' fusion.yaml ||
  fail "api's health is not its Dockerfile's HEALTHCHECK: $(cat fusion.yaml)"
grep -q '# not recognised: notes: no package.json' fusion.yaml || fail "notes is not reported"
grep -q 'site: { url: https://git.example.com/acme/site.git }' fusion.yaml || fail "no repos: $(cat fusion.yaml)"
expect 0 "ok: 2 services \(2 from local source\)" -- "$fusion" validate
expect 0 "written" -- "$fusion" generate
expect 0 "generated files are up to date" -- "$fusion" generate --check
expect 0 "create site/Dockerfile  \(static, static files\)" -- "$fusion" generate dockerfile
expect 0 "left alone \(not written by fusion\) api/Dockerfile" -- "$fusion" generate dockerfile
expect 0 "unchanged site/Dockerfile" -- "$fusion" generate dockerfile --check
expect 0 "create .github/workflows/fusion.yml  \(2 images\)" -- "$fusion" generate ci
grep -q "context: site" .github/workflows/fusion.yml || fail "the workflow does not build site"
# A new service from a template joins fusion.yaml with its comments kept.
before=$(cat fusion.yaml)
expect 0 "update fusion.yaml: service 'hello' \(go, port 8080\)" -- "$fusion" new go-http hello
changes=$(diff <(echo "$before") fusion.yaml || true)
! grep -q '^<' <<<"$changes" || fail "fusion new changed existing lines: $changes"
grep -q '^>   hello:$' <<<"$changes" || fail "no hello entry: $changes"
expect 0 "ok: 3 services" -- "$fusion" validate
expect 0 "2 services: 2 healthy" -- "$fusion" up api site
expect 1 "site +running +healthy" -- "$fusion" status
expect 1 "api +running +healthy" -- "$fusion" status
expect 1 "hello +not created" -- "$fusion" status
# The generated image: non-root, serving the site.
container=$(podman ps -q --filter "label=io.fusion.stack=fzinit$$" --filter "label=io.fusion.service=site")
[ "$(podman exec "$container" id -u)" = 10001 ] || fail "the site does not run as uid 10001"
podman exec "$container" wget -q -O - http://127.0.0.1:8080/about.html | grep -q "About Acme" ||
  fail "the site does not serve about.html"
expect 0 "2 containers" -- "$fusion" down
echo "init_cli_test: every check passed"
