#!/bin/bash
# Start a real etcd (Debian etcd-server 3.4.23) + kube-apiserver v1.20.2 (built from Debian's
# kubernetes source package), by default on 127.0.0.1 only, and write $KDIR/kubeconfig (server https://127.0.0.1:PORT
# unless the apiserver binds one specific non-loopback address, then that one).
# Env overrides: KDIR (default $HOME/.cache/fusion-test-kube), ETCD_PORT (2379), ETCD_PEER_PORT (2380), APISERVER_PORT (6443),
#   APISERVER_BIND_ADDRESS (127.0.0.1; start.sh: 0.0.0.0 so pods can reach it), APISERVER_ADVERTISE_ADDRESS (127.0.0.1;
#   start.sh: the node IP). A non-loopback advertise address turns on the lease endpoint reconciler, which keeps the
#   endpoint of Service default/kubernetes (10.96.0.1:443) at ADVERTISE:PORT; with loopback it stays "none" (no endpoint).
#   APISERVER_SA_ADMISSION (0: ServiceAccount admission disabled, as nothing here creates service accounts/tokens;
#   start.sh sets 1, its controller-manager runs the serviceaccount + token controllers),
#   APISERVER_EXTRA_ARGS (extra kube-apiserver flags, whitespace-separated; start.sh uses it for the kubelet client
#   cert and a serving cert signed by its own CA)
# Usage: apiserver.sh [--fresh]   (--fresh wipes the etcd data dir first)
set -euo pipefail
KDIR=${KDIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fusion-test-kube}
ETCD_PORT=${ETCD_PORT:-2379}
ETCD_PEER_PORT=${ETCD_PEER_PORT:-2380}
APISERVER_PORT=${APISERVER_PORT:-6443}
APISERVER_BIND_ADDRESS=${APISERVER_BIND_ADDRESS:-127.0.0.1}
APISERVER_ADVERTISE_ADDRESS=${APISERVER_ADVERTISE_ADDRESS:-127.0.0.1}
case "$APISERVER_BIND_ADDRESS" in 0.0.0.0|127.*) LOCAL_ADDR=127.0.0.1 ;; *) LOCAL_ADDR=$APISERVER_BIND_ADDRESS ;; esac
case "$APISERVER_ADVERTISE_ADDRESS" in 127.*) RECONCILER=none ;; *) RECONCILER=lease ;; esac
if [ "${APISERVER_SA_ADMISSION:-0}" = 1 ]; then ADMISSION_ARGS=""; else ADMISSION_ARGS="--disable-admission-plugins=ServiceAccount"; fi
RUN=$KDIR/run; LOGS=$KDIR/logs; PKI=$KDIR/pki; CERTS=$KDIR/certs; DATA=$KDIR/etcd-data
mkdir -p "$RUN" "$LOGS" "$PKI" "$CERTS"
ETCD_BIN=${ETCD_BIN:-/usr/bin/etcd}
APISERVER_BIN=${APISERVER_BIN:-$KDIR/bin/kube-apiserver}

for n in etcd kube-apiserver; do
  if [ -f "$RUN/$n.pid" ] && kill -0 "$(cat "$RUN/$n.pid")" 2>/dev/null; then
    echo "$n already running (pid $(cat "$RUN/$n.pid")); run scripts/kube-cluster stop first" >&2; exit 1
  fi
done
[ "${1:-}" = "--fresh" ] && rm -rf "$DATA"

# service-account signing key pair + static admin token
[ -f "$PKI/sa.key" ] || { openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null; openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null; }
[ -f "$PKI/token" ] || openssl rand -hex 16 > "$PKI/token"
TOKEN=$(cat "$PKI/token")
echo "$TOKEN,admin,admin,system:masters" > "$PKI/tokens.csv"

T0=$(date +%s.%N)
setsid "$ETCD_BIN" --name kube-test --data-dir "$DATA" \
  --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
  --initial-cluster "kube-test=http://127.0.0.1:$ETCD_PEER_PORT" \
  --listen-metrics-urls "" --log-level warn \
  </dev/null >"$LOGS/etcd.log" 2>&1 &
echo $! > "$RUN/etcd.pid"
for i in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$ETCD_PORT/health" >/dev/null 2>&1 && break
  kill -0 "$(cat "$RUN/etcd.pid")" 2>/dev/null || { echo "etcd died, see $LOGS/etcd.log" >&2; tail -20 "$LOGS/etcd.log" >&2; exit 1; }
  sleep 0.1
done
T1=$(date +%s.%N)

setsid "$APISERVER_BIN" \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address="$APISERVER_BIND_ADDRESS" --advertise-address="$APISERVER_ADVERTISE_ADDRESS" --secure-port="$APISERVER_PORT" \
  --insecure-port=0 \
  --cert-dir="$CERTS" \
  --service-account-key-file="$PKI/sa.pub" \
  --service-account-signing-key-file="$PKI/sa.key" \
  --service-account-issuer=https://kubernetes.default.svc \
  --api-audiences=https://kubernetes.default.svc \
  --token-auth-file="$PKI/tokens.csv" \
  --authorization-mode=RBAC \
  $ADMISSION_ARGS \
  --service-cluster-ip-range=10.96.0.0/16 \
  --endpoint-reconciler-type="$RECONCILER" \
  --profiling=false \
  ${APISERVER_EXTRA_ARGS:-} \
  </dev/null >"$LOGS/kube-apiserver.log" 2>&1 &
echo $! > "$RUN/kube-apiserver.pid"
for i in $(seq 1 600); do
  curl -ksf -H "Authorization: Bearer $TOKEN" "https://$LOCAL_ADDR:$APISERVER_PORT/readyz" >/dev/null 2>&1 && break
  kill -0 "$(cat "$RUN/kube-apiserver.pid")" 2>/dev/null || { echo "kube-apiserver died, see $LOGS/kube-apiserver.log" >&2; tail -20 "$LOGS/kube-apiserver.log" >&2; exit 1; }
  sleep 0.1
done
curl -ksf -H "Authorization: Bearer $TOKEN" "https://$LOCAL_ADDR:$APISERVER_PORT/readyz" >/dev/null || { echo "kube-apiserver not ready after 60s" >&2; exit 1; }
T2=$(date +%s.%N)

cat > "$KDIR/kubeconfig" <<KCFG
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://$LOCAL_ADDR:$APISERVER_PORT
    insecure-skip-tls-verify: true
users:
- name: admin
  user:
    token: $TOKEN
contexts:
- name: local
  context: {cluster: local, user: admin, namespace: default}
current-context: local
KCFG
printf 'etcd ready in %.2fs, kube-apiserver ready in %.2fs (total %.2fs); pids etcd=%s apiserver=%s\nexport KUBECONFIG=%s\n' \
  "$(echo "$T1 - $T0" | bc)" "$(echo "$T2 - $T1" | bc)" "$(echo "$T2 - $T0" | bc)" \
  "$(cat "$RUN/etcd.pid")" "$(cat "$RUN/kube-apiserver.pid")" "$KDIR/kubeconfig"
