#!/usr/bin/env bash
# Runs the whole CareMessaging system: PostgreSQL, Redis and RabbitMQ as local processes, every
# service, the gateway and the Aspire dashboard. Installs what is missing first.
#   ./run.sh           start (Ctrl+C stops everything)
#   ./run.sh --wipe    delete the local state folder (all local data) and exit
#   ./run.sh --backup DIR     back up the running system into DIR (eng/backup.sh)
#   ./run.sh --restore DIR    restore DIR into the empty state folder (eng/restore.sh); start afterwards
# Builds and runs Release; CONFIGURATION=Debug ./run.sh runs a Debug build (to attach a debugger).
set -euo pipefail
# Folders named on the command line are the caller's, relative to where run.sh was started.
invoked_from=$PWD
cd "$(dirname "$0")"
source eng/prerequisites.sh

if [ "${1:-}" = "--wipe" ]; then
  pgrep -f -- "$PWD/AppHost/bin/" >/dev/null && cm_die "the system is running from this folder; stop it (Ctrl+C) before wiping its state."
  if [ -L .state/postgres ]; then rm -rf "$(readlink -f .state/postgres)"; fi
  rm -rf .state
  echo "Local state wiped. The next ./run.sh starts with empty databases and the demo data."
  exit 0
fi

case "${1:-}" in
  --backup) shift; cd "$invoked_from"; exec "$OLDPWD/eng/backup.sh" "$@" ;;
  --restore)
    shift
    pgrep -f -- "$PWD/AppHost/bin/" >/dev/null && cm_die "the system is running from this folder; stop it (Ctrl+C) and wipe it (./run.sh --wipe) before restoring."
    cm_install_server_prerequisites
    cd "$invoked_from"
    exec "$OLDPWD/eng/restore.sh" "$@" ;;
esac

cm_install_server_prerequisites

configuration="${CONFIGURATION:-Release}"
dotnet restore CareMessaging.sln --verbosity quiet
dotnet build AppHost/CareMessaging.AppHost.csproj --no-restore --configuration "$configuration" --verbosity quiet -nologo

echo
echo "Starting CareMessaging. When it is up, these lines show where to go:"
echo "  'CareMessaging is ready at http://localhost:<port>'   the application (gateway)"
echo "  'Login to the dashboard at ...'                        the Aspire dashboard"
echo "If a server or service cannot start, the run names it, shows the last lines of its log and exits."
echo
# The dashboard and its telemetry endpoints speak plain HTTP on localhost only (ADR 0006): a fresh
# machine trusts no development certificate, and nothing here leaves the machine.
exec dotnet run --project AppHost/CareMessaging.AppHost.csproj --no-build --configuration "$configuration" --launch-profile http -- "$@"
