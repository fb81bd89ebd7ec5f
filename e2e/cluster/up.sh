#!/usr/bin/env bash
# Bring up a real single-node Kubernetes 1.20 cluster on this machine, built
# from Debian bookworm's archive only (see README.md in this directory for why
# each piece is the way it is).
#
#   e2e/cluster/up.sh            # prints the admin kubeconfig path on stdout
#   KUBECONFIG=$(e2e/cluster/up.sh) kubectl get nodes
#
# Idempotent: a healthy cluster is left alone (exit 0 in about a second); a
# half-started one is torn down with down.sh and started again.
# Env: DG_CACHE (default /root/.cache/daemonguard-e2e), DG_STATE (default
#      $DG_CACHE/state), DG_NODE_NAME (default dg-node),
#      DG_KEEP_BUILD=1 keeps the Kubernetes source tree and Go build cache.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$HERE/lib.sh"

PKI=$DG_STATE/pki

# ---------------------------------------------------------------- preflight

free_gb_under() {
  # Free space of the filesystem that holds $1 (or its nearest existing parent).
  local d=$1
  while [[ ! -d $d ]]; do d=$(dirname "$d"); done
  df -Pk "$d" | awk 'NR==2 { print int($4 / 1024 / 1024) }'
}

preflight() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (dockerd, kubelet and iptables need it); you are $(id -un)"
  [[ -r /etc/os-release ]] || die "cannot read /etc/os-release; this harness needs Debian bookworm"
  local id codename
  id=$(. /etc/os-release && echo "${ID:-}")
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [[ $id == debian && $codename == bookworm ]] ||
    die "needs Debian bookworm (its archive provides kubernetes 1.20 source, etcd, docker.io); this is ${id:-?} ${codename:-?}"
  [[ $(uname -m) == x86_64 ]] || die "only tested on x86_64; this is $(uname -m)"
  [[ -d /sys/fs/cgroup ]] || die "/sys/fs/cgroup missing: the kubelet and dockerd need cgroups"
  # A cold run unpacks ~1 GB of source and a Go build cache of a few GB;
  # a warm run only needs room for etcd, logs and images.
  local need=2 have
  [[ -x $K8S_BIN/kubelet && -f $K8S_BIN/.complete ]] || need=8
  have=$(free_gb_under "$DG_CACHE")
  ((have >= need)) || die "only ${have} GB free under $DG_CACHE, need at least ${need} GB"
  mkdir -p "$DG_CACHE" "$DG_STATE" "$PKI" "$RUN" "$LOGS" "$DG_STATE/bin"
}

# ---------------------------------------------------------------- health

default_sa_ready() {
  # On 1.20 the ServiceAccount admission plugin refuses pods until the
  # account's token Secret exists, so wait for the secret, not just the SA.
  [[ -n $(kc -n default get serviceaccount default -o 'jsonpath={.secrets[0].name}' 2>/dev/null) ]]
}

cluster_healthy() {
  local d
  for d in "${DG_DAEMONS[@]}"; do daemon_pid "$d" >/dev/null || return 1; done
  [[ -s $KUBECONFIG_ADMIN ]] || return 1
  [[ $(kc get --raw /readyz 2>/dev/null) == ok ]] || return 1
  node_ready && default_sa_ready
}

anything_running() {
  local d
  for d in "${DG_DAEMONS[@]}"; do daemon_pid "$d" >/dev/null && return 0; done
  return 1
}

# ---------------------------------------------------------------- packages

