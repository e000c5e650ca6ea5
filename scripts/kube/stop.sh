#!/bin/bash
# Stop the one-node cluster started by start.sh and undo its host changes. Idempotent; safe to rerun.
# Order: kube-proxy, kubelet, scheduler, controller-manager, dns-sync.sh, dnsmasq (by saved PID) -> remove every pod sandbox through CRI
# (cri-lite rmp-all: CNI DEL frees IPs, deletes veths/netns) -> kill/delete leftover containerd tasks -> containerd
# -> KUBE-* iptables chains (kube-proxy --cleanup, then any left by kubelet) -> pod bridge -> kubepods cgroups
# -> restore saved sysctls (not ip_forward / bridge-nf-call-iptables, which podman's netavark also needs)
# -> kube-apiserver + etcd (stop.sh). Processes are only ever signalled by their saved PID.
# Left in place: binaries/images/etcd data/PKI/dns config under $KDIR, the dnsmasq-base package, pod log files under /var/log/pods (a later kubelet run GCs them).
# Usage: scripts/kube/stop.sh      Env: KDIR ($HOME/.cache/fusion-test-kube), POD_BRIDGE (kubebr0)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
export KDIR=${KDIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fusion-test-kube}
RUN=$KDIR/run; CD=$KDIR/containerd; SOCK=$CD/containerd.sock; POD_BRIDGE=${POD_BRIDGE:-kubebr0}

stop_pid() { # stop_pid NAME [GRACE_SECONDS]
  local n=$1 g=${2:-10} f=$RUN/$1.pid pid
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    local t0=$SECONDS k=""
    kill -TERM "$pid"
    for _ in $(seq 1 $((g*10))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { kill -KILL "$pid"; k=", SIGKILL after ${g}s"; }
    echo "stopped $n (pid $pid, $((SECONDS-t0))s$k)"
  fi
  rm -f "$f"
}

for n in kube-proxy kubelet kube-scheduler kube-controller-manager dns-sync dnsmasq; do stop_pid "$n"; done

if [ -f "$RUN/containerd.pid" ] && kill -0 "$(cat "$RUN/containerd.pid")" 2>/dev/null; then
  echo "removing pod sandboxes:"; "$KDIR/bin/cri-lite" "unix://$SOCK" rmp-all || echo "(cri-lite rmp-all reported errors)"
  C="ctr --address $SOCK -n k8s.io"
  for t in $($C tasks ls -q 2>/dev/null); do $C tasks kill -s SIGKILL "$t" >/dev/null 2>&1; sleep 0.2; $C tasks delete -f "$t" >/dev/null 2>&1; done
  for c in $($C containers ls -q 2>/dev/null); do $C containers delete "$c" >/dev/null 2>&1; done
fi
stop_pid containerd 15
# netns bind mounts left under containerd's state dir (only if a sandbox could not be removed)
grep -F " $CD/state/" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do umount "$m" 2>/dev/null && rm -f "$m"; done

# iptables: kube-proxy's own cleanup, then remaining KUBE-* chains (only kubelet/kube-proxy create those)
[ -x "$KDIR/bin/kube-proxy" ] && "$KDIR/bin/kube-proxy" --cleanup --v=0 >/dev/null 2>&1
for ipt in iptables ip6tables; do
  command -v $ipt >/dev/null || continue
  for t in filter nat mangle; do
    $ipt-save -t $t 2>/dev/null | grep -E '^-A [A-Z]+ .*-j KUBE-' | grep -vE '^-A KUBE-' | sed 's/^-A/-D/' | while read -r rule; do
      eval "$ipt -t $t $rule" 2>/dev/null
    done
    chains=$($ipt-save -t $t 2>/dev/null | sed -n 's/^:\(KUBE-[^ ]*\) .*/\1/p')
    for c in $chains; do $ipt -t $t -F "$c" 2>/dev/null; done
    for c in $chains; do $ipt -t $t -X "$c" 2>/dev/null; done
  done
done

ip link show "$POD_BRIDGE" >/dev/null 2>&1 && ip link delete "$POD_BRIDGE" && echo "deleted bridge $POD_BRIDGE"
# kubepods cgroups (empty once all pods are gone)
for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
  [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
done
# mounts kubelet may have left under its root dir (volumes of pods removed while kubelet was down)
grep -F " $KDIR/kubelet/" /proc/self/mountinfo | awk '{print $5}' | sort -r | while read -r m; do umount "$m" 2>/dev/null; done

if [ -f "$RUN/sysctl.saved" ]; then
  while IFS='=' read -r k v; do sysctl -qw "$k=$v" 2>/dev/null; done < "$RUN/sysctl.saved"
  rm -f "$RUN/sysctl.saved"; echo "restored sysctls"
fi

"$HERE/apiserver-stop.sh"
