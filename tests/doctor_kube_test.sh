#!/usr/bin/env bash
# End-to-end: `fusion doctor` against the real cluster of scripts/kube-cluster (label kube): the
# server's version, a dry-run server-side apply, and access reviews, with both kubeconfigs the
# script writes; then a user the cluster does not know (a token it never issued).
# Usage: doctor_kube_test.sh FUSION SOURCE_DIR   (KUBECONFIG, FUSION_TEST_KUBECONFIG_CERT set)
set -euo pipefail
fusion=$1
source_dir=$2
# shellcheck source=cli_test_lib.sh
source "$source_dir/tests/cli_test_lib.sh"
[ -n "${KUBECONFIG:-}" ] || fail "KUBECONFIG is not set: scripts/kube-cluster start, then eval \$(scripts/kube-cluster env)"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
run() { "$fusion" -f "$source_dir/examples/shop/fusion.yaml" doctor "$@"; }

for config in "$KUBECONFIG" "$FUSION_TEST_KUBECONFIG_CERT"; do
  out=$(run --kubeconfig "$config" --namespace default 2>&1) || true
  grep -qE '^ok    Kubernetes v1\.20\.2 at https://127\.0\.0\.1:[0-9]+' <<<"$out" || fail "no server line with $config:
$out"
  grep -qE '^ok    server-side apply works in namespace default' <<<"$out" || fail "no apply line with $config:
$out"
  grep -qE '^ok    may create, patch, delete, list, watch .*deployments.* in namespace default' <<<"$out" ||
    fail "no access line with $config:
$out"
  echo "ok: doctor with $config"
done
json=$(run --kubeconfig "$KUBECONFIG" --json) || true
jq -e '.[] | select(.name == "kubernetes" and .level == "ok")' <<<"$json" >/dev/null || fail "no ok kubernetes in: $json"

# A token the cluster never issued: reachable, but not logged in.
sed 's/token: .*/token: not-a-token/' "$KUBECONFIG" >"$dir/stranger"
expect 1 "^fail  .*(401|Unauthorized)" -- run --kubeconfig "$dir/stranger"
echo "doctor_kube_test: every check passed"
