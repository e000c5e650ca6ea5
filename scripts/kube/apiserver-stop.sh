#!/bin/bash
# Stop kube-apiserver and etcd started by apiserver.sh, by their saved PIDs.
KDIR=${KDIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fusion-test-kube}; RUN=$KDIR/run
for n in kube-apiserver etcd; do
  f=$RUN/$n.pid
  [ -f "$f" ] || continue
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "stopped $n (pid $pid)"
  fi
  rm -f "$f"
done
