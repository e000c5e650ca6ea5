#!/bin/bash
# Start a real one-node Kubernetes v1.20.2 cluster "the hard way" (needs scripts/kube-cluster build first):
#   etcd + kube-apiserver (via start.sh), kube-controller-manager, kube-scheduler,
#   a private containerd 1.6 (own config/root/state/socket under $KDIR/containerd; runc; CNI bridge from $KDIR/cni),
#   kubelet (cgroupfs, CRI v1alpha2 -> containerd), kube-proxy (iptables mode),
#   cluster DNS: a private dnsmasq (Debian dnsmasq-base; own config/log under $KDIR/dns, no DHCP, no pid file, never the
#   system service) listening only on DNS_IP:53 (the pod bridge gateway), answering <svc>.<ns>.svc.cluster.local from
#   $KDIR/dns/hosts, kept current by dns-sync.sh (polls Services/Endpoints every 1 s, SIGHUPs dnsmasq on change),
#   NXDOMAIN for other *.cluster.local names, everything else forwarded to the host's /etc/resolv.conf servers;
#   kubelet's clusterDNS/clusterDomain point pods at it.
# In-cluster API access: kube-apiserver binds 0.0.0.0:6443 (host kubeconfig keeps using 127.0.0.1) and advertises NODE_IP,
#   so Service default/kubernetes (10.96.0.1:443) gets the endpoint NODE_IP:6443 (lease reconciler); its serving cert is
#   signed by $PKI/ca.crt (SANs: kubernetes[.default[.svc[.cluster.local]]], localhost, NODE_NAME, 127.0.0.1, 10.96.0.1,
#   NODE_IP); ServiceAccount admission is on and the controller-manager's token controller signs SA tokens with sa.key
#   and puts $PKI/ca.crt into them as ca.crt, so pods get /var/run/secrets/kubernetes.io/serviceaccount/{token,ca.crt}.
# Nothing of podman (/etc/containers, /etc/cni/net.d, its storage/networks) is read or changed.
# The apiserver trusts client certificates signed by $KDIR/pki/ca.crt (--client-ca-file), as kind and minikube clusters do.
# Host changes while running (undone by stop.sh): sysctls set by kubelet/kube-proxy (saved to $KDIR/run/sysctl.saved;
# ip_forward=1 and bridge-nf-call-iptables=1 are left on, podman's netavark wants them too),
# bridge "$POD_BRIDGE" (created here with DNS_IP so dnsmasq can bind it before the first pod), KUBE-* iptables chains,
# /sys/fs/cgroup/*/kubepods, dnsmasq on DNS_IP:53, kube-apiserver also reachable on NODE_IP:6443 (token/RBAC auth),
# pod logs under /var/log/pods (left in place).
# Idempotent: if everything is already running it just reports; partial state -> run scripts/kube-cluster stop first.
# Usage: scripts/kube/start.sh [--fresh]   (--fresh wipes etcd data: a clean cluster)
# Env: KDIR ($HOME/.cache/fusion-test-kube), NODE_NAME (hostname), NODE_IP (src IP of the default route),
#      POD_CIDR (10.244.0.0/24, the node's bridge subnet), CLUSTER_CIDR (10.244.0.0/16), POD_BRIDGE (kubebr0),
#      DNS_IP (x.y.z.1 of POD_CIDR, the bridge gateway), CLUSTER_DOMAIN (cluster.local), READY_TIMEOUT (180 s)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
export KDIR=${KDIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fusion-test-kube}
BIN=$KDIR/bin; RUN=$KDIR/run; LOGS=$KDIR/logs; PKI=$KDIR/pki; CD=$KDIR/containerd
NODE_NAME=${NODE_NAME:-$(hostname | tr '[:upper:]' '[:lower:]')}
NODE_IP=${NODE_IP:-$(ip -4 -o route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p')}
POD_CIDR=${POD_CIDR:-10.244.0.0/24}; CLUSTER_CIDR=${CLUSTER_CIDR:-10.244.0.0/16}; POD_BRIDGE=${POD_BRIDGE:-kubebr0}
DNS_IP=${DNS_IP:-${POD_CIDR%.*/*}.1}; POD_PREFIX=${POD_CIDR#*/}; CLUSTER_DOMAIN=${CLUSTER_DOMAIN:-cluster.local}
SOCK=$CD/containerd.sock
PAUSE_IMAGE=fusion.local/pause:3.2
COMPONENTS="containerd dnsmasq dns-sync kube-controller-manager kube-scheduler kubelet kube-proxy"
N_ALL=$(echo etcd kube-apiserver $COMPONENTS | wc -w)
mkdir -p "$RUN" "$LOGS" "$PKI" "$CD" "$KDIR/cni-conf" "$KDIR/cni-ipam" "$KDIR/kubelet" "$KDIR/dns"
export KUBECONFIG=$KDIR/kubeconfig

for b in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy cri-lite; do
  [ -x "$BIN/$b" ] || { echo "missing $BIN/$b: run scripts/kube-cluster build first" >&2; exit 1; }
done
for img in pause busybox curl; do [ -s "$KDIR/images/$img.tar" ] || { echo "missing $KDIR/images/$img.tar: run scripts/kube-cluster build" >&2; exit 1; }; done
[ -x /usr/sbin/dnsmasq ] || { echo "missing /usr/sbin/dnsmasq (dnsmasq-base): run scripts/kube-cluster build" >&2; exit 1; }
[ -n "$NODE_IP" ] || { echo "cannot detect NODE_IP; set it" >&2; exit 1; }
alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }
n_alive=0; for c in etcd kube-apiserver $COMPONENTS; do alive "$c" && n_alive=$((n_alive+1)); done
if [ "$n_alive" -eq "$N_ALL" ]; then echo "node already running:"; kubectl get nodes -o wide; exit 0; fi
[ "$n_alive" -eq 0 ] || { echo "partially running ($n_alive/$N_ALL components); run scripts/kube-cluster stop first" >&2; exit 1; }
if [ "$(cat /proc/swaps | wc -l)" -gt 1 ]; then echo "swap is on; kubelet (failSwapOn) will refuse" >&2; exit 1; fi

T0=$(date +%s.%N)
el() { printf '%.1f' "$(echo "$(date +%s.%N) - $T0" | bc)"; }
start_bg() { # start_bg NAME CMD... : setsid, log to $LOGS/NAME.log, pid to $RUN/NAME.pid
  local n=$1; shift
  setsid "$@" </dev/null >"$LOGS/$n.log" 2>&1 &
  echo $! > "$RUN/$n.pid"
}
wait_for() { # wait_for NAME SECONDS CMD... : poll CMD until ok, fail if NAME died
  local n=$1 t=$2; shift 2
  for _ in $(seq 1 $((t*5))); do
    "$@" >/dev/null 2>&1 && return 0
    alive "$n" || { echo "$n died; last log lines:" >&2; tail -20 "$LOGS/$n.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$n not ready after ${t}s; last log lines:" >&2; tail -20 "$LOGS/$n.log" >&2; exit 1
}

# --- PKI: CA that signs the apiserver's kubelet-client cert; kubelet trusts it for x509 client auth
if [ ! -f "$PKI/ca.crt" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -days 3650 -subj "/CN=fusion-test-ca" 2>/dev/null
fi
if [ ! -f "$PKI/apiserver-kubelet-client.crt" ]; then
  openssl req -newkey rsa:2048 -nodes -keyout "$PKI/apiserver-kubelet-client.key" -out "$PKI/apiserver-kubelet-client.csr" \
    -subj "/O=system:masters/CN=kube-apiserver-kubelet-client" 2>/dev/null
  openssl x509 -req -in "$PKI/apiserver-kubelet-client.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -out "$PKI/apiserver-kubelet-client.crt" -days 3650 2>/dev/null
fi
# apiserver serving cert signed by the same CA (pods verify it with the ca.crt in their SA token secret);
# reissued when the SAN list differs (e.g. NODE_IP changed)
SANS="DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,DNS:localhost,DNS:$NODE_NAME,IP:127.0.0.1,IP:10.96.0.1,IP:$NODE_IP"
if [ "$(openssl x509 -in "$PKI/apiserver.crt" -noout -ext subjectAltName 2>/dev/null | sed 1d | tr -d ' ' | sed 's/IPAddress:/IP:/g')" != "$SANS" ]; then
  openssl req -newkey rsa:2048 -nodes -keyout "$PKI/apiserver.key" -out "$PKI/apiserver.csr" -subj "/CN=kube-apiserver" 2>/dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$SANS" > "$PKI/apiserver.ext"
  openssl x509 -req -in "$PKI/apiserver.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -out "$PKI/apiserver.crt" -days 3650 -extfile "$PKI/apiserver.ext" 2>/dev/null
fi

# --- remember sysctls that kubelet / kube-proxy change, so stop.sh can restore them.
# net.ipv4.ip_forward and net.bridge.bridge-nf-call-iptables are set to 1 below and NOT restored: podman's netavark
# needs and sets the same values for its own bridge networks, so turning them off later could break other users.
SYSCTLS="net.ipv4.conf.all.route_localnet vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes"
if [ ! -f "$RUN/sysctl.saved" ]; then
  for s in $SYSCTLS; do v=$(sysctl -n "$s" 2>/dev/null) && echo "$s=$v"; done > "$RUN/sysctl.saved"
fi
# pod traffic on the same bridge must traverse iptables for ClusterIP DNAT replies
sysctl -qw net.bridge.bridge-nf-call-iptables=1 net.ipv4.ip_forward=1

# --- etcd + kube-apiserver (0.0.0.0:6443, advertised as NODE_IP for Service default/kubernetes; SA admission on).
# Events get no watch cache (as in many large clusters): their watches reach etcd, so a test can
# compact etcd and see a watch from an old version answered 410 Gone.
# reach the kubelet by the node InternalIP (the hostname may resolve to 127.0.0.1 via /etc/hosts)
APISERVER_BIND_ADDRESS=0.0.0.0 APISERVER_ADVERTISE_ADDRESS="$NODE_IP" APISERVER_SA_ADMISSION=1 \
APISERVER_EXTRA_ARGS="--client-ca-file=$PKI/ca.crt --kubelet-client-certificate=$PKI/apiserver-kubelet-client.crt --kubelet-client-key=$PKI/apiserver-kubelet-client.key --kubelet-preferred-address-types=InternalIP,Hostname --tls-cert-file=$PKI/apiserver.crt --tls-private-key-file=$PKI/apiserver.key --watch-cache-sizes=events#0" \
  "$HERE/apiserver.sh" "$@"
T_API=$(el)

# --- a second kubeconfig that logs in with a client certificate (as kind and minikube write) and verifies the
# apiserver against the CA, beside the token one apiserver.sh wrote
if [ ! -f "$PKI/admin.crt" ]; then
  openssl req -newkey rsa:2048 -nodes -keyout "$PKI/admin.key" -out "$PKI/admin.csr" \
    -subj "/O=system:masters/CN=fusion-admin" 2>/dev/null
  openssl x509 -req -in "$PKI/admin.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -out "$PKI/admin.crt" -days 3650 2>/dev/null
fi
cat > "$KDIR/kubeconfig-cert" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:${APISERVER_PORT:-6443}
    certificate-authority: $PKI/ca.crt
users:
- name: admin-cert
  user:
    client-certificate: $PKI/admin.crt
    client-key: $PKI/admin.key
contexts:
- name: local-cert
  context: {cluster: local, user: admin-cert, namespace: default}
current-context: local-cert
EOF

# --- CNI config (private conf dir: containerd must not see podman's /etc/cni/net.d)
cat > "$KDIR/cni-conf/10-fusion-test.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "fusion-test-pods",
  "plugins": [
    {"type": "bridge", "bridge": "$POD_BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$KDIR/cni-ipam", "ranges": [[{"subnet": "$POD_CIDR"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF

# --- pod bridge with its gateway address now (the CNI bridge plugin reuses it), so dnsmasq can bind DNS_IP before any pod
ip link show "$POD_BRIDGE" >/dev/null 2>&1 || ip link add "$POD_BRIDGE" type bridge
ip -4 addr show dev "$POD_BRIDGE" | grep -qF " $DNS_IP/$POD_PREFIX " || ip addr add "$DNS_IP/$POD_PREFIX" dev "$POD_BRIDGE"
ip link set "$POD_BRIDGE" up

# --- cluster DNS: private dnsmasq on DNS_IP:53 only + dns-sync.sh (Services -> $KDIR/dns/hosts, SIGHUP on change)
: > "$KDIR/dns/hosts"
cat > "$KDIR/dns/dnsmasq.conf" <<EOF
# generated by start.sh; run as: dnsmasq --conf-file=THIS (keep-in-foreground, PID in $RUN/dnsmasq.pid)
keep-in-foreground
pid-file=
user=root
group=root
port=53
listen-address=$DNS_IP
bind-dynamic
no-hosts
addn-hosts=$KDIR/dns/hosts
local=/$CLUSTER_DOMAIN/
resolv-file=/etc/resolv.conf
domain-needed
no-negcache
cache-size=1000
log-facility=$LOGS/dnsmasq.log
EOF
start_bg dnsmasq /usr/sbin/dnsmasq --conf-file="$KDIR/dns/dnsmasq.conf"
wait_for dnsmasq 10 sh -c "ss -Hlun 'sport = :53' | grep -qF '$DNS_IP:53'"
start_bg dns-sync env CLUSTER_DOMAIN="$CLUSTER_DOMAIN" "$HERE/dns-sync.sh"
wait_for dns-sync 20 grep -q "kubernetes.default.svc.$CLUSTER_DOMAIN" "$KDIR/dns/hosts"
T_DNS=$(el)

# --- containerd (own config, root, state, socket)
mkdir -p "$CD/root" "$CD/state" "$CD/opt"
cat > "$CD/config.toml" <<EOF
version = 2
root = "$CD/root"
state = "$CD/state"
oom_score = 0
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[metrics]
  address = ""
[plugins]
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "$PAUSE_IMAGE"
    # this VM withholds CAP_SYS_RESOURCE: oom_score_adj cannot go below the parent's, so clamp instead of failing
    restrict_oom_score_adj = true
    # pod netns bind mounts under our state dir, not /run/netns: podman bind-mounts /run/netns over itself, which
    # shadows netns mounted there before and makes their removal fail with EBUSY (seen on this VM)
    netns_mounts_under_state_dir = true
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          BinaryName = "/usr/sbin/runc"
          Root = "$CD/state/runc"
          SystemdCgroup = false
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "$KDIR/cni/usr/lib/cni"
      conf_dir = "$KDIR/cni-conf"
      max_conf_num = 1
  [plugins."io.containerd.internal.v1.opt"]
    path = "$CD/opt"
EOF
start_bg containerd /usr/bin/containerd --config "$CD/config.toml"
wait_for containerd 30 ctr --address "$SOCK" version
for img in pause busybox curl; do
  ctr --address "$SOCK" -n k8s.io images import "$KDIR/images/$img.tar" >/dev/null
done
T_CTRD=$(el)

# --- controller-manager + scheduler (admin token kubeconfig; secure ports on 127.0.0.1 only, insecure ports off)
start_bg kube-controller-manager "$BIN/kube-controller-manager" \
  --kubeconfig="$KUBECONFIG" --authentication-kubeconfig="$KUBECONFIG" --authorization-kubeconfig="$KUBECONFIG" \
  --bind-address=127.0.0.1 --port=0 --leader-elect=false \
  --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
  --use-service-account-credentials=false \
  --allocate-node-cidrs=true --cluster-cidr="$CLUSTER_CIDR" --node-cidr-mask-size=24 \
  --service-cluster-ip-range=10.96.0.0/16 --profiling=false --v=1
start_bg kube-scheduler "$BIN/kube-scheduler" \
  --kubeconfig="$KUBECONFIG" --authentication-kubeconfig="$KUBECONFIG" --authorization-kubeconfig="$KUBECONFIG" \
  --bind-address=127.0.0.1 --port=0 --leader-elect=false --profiling=false --v=1

# --- kubelet
KL=$KDIR/kubelet; mkdir -p "$KL/root" "$KL/pki" "$KL/volume-plugins"
cat > "$KL/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: false}
  x509: {clientCAFile: "$PKI/ca.crt"}
authorization: {mode: AlwaysAllow}
cgroupDriver: cgroupfs
failSwapOn: true
clusterDomain: $CLUSTER_DOMAIN
clusterDNS: ["$DNS_IP"]
resolvConf: /etc/resolv.conf
maxPods: 110
serializeImagePulls: false
rotateCertificates: false
protectKernelDefaults: false
evictionHard: {memory.available: "100Mi", nodefs.available: "2%", imagefs.available: "2%", nodefs.inodesFree: "2%"}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
EOF
start_bg kubelet "$BIN/kubelet" --config="$KL/config.yaml" --kubeconfig="$KUBECONFIG" \
  --root-dir="$KL/root" --cert-dir="$KL/pki" --volume-plugin-dir="$KL/volume-plugins" \
  --container-runtime=remote --container-runtime-endpoint="unix://$SOCK" --runtime-request-timeout=5m \
  --pod-infra-container-image="$PAUSE_IMAGE" \
  --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --oom-score-adj=0 --v=1

# --- kube-proxy (iptables mode; leaves conntrack sysctls alone)
start_bg kube-proxy "$BIN/kube-proxy" --kubeconfig="$KUBECONFIG" --proxy-mode=iptables \
  --hostname-override="$NODE_NAME" --bind-address="$NODE_IP" --cluster-cidr="$CLUSTER_CIDR" \
  --healthz-bind-address=127.0.0.1:10256 --metrics-bind-address=127.0.0.1:10249 \
  --conntrack-max-per-core=0 --conntrack-tcp-timeout-established=0 --conntrack-tcp-timeout-close-wait=0 --oom-score-adj=0 --v=1

# Ready must come from THIS kubelet: with old etcd data the node object may still say Ready from the last run,
# so also require the Ready condition's heartbeat to be newer than this script's start.
START_ISO=$(date -u -d "@${T0%.*}" +%Y-%m-%dT%H:%M:%SZ)
node_ready() {
  local r; r=$(kubectl get node "$NODE_NAME" -o jsonpath='{range .status.conditions[?(@.type=="Ready")]}{.status} {.lastHeartbeatTime}{end}' 2>/dev/null)
  [ "${r%% *}" = True ] && [[ "${r#* }" > "$START_ISO" || "${r#* }" == "$START_ISO" ]]
}
for _ in $(seq 1 $(( ${READY_TIMEOUT:-180} * 5 ))); do
  node_ready && break
  for c in $COMPONENTS; do alive "$c" || { echo "$c died; last log lines:" >&2; tail -20 "$LOGS/$c.log" >&2; exit 1; }; done
  sleep 0.2
done
node_ready || { echo "node $NODE_NAME not Ready after ${READY_TIMEOUT:-180}s" >&2; kubectl describe node "$NODE_NAME" | tail -30 >&2; exit 1; }
T_READY=$(el)
echo "apiserver ready at ${T_API}s, dnsmasq+dns-sync at ${T_DNS}s, containerd+images at ${T_CTRD}s, node $NODE_NAME Ready at ${T_READY}s after start.sh began"
echo -n "pids:"; for c in etcd kube-apiserver $COMPONENTS; do echo -n " $c=$(cat "$RUN/$c.pid")"; done; echo
echo "export KUBECONFIG=$KUBECONFIG"
kubectl get nodes -o wide