ensure_deb_src() {
  # `apt-get source kubernetes` needs a deb-src entry for bookworm. Add one in
  # its own file, with the URI and key of the existing debian.sources entry.
  local f=/etc/apt/sources.list.d/daemonguard-e2e-bookworm-src.sources
  if grep -rqsE '^(Types:.*deb-src|deb-src .* bookworm )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    return 0
  fi
  local uri=http://deb.debian.org/debian key=/usr/share/keyrings/debian-archive-keyring.gpg u k
  u=$(awk '/^URIs:/ && $2 !~ /security/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  k=$(awk '/^Signed-By:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [[ -n $u ]] && uri=$u
  [[ -n $k ]] && key=$k
  log "adding deb-src entry $f ($uri bookworm main)"
  printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: %s\n' "$uri" "$key" >"$f"
  APT_UPDATED=0 # the new entry needs a fresh index
}

# ---------------------------------------------------------------- build

patch_vendor() {
  # Kubernetes 1.20 vendors reflect2 1.0.1 and json-iterator 1.1.10, which read Go's runtime map internals as they
  # were before Go 1.18. Built with Debian's Go 1.19, kube-apiserver dies with "fatal error: fault" in
  # reflect2.(*UnsafeMapType).UnsafeIterate on the first write of a custom resource. Debian packages the fixed
  # versions (1.0.2 and 1.1.12); copy them over the vendored ones. vendor/modules.txt needs no change.
  local src=$1 pkg dir
  for pkg in github.com/modern-go/reflect2 github.com/json-iterator/go; do
    dir=/usr/share/gocode/src/$pkg
    [[ -d $dir ]] || die "$dir missing (packages golang-github-modern-go-reflect2-dev, golang-github-json-iterator-go-dev)"
    rm -rf "${src:?}/vendor/$pkg"
    mkdir -p "$src/vendor/$pkg"
    cp -r "$dir"/. "$src/vendor/$pkg/"
    find "$src/vendor/$pkg" -name '*_test.go' -delete
    rm -rf "$src/vendor/$pkg/.git" "$src/vendor/$pkg/debian"
  done
  log "vendor/: reflect2 and json-iterator replaced by Debian's fixed versions"
}

build_kubernetes() {
  if [[ -f $K8S_BIN/.complete ]]; then
    log "kubernetes $K8S_VERSION binaries cached in $K8S_BIN"
    return 0
  fi
  log "building kubernetes $K8S_VERSION from Debian's source package (cold: ~5 min on 2 cores)"
  apt_update_once # for `apt-get source`, if no install needed one already

  local build=$DG_CACHE/build src
  mkdir -p "$build"
  # Debian calls it 1.20.5+really1.20.2: the tree is 1.20.2 (checked after
  # the build with --version).
  src=$(find "$build" -maxdepth 1 -type d -name 'kubernetes-*' | head -n 1)
  if [[ -z $src || ! -f $src/.dg-unpacked ]]; then
    rm -rf "$build"/kubernetes-* "$build"/kubernetes_*
    log "apt-get source kubernetes (34 MB) into $build"
    (cd "$build" && apt-get source -qq kubernetes) >"$LOGS/apt-source.log" 2>&1 ||
      { tail -n 20 "$LOGS/apt-source.log" >&2; die "apt-get source kubernetes failed"; }
    src=$(find "$build" -maxdepth 1 -type d -name 'kubernetes-*' | head -n 1)
    [[ -n $src ]] || die "apt-get source produced no kubernetes-* directory in $build"
    touch "$src/.dg-unpacked"
  fi

  patch_vendor "$src"

  # The kubernetes Makefile wants GOPATH layout.
  export GOPATH=$build/gopath GOCACHE=$build/go-build CGO_ENABLED=0
  mkdir -p "$GOPATH/src/k8s.io"
  ln -sfn "$src" "$GOPATH/src/k8s.io/kubernetes"
  # A failed build leaves _output/ in a state that fails the next try with a
  # misleading error; always start from a clean _output/.
  rm -rf "$src/_output"
  local what="" c start=$SECONDS
  for c in "${K8S_COMPONENTS[@]}"; do what+=" cmd/$c"; done
  log "make WHAT=\"${what# }\" (log: $LOGS/k8s-build.log)"
  (cd "$GOPATH/src/k8s.io/kubernetes" && make WHAT="${what# }") >"$LOGS/k8s-build.log" 2>&1 ||
    { tail -n 30 "$LOGS/k8s-build.log" >&2; die "kubernetes build failed (full log: $LOGS/k8s-build.log)"; }
  log "kubernetes built in $((SECONDS - start))s"
  local got
  got=$("$src/_output/bin/kube-apiserver" --version 2>/dev/null || true)
  [[ $got == "Kubernetes v$K8S_VERSION" ]] ||
    die "built kube-apiserver reports '$got', expected v$K8S_VERSION (set K8S_VERSION to match Debian's source)"

  # The pause container: no registry here, so build it from the same tree.
  local tmp=$K8S_BIN.tmp
  rm -rf "$tmp" && mkdir -p "$tmp"
  for c in "${K8S_COMPONENTS[@]}"; do
    cp "$src/_output/bin/$c" "$tmp/$c" || die "build produced no $c"
  done
  log "gcc -static pause.c"
  gcc -Os -static -Wall -DVERSION=v3.2 -o "$tmp/pause" "$src/build/pause/linux/pause.c" ||
    die "building the pause binary failed"
  strip "$tmp/pause" "$tmp"/kube-* "$tmp/kubelet" 2>/dev/null || true
  touch "$tmp/.complete"
  rm -rf "$K8S_BIN" && mkdir -p "$(dirname "$K8S_BIN")" && mv "$tmp" "$K8S_BIN"

  if [[ ${DG_KEEP_BUILD:-0} != 1 ]]; then
    log "removing source tree and Go build cache (binaries are cached; DG_KEEP_BUILD=1 keeps them)"
    rm -rf "$build"
  fi
}

# ---------------------------------------------------------------- docker

write_runc_wrapper() {
  # This sandbox lacks CAP_SYS_RESOURCE, so runc cannot set the negative
  # oom_score_adj the kubelet asks for (-998 on every pod sandbox) and the
  # container fails with "can't get final child's PID from pipe: EOF".
  # Rewrite a negative oomScoreAdj in the bundle's config.json to 0, then run
  # the real runc. Only used by this harness's dockerd, never by real clusters.
  local w=$DG_STATE/bin/dg-runc
  cat >"$w.tmp" <<'EOF'
#!/bin/bash
bundle=. prev=
for a in "$@"; do
  case $prev in --bundle|-b) bundle=$a ;; esac
  case $a in --bundle=*) bundle=${a#--bundle=} ;; esac
  prev=$a
done
if [[ " $* " == *" create "* || " $* " == *" run "* ]] && [[ -f $bundle/config.json ]]; then
  sed -i -E 's/"oomScoreAdj":[[:space:]]*-[0-9]+/"oomScoreAdj":0/' "$bundle/config.json"
fi
exec /usr/sbin/runc "$@"
EOF
  chmod 755 "$w.tmp" && mv "$w.tmp" "$w"
}

