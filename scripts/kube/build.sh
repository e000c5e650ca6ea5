#!/usr/bin/env bash
# Builds everything the test cluster needs, offline (Debian's mirror only), into $KDIR (a cache
# outside the checkout, reused by later runs). Idempotent: each step runs only when its output is
# missing. FORCE=1 rebuilds.
#  1. Debian packages: golang-1.19 and etcd-server (the build and the store), containerd, runc,
#     iptables, conntrack, dnsmasq-base (a bare dnsmasq binary: no service is enabled or started).
#  2. The CNI plugins, extracted into $KDIR/cni (not installed: installing them would wake
#     podman's CNI configuration).
#  3. kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and kube-proxy v1.20.2 from
#     Debian's `kubernetes` source package, with go1.19 in GOPATH mode (as upstream 1.20 and
#     debian/rules build), after `make gen_openapi`, with Debian's reflect2 1.0.2 and
#     json-iterator 1.1.12 in place of the vendored copies that crash under go1.19.
#  4. cri-lite (cri-lite/main.go: a tiny CRI client; crictl is not packaged), from the same tree.
#  5. Images as docker-archives (no registry here): fusion.local/pause:3.2 (a static pause),
#     fusion.local/busybox:1.35 and fusion.local/curl:7.88 (busybox plus the host's curl).
# Measured: 19 min of CPU cold (81 min wall on 2 cores shared with other builds), the
# apiserver most of it.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
KDIR=${KDIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fusion-test-kube}
mkdir -p "$KDIR/bin" "$KDIR/logs" "$KDIR/images" "$KDIR/debs"
export DEBIAN_FRONTEND=noninteractive
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"

packages=(golang-1.19-go etcd-server dpkg-dev rsync make jq bc golang-github-modern-go-reflect2-dev
  golang-github-json-iterator-go-dev containerd runc iptables conntrack busybox-static gcc libc6-dev
  curl dnsmasq-base openssl iproute2 etcd-client)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "kube-cluster: installing ${missing[*]}"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The CNI plugins, a private copy.
if [ ! -x "$KDIR/cni/usr/lib/cni/bridge" ]; then
  (cd "$KDIR/debs" && rm -f containernetworking-plugins_*.deb && apt-get download -qq containernetworking-plugins)
  rm -rf "$KDIR/cni"
  dpkg -x "$KDIR"/debs/containernetworking-plugins_*.deb "$KDIR/cni"
fi

components="kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy"
todo=""
for b in $components; do
  if [ "${FORCE:-0}" = 1 ] || [ ! -x "$KDIR/bin/$b" ]; then todo="$todo $b"; fi
done
SRC=$KDIR/kubernetes-1.20.5+really1.20.2
# go_env CMD...: go1.19, offline; go_gopath_env adds the GOPATH-mode build of the tree.
go_env() {
  env PATH="/usr/lib/go-1.19/bin:$PATH" GOPROXY=off GOFLAGS= CGO_ENABLED=0 GOCACHE="${GOCACHE:-$KDIR/gocache}" "$@"
}
go_gopath_env() { go_env GOPATH="$KDIR/gopath" GO111MODULE=off "$@"; }
prepare_source() {
  # deb-src for the mirror that is already configured
  if ! grep -rqs '^Types: deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
      $sudo tee /etc/apt/sources.list.d/debian-src.sources >/dev/null
    $sudo apt-get update -qq
  fi
  if [ ! -d "$SRC" ]; then
    (cd "$KDIR" && apt-get source -qq kubernetes >"$KDIR/logs/apt-source.log" 2>&1)
  fi
  cd "$SRC"
  # pkg/generated/openapi is not in the tarball; make generates it in GOPATH mode
  if [ ! -f pkg/generated/openapi/zz_generated.openapi.go ]; then
    rm -rf _output
    go_env make gen_openapi >"$KDIR/logs/gen_openapi.log" 2>&1
  fi
  # go>=1.18: the vendored reflect2 1.0.1 crashes (runtime map iterator layout)
  if ! grep -q 'reflect2 v1.0.2' vendor/modules.txt; then
    for pkg in github.com/modern-go/reflect2 github.com/json-iterator/go; do
      rm -rf "vendor/$pkg"
      mkdir -p "vendor/$pkg"
      find "/usr/share/gocode/src/$pkg" -maxdepth 1 -type f \( -name '*.go' -o -name '*.s' -o -name LICENSE \
        -o -name go.mod \) ! -name '*_test.go' -exec cp {} "vendor/$pkg/" \;
    done
    sed -i 's#github.com/modern-go/reflect2 v1.0.1#github.com/modern-go/reflect2 v1.0.2#g;
            s#github.com/json-iterator/go v1.1.10#github.com/json-iterator/go v1.1.12#g' vendor/modules.txt
  fi
  mkdir -p "$KDIR/gopath/src/k8s.io"
  ln -sfn "$SRC" "$KDIR/gopath/src/k8s.io/kubernetes"
}

# cri-lite is rebuilt when its source changes (by content: a fresh clone's files are all new)
cri_lite_sum=$(sha256sum "$HERE/cri-lite/main.go" | cut -d' ' -f1)
cri_lite_stale() { [ ! -x "$KDIR/bin/cri-lite" ] || [ "$(cat "$KDIR/bin/cri-lite.sha256" 2>/dev/null)" != "$cri_lite_sum" ]; }
if [ -n "$todo" ] || cri_lite_stale; then
  prepare_source
