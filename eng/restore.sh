#!/usr/bin/env bash
# Restores a backup made by eng/backup.sh into an empty state folder; ./run.sh then starts on it:
#   eng/restore.sh BACKUP_DIR [--state STATE_DIR] [--secrets SECRETS_DIR]
# (./run.sh --restore BACKUP_DIR does the same for .state/). SECRETS_DIR defaults to BACKUP_DIR/secrets.
# It runs PostgreSQL and RabbitMQ on the new folder for the time of the restore, with the same
# launchers the AppHost uses, and stops them again. What comes back and what is rebuilt:
# docs/decisions/0060-backup-restores-the-truth-and-rebuilds-read-models.md.
set -euo pipefail
source "$(dirname "$0")/local-state.sh"

cm_arguments "BACKUP_DIR [--state STATE_DIR] [--secrets SECRETS_DIR]" "$@"
backup=$cm_backup
state=$cm_state
secrets=$cm_secrets

[ -f "$backup/SHA256SUMS" ] || cm_die "$backup is not a CareMessaging backup (no SHA256SUMS)."
(cd "$backup" && sha256sum --quiet --check SHA256SUMS) || cm_die "$backup is damaged: the files above do not match SHA256SUMS."
for file in "${cm_secret_files[@]}"; do
  [ -f "$secrets/$file" ] || cm_die "$secrets/$file is missing: the restored data cannot be used without it (see --secrets)."
done
(cd "$secrets" && sha256sum --quiet --check SHA256SUMS) || cm_die "$secrets is damaged: the files above do not match its SHA256SUMS."
if [ -e "$state" ] && [ -n "$(ls -A "$state")" ]; then
  cm_die "$state is not empty. Stop the system and wipe it first (./run.sh --wipe), or restore into a new folder with --state."
fi

work=$(mktemp -d)
servers=()
finish() {
  local status=$?
  for pid in "${servers[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$status" != 0 ]; then
    for log in "$work"/*.log; do
      [ -s "$log" ] && { echo "--- last lines of $(basename "$log")" >&2; tail -n 20 "$log" >&2; }
    done
    echo "The restore failed; $state is incomplete. Wipe it before trying again." >&2
  fi
  rm -rf "$work"
}
trap finish EXIT

echo "Restoring $backup into $state"
mkdir -p "$state"
for file in "${cm_secret_files[@]}"; do
  install -m 600 "$secrets/$file" "$state/$file"
done

# PostgreSQL: a new cluster, made by the AppHost's own launcher (which knows where the postgres user
# may keep it), and the databases that hold the truth. Objects come back owned by the superuser;
# the AppHost hands each database to its service's login at the next start (ADR 0028).
export PGPASSWORD
PGPASSWORD=$(cm_secret "$state/credentials.json" PostgresPassword)
for attempt in 1 2 3 4 5; do
  pg_port=$(cm_free_port)
  CM_STATE_DIR="$state" PGPORT="$pg_port" CM_POSTGRES_PASSWORD="$PGPASSWORD" \
    bash "$cm_scripts/postgres.sh" >"$work/postgres.log" 2>&1 &
  servers=($!)
  until "$cm_pg_bin/pg_isready" -q -h localhost -p "$pg_port" -U postgres -d postgres; do
    if ! kill -0 "${servers[0]}" 2>/dev/null; then
      wait "${servers[0]}" || true
      servers=()
      # Another process took the port between the choice and the bind: choose again.
      grep -q "Address already in use" "$work/postgres.log" && [ "$attempt" -lt 5 ] && continue 2
      cm_die "PostgreSQL did not start."
    fi
    sleep 0.5
  done
  break
done
for database in "${cm_source_databases[@]}"; do
  "$cm_pg_bin/psql" -w -q -v ON_ERROR_STOP=1 -h localhost -p "$pg_port" -U postgres -d postgres \
    -c "CREATE DATABASE \"$database\"" \
    || cm_die "could not create $database: PostgreSQL data of an earlier run is left in $(cm_postgres_home "$state"); wipe it."
  # Triggers are made after the rows are in (pg_restore's post-data), so the audit chain's trigger
  # never re-stamps a restored record.
  "$cm_pg_bin/pg_restore" -w -h localhost -p "$pg_port" -U postgres --no-owner --no-acl --exit-on-error \
    --dbname="$database" "$backup/postgres/$database.dump"
  echo "  $database restored"
done
kill -TERM "${servers[0]}"
wait "${servers[0]}" || cm_die "PostgreSQL did not stop cleanly."
servers=()

# RabbitMQ: the queues and their bindings exist before any service starts, so the events the outbox
# sends again at the first start reach every consumer's queue, even one whose service starts later.
rabbit_dir="$state/rabbitmq"
mkdir -p "$rabbit_dir/home"
# The node and this script's CLI share the cookie; made first, so that neither races to create it.
(umask 077 && od -An -N16 -tx1 /dev/urandom | tr -d ' \n' | tr '0-9a-f' 'A-P' >"$rabbit_dir/home/.erlang.cookie")
chmod 400 "$rabbit_dir/home/.erlang.cookie"
for attempt in 1 2 3 4 5; do
  CM_STATE_DIR="$state" RABBITMQ_NODE_PORT=$(cm_free_port) RABBITMQ_DIST_PORT=$(cm_free_port) \
    CM_RABBITMQ_USER=caremessaging CM_RABBITMQ_PASSWORD="$(cm_secret "$state/credentials.json" RabbitMqPassword)" \
    bash "$cm_scripts/rabbitmq.sh" >"$work/rabbitmq.log" 2>&1 &
  servers=($!)
  until cm_rabbitmqctl "$state" await_startup --timeout 10 >/dev/null 2>&1; do
    if ! kill -0 "${servers[0]}" 2>/dev/null; then
      wait "${servers[0]}" || true
      servers=()
      grep -qi "eaddrinuse" "$work/rabbitmq.log" && [ "$attempt" -lt 5 ] && continue 2
      cm_die "RabbitMQ did not start."
    fi
  done
  break
done
cm_rabbitmqctl "$state" import_definitions "$backup/rabbitmq-definitions.json" >/dev/null
echo "  RabbitMQ definitions restored"
cm_rabbitmqctl "$state" shutdown >/dev/null
wait "${servers[0]}" || true
servers=()

echo "Restored into $state. Start the system on it (./run.sh): at the first start the stats and the"
echo "unread counters are rebuilt from the conversations, and everyone signs in again."
