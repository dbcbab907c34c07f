#!/usr/bin/env bash
# Runs the whole CareMessaging test suite: unit tests, service tests against real PostgreSQL,
# Redis and RabbitMQ processes, end-to-end tests of the whole stack, and browser tests in
# Debian's Chromium, and the Helm chart checked offline and run under podman. Installs what is
# missing first.
set -euo pipefail
cd "$(dirname "$0")"
source eng/prerequisites.sh

cm_install_server_prerequisites
cm_install_packages chromium
cm_install_deployment_prerequisites

# The suite tests the Release build that ./run.sh runs; CONFIGURATION=Debug ./test.sh tests a Debug build.
configuration="${CONFIGURATION:-Release}"
dotnet restore CareMessaging.sln --verbosity quiet
dotnet build CareMessaging.sln --no-restore --configuration "$configuration" --verbosity quiet -nologo
dotnet test CareMessaging.sln --no-build --configuration "$configuration" --logger "console;verbosity=normal" "$@"