fi
if [ -n "$todo" ]; then
  echo "kube-cluster: building$todo (log: $KDIR/logs/build.log; 19 min of CPU, once)"
  ldflags="-s -w"
  for p in k8s.io/kubernetes/vendor/k8s.io/component-base/version k8s.io/kubernetes/vendor/k8s.io/client-go/pkg/version; do
    ldflags="$ldflags -X $p.gitVersion=v1.20.2 -X $p.gitMajor=1 -X $p.gitMinor=20 -X $p.gitTreeState=clean"
    ldflags="$ldflags -X $p.gitCommit=faecb196815e248d3ecfb03c680a4507229c2a56 -X $p.buildDate=2021-01-13T13:20:00Z"
  done
  cd "$KDIR/gopath/src/k8s.io/kubernetes"
  for b in $todo; do
    start=$SECONDS
    go_gopath_env go build -trimpath -ldflags "$ldflags" -o "$KDIR/bin/$b.new" "./cmd/$b" >>"$KDIR/logs/build.log" 2>&1 ||
      { echo "kube-cluster: building $b failed; see $KDIR/logs/build.log" >&2; tail -20 "$KDIR/logs/build.log" >&2; exit 1; }
    mv "$KDIR/bin/$b.new" "$KDIR/bin/$b"
    echo "kube-cluster: built $b in $((SECONDS - start)) s"
  done
fi
if cri_lite_stale; then
  mkdir -p "$SRC/cmd/cri-lite"
  cp "$HERE/cri-lite/main.go" "$SRC/cmd/cri-lite/main.go"
  (cd "$KDIR/gopath/src/k8s.io/kubernetes" &&
    go_gopath_env go build -trimpath -ldflags "-s -w" -o "$KDIR/bin/cri-lite" ./cmd/cri-lite)
  echo "$cri_lite_sum" >"$KDIR/bin/cri-lite.sha256"
fi

# make_image REF ROOTFS CONFIG_JSON OUT: a one-layer docker-archive, reproducible (sorted, mtime 0).
make_image() {
  local ref=$1 rootfs=$2 config=$3 out=$4 tmp diff config_sha
  tmp=$(mktemp -d)
  tar -C "$rootfs" --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -cf "$tmp/layer.tar" .
  diff=$(sha256sum "$tmp/layer.tar" | cut -d' ' -f1)
  mkdir "$tmp/$diff"
  mv "$tmp/layer.tar" "$tmp/$diff/layer.tar"
  jq -cn --argjson c "$config" --arg d "sha256:$diff" \
    '{architecture:"amd64",os:"linux",created:"1970-01-01T00:00:00Z",config:$c,rootfs:{type:"layers",diff_ids:[$d]}}' \
    >"$tmp/config.json"
  config_sha=$(sha256sum "$tmp/config.json" | cut -d' ' -f1)
  mv "$tmp/config.json" "$tmp/$config_sha.json"
  jq -cn --arg c "$config_sha.json" --arg r "$ref" --arg l "$diff/layer.tar" \
    '[{Config:$c,RepoTags:[$r],Layers:[$l]}]' >"$tmp/manifest.json"
  tar -C "$tmp" --numeric-owner --owner=0 --group=0 --sort=name --mtime=@0 -cf "$out.new" \
    manifest.json "$config_sha.json" "$diff"
  mv "$out.new" "$out"
  rm -rf "$tmp"
}
# busybox_root DIR: /bin/busybox with its applet links, passwd and group, a world-writable /tmp.
busybox_root() {
  mkdir -p "$1/bin" "$1/etc" "$1/tmp" "$1/root"
  cp /bin/busybox "$1/bin/busybox"
  for applet in $("$1/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -s busybox "$1/bin/$applet"
  done
  chmod 1777 "$1/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$1/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$1/etc/group"
}
if [ "${FORCE:-0}" = 1 ] || [ ! -s "$KDIR/images/pause.tar" ]; then
  root=$(mktemp -d)
  gcc -static -Os -s -o "$root/pause" "$HERE/cri-lite/pause.c"
  make_image fusion.local/pause:3.2 "$root" '{"Entrypoint":["/pause"],"User":"0"}' "$KDIR/images/pause.tar"
  rm -rf "$root"
fi
if [ "${FORCE:-0}" = 1 ] || [ ! -s "$KDIR/images/busybox.tar" ]; then
  root=$(mktemp -d)
  busybox_root "$root"
  mkdir -p "$root/www"
  echo 'hello from fusion busybox' >"$root/www/index.html"
  make_image fusion.local/busybox:1.35 "$root" '{"Cmd":["sh"],"Env":["PATH=/bin"],"WorkingDir":"/"}' \
    "$KDIR/images/busybox.tar"
  rm -rf "$root"
fi
if [ "${FORCE:-0}" = 1 ] || [ ! -s "$KDIR/images/curl.tar" ]; then
  root=$(mktemp -d)
  busybox_root "$root"
  # curl and every shared object it loads, where ld.so looks for them
  cp -L --parents /usr/bin/curl $(ldd /usr/bin/curl | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}') "$root/"
  make_image fusion.local/curl:7.88 "$root" '{"Cmd":["sh"],"Env":["PATH=/bin:/usr/bin"],"WorkingDir":"/"}' \
    "$KDIR/images/curl.tar"
  rm -rf "$root"
fi
echo "kube-cluster: built ($(ls "$KDIR/bin" | tr '\n' ' '))"