start_dockerd() {
  write_runc_wrapper
  if daemon_pid dockerd >/dev/null && docker_up; then
    log "dockerd already running"
    return 0
  fi
  if [[ -S $DOCKER_SOCK ]] && docker_up; then
    die "a dockerd not started by this harness answers on $DOCKER_SOCK; stop it first (the harness needs its own flags: runc wrapper, --bip)"
  fi
  if [[ -d /run/systemd/system ]] && systemctl is-active -q docker 2>/dev/null; then
    die "systemd runs docker.service; 'systemctl stop docker docker.socket' first"
  fi
  # Pod-to-Service traffic between pods on the same bridge must pass through
  # iptables, or replies skip kube-proxy's DNAT and connections reset.
  sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null ||
    log "warning: could not set net.bridge.bridge-nf-call-iptables=1 (pod->Service->pod on the same bridge may fail)"
  rm -f /var/run/docker.pid
  start_daemon dockerd /usr/sbin/dockerd "${DOCKERD_FLAGS[@]}"
  wait_until 60 dockerd "dockerd to answer on $DOCKER_SOCK" docker_up
  wait_until 20 dockerd "docker0 to carry $DOCKER0_IP" bash -c "ip -4 addr show docker0 | grep -q 'inet $DOCKER0_IP/'"
}

