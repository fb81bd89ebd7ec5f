# shellcheck shell=bash
# shellcheck disable=SC2034  # settings here are used by the scripts that source this file
# Shared settings and helpers for the e2e cluster scripts (up.sh, down.sh,
# base-image.sh). Sourced, never run.
#
# Everything the harness creates lives under two directories:
#   DG_CACHE  survives down.sh: built Kubernetes binaries, pause binary,
#             base-image rootfs tarball, helm.
#   DG_STATE  one cluster's life: certificates, kubeconfigs, pidfiles, logs,
#             etcd data, kubelet root dir. down.sh wipes etcd data and the
#             kubelet dir; certificates are kept so kubeconfig stays valid.

DG_CACHE=${DG_CACHE:-/root/.cache/daemonguard-e2e}
DG_STATE=${DG_STATE:-$DG_CACHE/state}

# Debian bookworm's source package `kubernetes` is 1.20.2; the binary cache is
# keyed by it, so a different version builds into a different directory.
K8S_VERSION=${K8S_VERSION:-1.20.2}
# The suffix names how the binaries were built: "vendorfix1" has reflect2 1.0.2 and json-iterator 1.1.12
# patched into vendor/ (see patch_vendor in up.sh). A new suffix makes every machine rebuild.
K8S_BUILD=${K8S_BUILD:-vendorfix1}
K8S_BIN=$DG_CACHE/k8s-$K8S_VERSION-$K8S_BUILD/bin
K8S_COMPONENTS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)

# Addresses: loopback and the docker0 bridge only. The apiserver advertises
# the bridge address so pods reach it through the `kubernetes` Service.
DOCKER0_IP=172.17.0.1
DOCKER_BIP=172.17.0.1/16
SERVICE_CIDR=10.0.0.0/24
SERVICE_IP=10.0.0.1
POD_CIDR=172.17.0.0/16
APISERVER_PORT=6443
NODE_NAME=${DG_NODE_NAME:-dg-node}
PAUSE_IMAGE=k8s.gcr.io/pause:3.2
DOCKER_SOCK=/var/run/docker.sock
KUBECONFIG_ADMIN=$DG_STATE/kubeconfig
RUN=$DG_STATE/run
LOGS=$DG_STATE/log
APT_UPDATED=0

# The harness's dockerd. --live-restore keeps containers running while dockerd restarts, which
# dockerd-tcp.sh does to add or drop a TCP listener (dockerd reads its hosts only at start).
DOCKERD_FLAGS=(
  --host="unix://$DOCKER_SOCK"
  --bip="$DOCKER_BIP"
  --add-runtime="dg-runc=$DG_STATE/bin/dg-runc"
  --default-runtime=dg-runc
  --oom-score-adjust=0
  --exec-opt native.cgroupdriver=cgroupfs
  --live-restore
)

# Debian's docker CLI; a different `docker` may come first in PATH.
DOCKER=/usr/bin/docker
KUBECTL=${KUBECTL:-$(command -v kubectl || echo /usr/bin/kubectl)}

# Start order; down.sh stops in the order it documents.
DG_DAEMONS=(dockerd etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy)

