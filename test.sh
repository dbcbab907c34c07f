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
# The projects run side by side, so their output interleaves; a failure's name and message are
# repeated at the end, where a CI log's tail shows them.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test CareMessaging.sln --no-build --configuration "$configuration" --logger "console;verbosity=normal" "$@" \
  2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  echo
  echo "== Failed tests =="
  awk '/^  (Passed|Skipped) CareMessaging\./ { keep = 0 }
       /^  Failed CareMessaging\./ { keep = 1; lines = 0 }
       keep && lines++ < 40 { print }' "$log"
fi
exit "$status"
