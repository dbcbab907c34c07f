#!/usr/bin/env bash
# Builds the container image of every CareMessaging service, offline: a Debian base from
# debootstrap plus this machine's ASP.NET Core runtime (built once and cached), then
# `dotnet publish -t:PublishContainer` of each project against a registry on loopback. The images
# run as uid 1654 and need nothing writable but /tmp. They land in the project's podman storage
# as localhost/caremessaging/<service>:<appVersion of the chart>, and stay in the local registry
# too, from where `skopeo copy` takes them to the hospital's registry (docs/operations/kubernetes.md).
#
#   eng/k8s/build-images.sh            build what is missing or out of date
#   CM_IMAGES_FORCE=1 eng/k8s/build-images.sh   publish every image again
#
# An image is rebuilt only when the sources it is made from changed: each carries a second tag,
# src-<hash of those sources, the SDK and the base image>, and a build whose tag already exists
# is skipped. State: $CM_K8S_DIR (default artifacts/k8s, git-ignored).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"

# service name = Kubernetes name = resource name; the project that is its image.
declare -A CM_IMAGE_PROJECTS=(
  [identity]=services/Identity/CareMessaging.Identity.csproj
  [conversation]=services/Conversation/CareMessaging.Conversation.csproj
  [notification]=services/Notification/CareMessaging.Notification.csproj
  [audit]=services/Audit/CareMessaging.Audit.csproj
  [stats]=services/Stats/CareMessaging.Stats.csproj
  [web]=web/CareMessaging.Web.csproj
  [gateway]=gateway/CareMessaging.Gateway.csproj
)

cm_app_version() { sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\} *$/\1/p' "$K8S_REPO/deploy/helm/caremessaging/Chart.yaml"; }

# Everything an image is made from: every tracked or new file of the folders the services are
# built from, the SDK version and the base image's ID.
cm_source_hash() {
  local base_id; base_id=$(podman image inspect --format '{{.Id}}' "$(k8s_base_image)" 2>/dev/null)
  {
    echo "sdk $(dotnet --version) base $base_id"
    (cd "$K8S_REPO" && git ls-files -co --exclude-standard -- services gateway web ServiceDefaults seed \
        Directory.Build.props Directory.Packages.props global.json .editorconfig | LC_ALL=C sort | xargs -r sha256sum)
  } | sha256sum | cut -c1-16
}

cm_build_images() {
  local version hash name repo failed=0
  version=$(cm_app_version)
  [[ -n $version ]] || { _k8s_log "no appVersion in deploy/helm/caremessaging/Chart.yaml"; return 1; }
  k8s_apt_install || return 1
  k8s_base_build || return 1
  k8s_registry_start || return 1
  k8s_base_push || return 1
  hash=$(cm_source_hash)
  for name in identity conversation notification audit stats web gateway; do
    repo=caremessaging/$name
    if [[ -z ${CM_IMAGES_FORCE:-} ]] && podman image exists "localhost/$repo:src-$hash" &&
       podman image exists "localhost/$repo:$version"; then
      continue
    fi
    # Two tags, the chart's and the source hash (the quotes keep msbuild from splitting at the ";").
    if k8s_publish "$K8S_REPO/${CM_IMAGE_PROJECTS[$name]}" "$repo" "$version" registry \
         -p:ContainerImageTags=\"$version\;src-$hash\" -p:ContainerImageTag= >&2; then
      podman pull -q "$K8S_REGISTRY/$repo:src-$hash" >/dev/null && podman tag "$K8S_REGISTRY/$repo:src-$hash" "localhost/$repo:src-$hash"
    else
      _k8s_log "publishing $name failed"; failed=1
    fi
  done
  return $failed
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  start=$SECONDS
  cm_build_images; rc=$?
  k8s_registry_stop
  _k8s_log "images: $((SECONDS - start))s (rc=$rc)"
  exit $rc
fi
