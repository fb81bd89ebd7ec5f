#!/usr/bin/env bash
# Stop the e2e cluster that up.sh started, and forget its data so the next
# up.sh starts clean. Keeps the binary cache, the images in dockerd's data
# root and the certificates (so a kubeconfig path handed out stays valid).
# Idempotent: with nothing running it only tidies up and exits 0.
# Only processes recorded in $DG_STATE/run/*.pid are stopped.
set -uo pipefail # no -e: a teardown must go on past a failing step

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

[[ $(id -u) -eq 0 ]] || die "must run as root"
take_lock 900
t0=$SECONDS

# 1. The kubelet first, so it does not restart the containers removed next.
stop_daemon kubelet 30

# 2. Pod containers (dockershim names them k8s_*), while dockerd still runs.
if daemon_pid dockerd >/dev/null && docker_up; then
  ids=$("$DOCKER" ps -aq --filter name='^k8s_' 2>/dev/null || true)
  if [[ -n $ids ]]; then
    log "removing $(wc -w <<<"$ids") pod containers"
    # shellcheck disable=SC2086
    timeout 120 "$DOCKER" rm -f $ids >/dev/null 2>&1 || log "warning: some pod containers could not be removed"
  fi
fi

# 3. The rest of the node and the control plane, top down.
stop_daemon kube-proxy
stop_daemon kube-scheduler
stop_daemon kube-controller-manager
stop_daemon kube-apiserver 30
stop_daemon etcd 30

# 4. iptables chains of kube-proxy (KUBE-*), the kubelet (KUBE-FIREWALL,
#    KUBE-MARK-*) and this harness (DG-*): the jumps into them from the
#    built-in chains first, then the chains. Docker's own rules stay.
if command -v iptables >/dev/null; then
  for table in filter nat mangle; do
    iptables -w -t "$table" -S 2>/dev/null | grep -E '^-A [A-Z]+ .*-j (KUBE|DG)-' |
      sed 's/^-A /-D /' | while read -r rule; do
        eval "iptables -w -t $table $rule" 2>/dev/null || true
      done
    chains=$(iptables -w -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^(KUBE|DG)-/ { print $2 }')
    for c in $chains; do iptables -w -t "$table" -F "$c" 2>/dev/null; done
    for c in $chains; do iptables -w -t "$table" -X "$c" 2>/dev/null; done
  done
fi

# 5. dockerd last (it also stops its managed containerd).
stop_daemon dockerd 60

# 6. Data: unmount what the kubelet mounted (its root dir is bind-mounted
#    onto itself, secret volumes are tmpfs), deepest first, then delete.
for dir in "$DG_STATE/kubelet" "$DG_STATE/dockershim"; do
  if [[ -d $dir ]]; then
    findmnt -rn -o TARGET | grep -F "$dir" | sort -r | while read -r m; do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
  fi
done
log "removing etcd data, kubelet dir and pod logs"
rm -rf "$DG_STATE/etcd" "$DG_STATE/kubelet" "$DG_STATE/dockershim"
# Pod logs are written to fixed paths by the kubelet; only it writes there.
rm -rf /var/log/pods/* /var/log/containers/* 2>/dev/null || true
log "down in $((SECONDS - t0))s (binaries in $K8S_BIN and certificates in $DG_STATE/pki kept)"
exit 0
