#!/usr/bin/env bash
# Backs up a running local CareMessaging system (./run.sh) into a new folder, without stopping it:
#   eng/backup.sh BACKUP_DIR [--state STATE_DIR]     (./run.sh --backup BACKUP_DIR does the same)
# BACKUP_DIR gets a pg_dump of each database, RabbitMQ's definitions, and in secrets/ the keys and
# passwords the data needs (keep that folder apart from the dumps). eng/restore.sh puts it back.
# Why each store is taken as it is: docs/decisions/0060-backup-restores-the-truth-and-rebuilds-read-models.md.
set -euo pipefail
source "$(dirname "$0")/local-state.sh"

cm_arguments "BACKUP_DIR [--state STATE_DIR]" "$@"
backup=$cm_backup
state=$cm_state

[ -f "$state/credentials.json" ] || cm_die "$state is not a CareMessaging state folder (no credentials.json)."
pidfile="$(cm_postgres_home "$state")/data/postmaster.pid"
{ [ -f "$pidfile" ] && kill -0 "$(head -n 1 "$pidfile")" 2>/dev/null; } \
  || cm_die "PostgreSQL of $state is not running. Start the system (./run.sh) and back it up while it runs."
port=$(sed -n 4p "$pidfile")
if [ -e "$backup" ] && [ -n "$(ls -A "$backup")" ]; then
  cm_die "$backup is not empty. Name a new folder for each backup."
fi

umask 077
mkdir -p "$backup/postgres" "$backup/secrets"
chmod 700 "$backup"
export PGPASSWORD
PGPASSWORD=$(cm_secret "$state/credentials.json" PostgresPassword)

dump() {
  "$cm_pg_bin/pg_dump" -w -h localhost -p "$port" -U postgres --format=custom --file="$backup/postgres/$1.dump" "$1"
  echo "  $1: $(du -h "$backup/postgres/$1.dump" | cut -f1)"
}

echo "Backing up $state into $backup"
# The conversations first: every other store follows from them. Each dump is one consistent snapshot
# of its database; there is none across databases, so the order carries the consistency.
dump conversationdb

# Events the outbox marked sent before that snapshot may still wait in a queue; once the queues are
# empty, the audit trail dumped next holds a record of each of them. Events still in the outbox are
# sent again after a restore and recorded once (consumers skip an EventId they have seen).
queued() {
  cm_rabbitmqctl "$state" list_queues --no-table-headers messages | awk '{ n += $1 } END { print n + 0 }'
}
waiting=""
for _ in $(seq 1 60); do
  waiting=$(queued) || cm_die "RabbitMQ of $state does not answer. Back the system up while it runs, the broker included."
  [ "$waiting" = 0 ] && break
  sleep 1
done
if [ "$waiting" != 0 ]; then
  echo "warning: $waiting events were still queued after 60 s; the audit trail in this backup may lack their records." >&2
fi

dump auditdb
dump identitydb
dump statsdb

cm_rabbitmqctl "$state" export_definitions "$backup/rabbitmq-definitions.json" >/dev/null
echo "  RabbitMQ definitions exported"

for file in "${cm_secret_files[@]}"; do
  cp "$state/$file" "$backup/secrets/$file"
done

cat > "$backup/backup.txt" <<TEXT
CareMessaging backup of $state
taken $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname) with $("$cm_pg_bin/pg_dump" --version)
postgres/            pg_dump --format=custom of each database, conversationdb first
rabbitmq-definitions.json   exchanges, queues, bindings, users (rabbitmqctl export_definitions)
secrets/             the AppHost's generated passwords and keys; credentials.json holds the key that
                     decrypts message bodies: keep this folder apart from the dumps
Redis is not in it: unread counters are rebuilt from the conversations, sessions end (ADR 0060).
Restore: eng/restore.sh $backup (into an empty state folder), then ./run.sh
TEXT
# Checksums: the secrets have their own, as they may be kept somewhere else.
(cd "$backup/secrets" && sha256sum "${cm_secret_files[@]}" > SHA256SUMS)
(cd "$backup" && find . -path ./secrets -prune -o -type f ! -name SHA256SUMS -printf '%P\n' | sort | xargs sha256sum > SHA256SUMS)
echo "Backup complete: $backup (secrets in $backup/secrets)"
