#!/bin/bash
# Cluster DNS records for the dnsmasq that start.sh runs on the pod bridge gateway (no CoreDNS in Debian).
# Keeps $KDIR/dns/hosts (dnsmasq addn-hosts) equal to:
#   <svc>.<ns>.svc.<domain>  -> spec.clusterIP                      for every Service with a ClusterIP
#   <svc>.<ns>.svc.<domain>  -> each ready endpoint IP               for headless Services (clusterIP: None)
#   <hostname>.<svc>.<ns>.svc.<domain> -> that IP                    for headless endpoints that have a hostname
# (ExternalName Services get no record.) Polls the apiserver every INTERVAL s with one curl for services + endpoints
# (admin token from $KDIR/pki/token, server from $KDIR/kubeconfig); jq runs only when the items changed since the last
# poll (compared in bash; the loop costs ~1.5% of one core), and only when its result differs from the file is the file rewritten
# (atomic mv) and dnsmasq sent SIGHUP (PID from $KDIR/run/dnsmasq.pid), which re-reads addn-hosts and clears its cache.
# So a new Service resolves within ~INTERVAL s. Each change is logged to stdout.
# Started and stopped (by PID, $KDIR/run/dns-sync.pid) by start.sh / stop.sh; not meant to be run by hand.
# Env: KDIR ($HOME/.cache/fusion-test-kube), CLUSTER_DOMAIN (cluster.local), INTERVAL (1)
set -uo pipefail
KDIR=${KDIR:-${XDG_CACHE_HOME:-$HOME/.cache}/fusion-test-kube}
DOMAIN=${CLUSTER_DOMAIN:-cluster.local}; INTERVAL=${INTERVAL:-1}
HOSTS=$KDIR/dns/hosts; DNSMASQ_PID=$KDIR/run/dnsmasq.pid
API=$(awk '/server:/{print $2; exit}' "$KDIR/kubeconfig"); TOKEN=$(cat "$KDIR/pki/token")
mkdir -p "$KDIR/dns"; touch "$HOSTS"

SVC=$KDIR/dns/.services.json; EP=$KDIR/dns/.endpoints.json
gen() { # hosts lines from $SVC + $EP
  jq -rs --arg d "$DOMAIN" '
    (.[1].items | map({key: "\(.metadata.namespace)/\(.metadata.name)", value: (.subsets // [])}) | from_entries) as $ep
    | .[0].items[]
    | .metadata.name as $n | .metadata.namespace as $ns | "\($n).\($ns).svc.\($d)" as $f
    | if .spec.clusterIP == "None" then
        ($ep["\($ns)/\($n)"] // [])[] | (.addresses // [])[]
        | "\(.ip) \($f)" + (if .hostname then " \(.hostname).\($f)" else "" end)
      elif (.spec.clusterIP // "") != "" then "\(.spec.clusterIP) \($f)"
      else empty end' "$SVC" "$EP" | sort -u
}

echo "dns-sync: $API -> $HOSTS every ${INTERVAL}s (domain $DOMAIN)"
last=""
while :; do
  if curl -sfk -m 5 -H "Authorization: Bearer $TOKEN" "$API/api/v1/services" -o "$SVC" "$API/api/v1/endpoints" -o "$EP"; then
    s=$(<"$SVC"); e=$(<"$EP"); cur="${s#*\"items\":}${e#*\"items\":}"   # drop the list resourceVersion (changes on any write)
    if [ "$cur" != "$last" ] && new=$(gen); then
      last=$cur
      if [ "$new" != "$(<"$HOSTS")" ]; then
        printf '%s\n' "$new" > "$HOSTS.tmp" && mv "$HOSTS.tmp" "$HOSTS"
        pid=$(<"$DNSMASQ_PID") && kill -HUP "$pid" 2>/dev/null && hup="SIGHUP dnsmasq $pid" || hup="dnsmasq not running"
        echo "$(date +%T.%3N) $(grep -c . "$HOSTS") records, $hup"
      fi
    fi
  fi
  sleep "$INTERVAL"
done
