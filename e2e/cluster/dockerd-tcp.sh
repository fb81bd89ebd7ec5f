#!/usr/bin/env bash
# Make the harness's dockerd also listen on tcp://127.0.0.1:2375 without TLS (on), or not (off): the node's own
# daemon as the subject of the node scan's e2e test (docker-tcp-without-tls).
#
#   e2e/cluster/dockerd-tcp.sh on|off|status
#
# dockerd reads its hosts only at start, so this restarts it with the harness's flags (lib.sh: DOCKERD_FLAGS), plus
# the TCP host for on. dockerd runs with --live-restore, so the containers, and with them the pods, keep running; the
# script fails unless the same containers run afterwards and the node is Ready again. Loopback only: nothing outside
# this machine can reach the listener. Idempotent; holds the harness lock, as up.sh and down.sh do.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

TCP_HOST=tcp://127.0.0.1:2375

usage() { sed -n '2,10p' "$0" >&2; exit 2; }

# on when the running dockerd was started with the TCP host
tcp_configured() {
  local pid
  pid=$(daemon_pid dockerd) || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF -- "--host=$TCP_HOST"
}

# a socket listens on 127.0.0.1:2375 and dockerd holds it
tcp_listening() {
  ss -ltnpH 'sport = :2375' 2>/dev/null | grep -q '"dockerd"'
}

tcp_closed() {
  [[ -z $(ss -ltnH 'sport = :2375' 2>/dev/null) ]]
}

# every running container's id and start time: a restarted container changes the second, a replaced one the first
containers() {
  "$DOCKER" ps -q --no-trunc | sort | xargs -r "$DOCKER" inspect -f '{{.Id}} {{.State.StartedAt}}'
}

status() {
  if tcp_configured; then echo on; else echo off; fi
}

main() {
  [[ $# -eq 1 ]] || usage
  local want=$1 flags
  case $want in
    on | off) ;;
    status) status; return 0 ;;
    *) usage ;;
  esac
  [[ $(id -u) -eq 0 ]] || die "must run as root (it restarts dockerd)"
  take_lock 600
  daemon_pid dockerd >/dev/null && docker_up || die "the harness's dockerd is not running (e2e/cluster/up.sh)"
  if [[ $(status) == "$want" ]]; then
    log "dockerd's TCP listener is already $want"
    return 0
  fi
  flags=("${DOCKERD_FLAGS[@]}")
  [[ $want == on ]] && flags+=("--host=$TCP_HOST")

  local before after
  before=$(containers)
  log "restarting dockerd with the TCP listener $want ($(wc -l <<<"$before") containers, kept by --live-restore)"
  stop_daemon dockerd 30
  start_daemon dockerd /usr/sbin/dockerd "${flags[@]}"
  wait_until 60 dockerd "dockerd to answer on $DOCKER_SOCK" docker_up
  if [[ $want == on ]]; then
    wait_until 30 dockerd "dockerd to listen on 127.0.0.1:2375" tcp_listening
  else
    wait_until 30 dockerd "nothing to listen on port 2375" tcp_closed
  fi
  # the kubelet's dockershim reconnects by itself; its next status update says Ready again
  wait_until 120 kubelet "node $NODE_NAME to be Ready" node_ready
  after=$(containers)
  if [[ $before != "$after" ]]; then
    diff <(echo "$before") <(echo "$after") >&2 || true
    die "the running containers changed across the dockerd restart (is --live-restore on?)"
  fi
  log "dockerd's TCP listener is $want; the same $(wc -l <<<"$after") containers run, node $NODE_NAME Ready"
}

main "$@"
