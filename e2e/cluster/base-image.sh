#!/usr/bin/env bash
# Build the local Java 17 JRE base image `daemonguard-base:bookworm-jre17`
# (no image registry here: the e2e images are built FROM it, offline).
#
#   e2e/cluster/base-image.sh     # needs the dockerd that up.sh starts
#
# Skips when the image exists. The debootstrapped rootfs is cached as a
# tarball under $DG_CACHE/base/, so after a wipe of dockerd's data root the
# image is re-imported in seconds instead of debootstrapped again.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

IMAGE=${DG_BASE_IMAGE:-daemonguard-base:bookworm-jre17}
MIRROR=${DG_DEBIAN_MIRROR:-http://deb.debian.org/debian}
TARBALL=$DG_CACHE/base/bookworm-jre17-rootfs.tar

[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap and docker need it)"
mkdir -p "$DG_CACHE/base" "$LOGS"
docker_up || die "no dockerd answers on $DOCKER_SOCK; run e2e/cluster/up.sh first"

if "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
  log "$IMAGE already present"
  exit 0
fi

t0=$SECONDS
if [[ ! -s $TARBALL ]]; then
  ensure_packages debootstrap
  root=$(mktemp -d "$DG_CACHE/base/rootfs.XXXXXX")
  # Never leave a half-built rootfs (it holds mounted /proc during debootstrap).
  trap 'umount -R "$root/proc" "$root/sys" "$root/dev" 2>/dev/null || true; rm -rf "$root"' EXIT
  log "debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm (log: $LOGS/debootstrap.log)"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$root" "$MIRROR" \
    >"$LOGS/debootstrap.log" 2>&1 || { tail -n 30 "$LOGS/debootstrap.log" >&2; die "debootstrap failed"; }
  # Downloaded .debs and package lists only make the image bigger.
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/tmp/*
  [[ -x $root/usr/bin/java ]] || die "debootstrap finished but $root/usr/bin/java is missing"
  log "packing rootfs into $TARBALL"
  tar --numeric-owner -C "$root" -cf "$TARBALL.tmp" . && mv "$TARBALL.tmp" "$TARBALL"
fi

log "docker import $TARBALL as $IMAGE"
"$DOCKER" import --change 'CMD ["/bin/bash"]' "$TARBALL" "$IMAGE" >/dev/null
"$DOCKER" run --rm "$IMAGE" java -version >/dev/null 2>&1 || die "$IMAGE was imported but 'java -version' fails in it"
log "$IMAGE ready in $((SECONDS - t0))s"