ensure_pause_image() {
  if "$DOCKER" image inspect "$PAUSE_IMAGE" >/dev/null 2>&1; then return 0; fi
  log "importing $PAUSE_IMAGE from $K8S_BIN/pause"
  local d
  d=$(mktemp -d)
  cp "$K8S_BIN/pause" "$d/pause"
  tar -C "$d" -c pause | "$DOCKER" import --change 'ENTRYPOINT ["/pause"]' - "$PAUSE_IMAGE" >/dev/null
  rm -rf "$d"
}

# ---------------------------------------------------------------- network guard

install_net_guard() {
  # Keep all cluster traffic on this machine:
  #  - anything still addressed to the Service range after kube-proxy's NAT
  #    (no rule for it yet) is rejected instead of following the default route;
  #  - the apiserver listens on all addresses (so both 127.0.0.1 and docker0
  #    work); only this host's own addresses (a host process reaching a
  #    ClusterIP gets the source address of the default route) and the pods
  #    on the docker bridge may connect to it or to the kubelet.
  iptables -w -N DG-EGRESS 2>/dev/null || iptables -w -F DG-EGRESS
  iptables -w -A DG-EGRESS -d "$SERVICE_CIDR" -j REJECT
  iptables -w -N DG-INGRESS 2>/dev/null || iptables -w -F DG-INGRESS
  iptables -w -A DG-INGRESS -m addrtype --src-type LOCAL -j RETURN
  iptables -w -A DG-INGRESS -s "$POD_CIDR" -j RETURN
  iptables -w -A DG-INGRESS -p tcp -m multiport --dports "$APISERVER_PORT,10250" -j DROP
  local chain
  for chain in OUTPUT FORWARD; do
    iptables -w -C "$chain" -j DG-EGRESS 2>/dev/null || iptables -w -I "$chain" 1 -j DG-EGRESS
  done
  iptables -w -C INPUT -j DG-INGRESS 2>/dev/null || iptables -w -I INPUT 1 -j DG-INGRESS
}

# ---------------------------------------------------------------- certificates

# mkcert NAME CN O KIND [SANS]: key + cert signed by the cluster CA.
# KIND is client or server; existing files are kept.
mkcert() {
  local name=$1 cn=$2 o=$3 kind=$4 sans=${5:-} ca=${6:-ca} subj ext
  [[ -s $PKI/$name.crt && -s $PKI/$name.key ]] && return 0
  subj="/CN=$cn"
  [[ -n $o ]] && subj="/O=$o$subj"
  ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment"
  if [[ $kind == server ]]; then
    ext+=$'\nextendedKeyUsage=serverAuth'
    [[ -n $sans ]] && ext+=$'\n'"subjectAltName=$sans"
  else
    ext+=$'\nextendedKeyUsage=clientAuth'
  fi
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -subj "$subj" \
    -out "$PKI/$name.csr" 2>/dev/null || die "openssl: key/CSR for $name failed"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/$ca.crt" -CAkey "$PKI/$ca.key" \
    -set_serial "0x$(openssl rand -hex 12)" -days 3650 -extfile <(printf '%s\n' "$ext") \
    -out "$PKI/$name.crt" 2>/dev/null || die "openssl: signing $name failed"
  rm -f "$PKI/$name.csr"
}

mkca() {
  local name=$1 cn=$2
  [[ -s $PKI/$name.crt && -s $PKI/$name.key ]] && return 0
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -out "$PKI/$name.crt" \
    -days 3650 -subj "/CN=$cn" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null ||
    die "openssl: creating CA $name failed"
}

