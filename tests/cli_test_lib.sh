# Shared by the end-to-end shell tests: `fail MESSAGE` and `expect CODE PATTERN -- command…`,
# which runs the command, checks its exit code and greps its output (stdout and stderr).
fail() { echo "FAIL: $*"; exit 1; }
expect() {
  local code=$1 pattern=$2
  shift 3
  local out status=0
  out=$("$@" 2>&1) || status=$?
  [ "$status" -eq "$code" ] || fail "$* exited $status, wanted $code; output:
$out"
  grep -qE -- "$pattern" <<<"$out" || fail "$* printed no match for '$pattern'; output:
$out"
  echo "ok: $* -> $status"
}