log()  { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

# The pid of a daemon we started, if that process is still alive and is
# still the same program (guards against pid reuse after a reboot/restart).
daemon_pid() {
  local name=$1 pidfile=$DG_STATE/run/$1.pid pid
  [[ -s $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  pid_running "$pid" || return 1
  # argv[0]'s base name, not a substring: kube-apiserver's flags mention "kubelet".
  [[ $(tr '\0' '\n' </proc/"$pid"/cmdline | head -n 1 | xargs -r basename 2>/dev/null) == "$name" ]] || return 1
  echo "$pid"
}

# Liveness only (pidfile's process still runs), for polling right after a
# start: until the forked shell has exec'ed the daemon, its cmdline is still
# bash's, so daemon_pid's identity check would report it dead.
daemon_running() {
  local pidfile=$DG_STATE/run/$1.pid
  [[ -s $pidfile ]] && pid_running "$(<"$pidfile")"
}

# True while PID runs. A zombie counts as gone: our daemons are reparented to
# PID 1, which here reaps them only every second or two.
pid_running() {
  local state
  state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

# Stop one daemon by its pidfile: TERM, wait (bounded), then KILL.
stop_daemon() {
  local name=$1 timeout=${2:-20} pid i
  if pid=$(daemon_pid "$name"); then
    log "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < timeout * 5; i++)); do
      pid_running "$pid" || break
      sleep 0.2
    done
    if pid_running "$pid"; then
      log "$name did not exit in ${timeout}s, killing"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
    fi
  fi
  rm -f "$DG_STATE/run/$name.pid"
}

# Several engineers share this machine: one up.sh/down.sh at a time.
# up.sh runs down.sh itself while holding the lock (DG_LOCK_HELD=1).
take_lock() {
  [[ ${DG_LOCK_HELD:-0} == 1 ]] && return 0
  mkdir -p "$DG_STATE"
  exec 9>"$DG_STATE/.lock"
  if ! flock -n 9; then
    log "another up.sh/down.sh is running; waiting for $DG_STATE/.lock (max ${1}s)"
    flock -w "$1" 9 || die "gave up waiting for $DG_STATE/.lock after ${1}s"
  fi
  export DG_LOCK_HELD=1
}

docker_up() { [[ -S $DOCKER_SOCK ]] && timeout 10 "$DOCKER" -H "unix://$DOCKER_SOCK" info >/dev/null 2>&1; }

kc() { "$KUBECTL" --kubeconfig "$KUBECONFIG_ADMIN" --request-timeout=10s "$@"; }

apt_update_once() {
  ((APT_UPDATED)) && return 0
  log "apt-get update"
  apt-get update -qq >"$LOGS/apt.log" 2>&1 || { tail -n 20 "$LOGS/apt.log" >&2; die "apt-get update failed"; }
  APT_UPDATED=1
}

ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  apt_update_once
  log "apt-get install ${missing[*]}"
  # Debian's docker.io and etcd-server would start their own daemons from
  # their postinst; this harness starts them itself with its own flags, so
  # keep invoke-rc.d from starting anything during the install.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && created_policy=1
  fi
  local rc=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >>"$LOGS/apt.log" 2>&1 || rc=$?
  ((created_policy)) && rm -f "$policy"
  ((rc == 0)) || { tail -n 20 "$LOGS/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
}

node_ready() {
  [[ $(kc get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]]
}

# wait_until TIMEOUT COMPONENT DESCRIPTION CMD...: poll CMD every second;
# fail early if COMPONENT died, and show the tail of its log on failure.
wait_until() {
  local timeout=$1 comp=$2 what=$3 deadline
  shift 3
  deadline=$((SECONDS + timeout))
  while ! "$@" >/dev/null 2>&1; do
    if [[ -n $comp ]] && ! daemon_running "$comp"; then
      fail_with_log "$comp" "$comp exited while waiting for $what"
    fi
    ((SECONDS < deadline)) || fail_with_log "$comp" "timed out after ${timeout}s waiting for $what"
    sleep 1
  done
}

fail_with_log() {
  local comp=$1 msg=$2
  if [[ -n $comp && -f $LOGS/$comp.log ]]; then
    printf -- '--- last 40 lines of %s ---\n' "$LOGS/$comp.log" >&2
    tail -n 40 "$LOGS/$comp.log" >&2
    printf -- '---\n' >&2
  fi
  die "$msg (cluster left as is; e2e/cluster/down.sh cleans up)"
}

start_daemon() {
  # start_daemon NAME CMD...: run in its own session (survives this script),
  # output in $LOGS/NAME.log (the previous run's kept as NAME.log.prev),
  # pid in $RUN/NAME.pid.
  local name=$1
  shift
  log "starting $name (log: $LOGS/$name.log)"
  [[ -f $LOGS/$name.log ]] && mv -f "$LOGS/$name.log" "$LOGS/$name.log.prev"
  printf '===== %s starting: %s\n' "$(date -Is)" "$*" >"$LOGS/$name.log"
  # fd 9 is the harness lock: the daemon must not keep it.
  setsid "$@" </dev/null >>"$LOGS/$name.log" 2>&1 9>&- &
  echo $! >"$RUN/$name.pid"
}