mkkubeconfig() {
  # mkkubeconfig FILE USER CERTNAME
  local f=$DG_STATE/$1 user=$2 cert=$3
  [[ -s $f ]] && return 0
  "$KUBECTL" config set-cluster dg-e2e --server="https://127.0.0.1:$APISERVER_PORT" \
    --certificate-authority="$PKI/ca.crt" --embed-certs=true --kubeconfig="$f.tmp" >/dev/null
  "$KUBECTL" config set-credentials "$user" --client-certificate="$PKI/$cert.crt" \
    --client-key="$PKI/$cert.key" --embed-certs=true --kubeconfig="$f.tmp" >/dev/null
  "$KUBECTL" config set-context dg-e2e --cluster=dg-e2e --user="$user" --kubeconfig="$f.tmp" >/dev/null
  "$KUBECTL" config use-context dg-e2e --kubeconfig="$f.tmp" >/dev/null
  chmod 600 "$f.tmp" && mv "$f.tmp" "$f"
}

make_pki() {
  log "certificates and kubeconfigs in $PKI (kept across down/up)"
  # Leaf certificates and kubeconfigs are only valid with the CA that signed
  # them: without the CA, start the whole PKI over.
  if [[ ! -s $PKI/ca.crt || ! -s $PKI/ca.key ]]; then
    rm -rf "${PKI:?}"/* "$DG_STATE"/*kubeconfig
  fi
  umask 077
  mkca ca daemonguard-e2e-ca
  mkca front-proxy-ca daemonguard-e2e-front-proxy-ca
  mkcert apiserver kube-apiserver "" server \
    "IP:127.0.0.1,IP:$DOCKER0_IP,IP:$SERVICE_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  mkcert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters client
  mkcert front-proxy-client front-proxy-client "" client "" front-proxy-ca
  mkcert admin admin system:masters client
  mkcert controller-manager system:kube-controller-manager "" client
  mkcert scheduler system:kube-scheduler "" client
  mkcert kube-proxy system:kube-proxy "" client
  # The kubelet is a real node: its identity is system:node:NAME in
  # system:nodes, so the Node authorizer and NodeRestriction apply to it.
  mkcert "kubelet-$NODE_NAME" "system:node:$NODE_NAME" system:nodes client
  mkcert "kubelet-serving-$NODE_NAME" "$NODE_NAME" "" server "IP:$DOCKER0_IP,IP:127.0.0.1,DNS:$NODE_NAME"
  if [[ ! -s $PKI/sa.key || ! -s $PKI/sa.pub ]]; then
    openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
    openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
  umask 022
  mkkubeconfig kubeconfig admin admin
  mkkubeconfig controller-manager.kubeconfig system:kube-controller-manager controller-manager
  mkkubeconfig scheduler.kubeconfig system:kube-scheduler scheduler
  mkkubeconfig kube-proxy.kubeconfig system:kube-proxy kube-proxy
  mkkubeconfig "kubelet-$NODE_NAME.kubeconfig" "system:node:$NODE_NAME" "kubelet-$NODE_NAME"
}

# ---------------------------------------------------------------- control plane

check_ports_free() {
  # Before starting anything, so a taken port does not leave a half-up
  # cluster: etcd 2379-2381, apiserver, kubelet 10248/10250, kube-proxy
  # 10249/10256, controller-manager 10257, scheduler 10259.
  local port who
  for port in 2379 2380 2381 "$APISERVER_PORT" 10248 10249 10250 10256 10257 10259; do
    who=$(ss -ltnpH "sport = :$port" 2>/dev/null | head -n 1)
    [[ -z $who ]] || die "port $port is already in use ($who); stop that process first"
  done
}

start_etcd() {
  mkdir -p "$DG_STATE/etcd" && chmod 700 "$DG_STATE/etcd"
  start_daemon etcd /usr/bin/etcd \
    --name=dg-e2e \
    --data-dir="$DG_STATE/etcd" \
    --listen-client-urls=http://127.0.0.1:2379 \
    --advertise-client-urls=http://127.0.0.1:2379 \
    --listen-peer-urls=http://127.0.0.1:2380 \
    --initial-advertise-peer-urls=http://127.0.0.1:2380 \
    --initial-cluster=dg-e2e=http://127.0.0.1:2380 \
    --listen-metrics-urls=http://127.0.0.1:2381
  wait_until 60 etcd "etcd health on 127.0.0.1:2379" \
    bash -c 'curl -fsS --max-time 2 http://127.0.0.1:2379/health | grep -q "\"health\":\"true\""'
}

start_apiserver() {
  start_daemon kube-apiserver "$K8S_BIN/kube-apiserver" \
    --advertise-address="$DOCKER0_IP" \
    --bind-address=0.0.0.0 \
    --secure-port="$APISERVER_PORT" \
    --insecure-port=0 \
    --etcd-servers=http://127.0.0.1:2379 \
    --allow-privileged=true \
    --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction,ValidatingAdmissionWebhook,MutatingAdmissionWebhook,ServiceAccount \
    --enable-aggregator-routing=true \
    --feature-gates=EphemeralContainers=true \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" \
    --service-account-signing-key-file="$PKI/sa.key" \
    --client-ca-file="$PKI/ca.crt" \
    --tls-cert-file="$PKI/apiserver.crt" \
    --tls-private-key-file="$PKI/apiserver.key" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority="$PKI/ca.crt" \
    --kubelet-preferred-address-types=InternalIP,Hostname \
    --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" \
    --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User \
    --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --proxy-client-cert-file="$PKI/front-proxy-client.crt" \
    --proxy-client-key-file="$PKI/front-proxy-client.key" \
    --v=1
  wait_until 120 kube-apiserver "kube-apiserver /readyz" \
    bash -c "[[ \$('$KUBECTL' --kubeconfig '$KUBECONFIG_ADMIN' --request-timeout=5s get --raw /readyz 2>/dev/null) == ok ]]"
}

start_controller_manager() {
  local kcfg=$DG_STATE/controller-manager.kubeconfig
  start_daemon kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig="$kcfg" \
    --authentication-kubeconfig="$kcfg" \
    --authorization-kubeconfig="$kcfg" \
    --bind-address=127.0.0.1 \
    --port=0 \
    --leader-elect=false \
    --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI/sa.key" \
    --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" \
    --cluster-signing-key-file="$PKI/ca.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" \
    --feature-gates=EphemeralContainers=true \
    --v=1
}

start_scheduler() {
  local kcfg=$DG_STATE/scheduler.kubeconfig
  start_daemon kube-scheduler "$K8S_BIN/kube-scheduler" \
    --kubeconfig="$kcfg" \
    --authentication-kubeconfig="$kcfg" \
    --authorization-kubeconfig="$kcfg" \
    --bind-address=127.0.0.1 \
    --port=0 \
    --leader-elect=false \
    --feature-gates=EphemeralContainers=true \
    --v=1
}

# ---------------------------------------------------------------- node

start_kubelet() {
  local cfg=$DG_STATE/kubelet-config.yaml
  # Image GC is effectively off: images here are built locally and cannot be
  # pulled again once collected. Eviction thresholds are low for the same
  # reason (a busy dev disk must not evict the webhook under test).
  cat >"$cfg" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $DOCKER0_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $PKI/kubelet-serving-$NODE_NAME.crt
tlsPrivateKeyFile: $PKI/kubelet-serving-$NODE_NAME.key
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $PKI/ca.crt
authorization:
  mode: Webhook
cgroupDriver: cgroupfs
cgroupsPerQOS: false
enforceNodeAllocatable: []
failSwapOn: false
featureGates:
  EphemeralContainers: true
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 100Mi
  nodefs.available: 2%
  nodefs.inodesFree: 2%
  imagefs.available: 2%
serializeImagePulls: false
staticPodPath: $DG_STATE/manifests
EOF
  # static pods: the e2e suite places one here to see the audit report it through its mirror pod
  mkdir -p "$DG_STATE/kubelet" "$DG_STATE/dockershim" "$DG_STATE/manifests"
  start_daemon kubelet "$K8S_BIN/kubelet" \
    --config="$cfg" \
    --kubeconfig="$DG_STATE/kubelet-$NODE_NAME.kubeconfig" \
    --hostname-override="$NODE_NAME" \
    --node-ip="$DOCKER0_IP" \
    --container-runtime=docker \
    --docker-endpoint="unix://$DOCKER_SOCK" \
    --pod-infra-container-image="$PAUSE_IMAGE" \
    --root-dir="$DG_STATE/kubelet" \
    --experimental-dockershim-root-directory="$DG_STATE/dockershim" \
    --v=1
}

start_kube_proxy() {
  # Conntrack sysctls are left alone (=0): the sandbox may refuse them and
  # the defaults are fine for a test node.
  start_daemon kube-proxy "$K8S_BIN/kube-proxy" \
    --kubeconfig="$DG_STATE/kube-proxy.kubeconfig" \
    --proxy-mode=iptables \
    --hostname-override="$NODE_NAME" \
    --bind-address="$DOCKER0_IP" \
    --cluster-cidr="$POD_CIDR" \
    --nodeport-addresses="$DOCKER0_IP/32" \
    --healthz-bind-address=127.0.0.1:10256 \
    --metrics-bind-address=127.0.0.1:10249 \
    --conntrack-max-per-core=0 \
    --conntrack-tcp-timeout-established=0 \
    --conntrack-tcp-timeout-close-wait=0 \
    --v=1
}

kubernetes_service_routed() {
  iptables -w -t nat -S KUBE-SERVICES 2>/dev/null | grep -q -- "-d $SERVICE_IP/32"
}

# ---------------------------------------------------------------- main

main() {
  local t0=$SECONDS
  preflight
  take_lock 900 # a cold build by another caller takes ~6 min
  if cluster_healthy; then
    log "cluster already up and healthy (node $NODE_NAME Ready)"
    echo "$KUBECONFIG_ADMIN"
    return 0
  fi
  if anything_running; then
    log "cluster is half up; tearing it down first"
    "$HERE/down.sh"
  fi
  # One package step (so at most one `apt-get update`): runtime packages,
  # debootstrap for base-image.sh, and the build tools only on a cold cache.
  # socat and nsenter (util-linux) serve `kubectl port-forward` on dockershim.
  local pkgs=(openssl curl iproute2 util-linux docker.io iptables conntrack socat etcd-server debootstrap)
  if [[ ! -f $K8S_BIN/.complete ]]; then
    pkgs+=(golang-go rsync make gcc libc6-dev dpkg-dev golang-github-modern-go-reflect2-dev golang-github-json-iterator-go-dev)
    ensure_deb_src
  fi
  ensure_packages "${pkgs[@]}"
  check_ports_free
  build_kubernetes
  start_dockerd
  ensure_pause_image
  install_net_guard
  make_pki
  start_etcd
  start_apiserver
  start_controller_manager
  start_scheduler
  start_kubelet
  start_kube_proxy
  wait_until 180 kubelet "node $NODE_NAME to be Ready" node_ready
  wait_until 120 kube-controller-manager "ServiceAccount default/default and its token" default_sa_ready
  wait_until 60 kube-proxy "kube-proxy rules for the kubernetes Service ($SERVICE_IP)" kubernetes_service_routed
  # Nothing waited on the scheduler (or anything else) directly: make sure
  # every component is still running before calling the cluster up.
  local d
  for d in "${DG_DAEMONS[@]}"; do
    daemon_pid "$d" >/dev/null || fail_with_log "$d" "$d exited during start-up"
  done
  log "cluster up in $((SECONDS - t0))s: node $NODE_NAME Ready; kubeconfig: $KUBECONFIG_ADMIN"
  echo "$KUBECONFIG_ADMIN"
}

main "$@"
