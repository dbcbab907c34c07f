#!/usr/bin/env bash
# Runs PostgreSQL 15 from Debian's packages in the foreground with its data in the
# state folder. Environment: CM_STATE_DIR, PGPORT, CM_POSTGRES_PASSWORD.
source "$(dirname "$0")/common.sh"
: "${CM_STATE_DIR:?}" "${PGPORT:?}" "${CM_POSTGRES_PASSWORD:?}"

pg_bin=${CM_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}
require_binary "$pg_bin/postgres" postgresql-15
[ -d /usr/share/postgresql/15/extension ] && [ -f /usr/share/postgresql/15/extension/pg_trgm.control ] \
  || fail "PostgreSQL's contrib extensions are missing. Install the Debian package 'postgresql-contrib'."

home="$CM_STATE_DIR/postgres"
run_as=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root: run it as Debian's 'postgres' user.
  id postgres >/dev/null 2>&1 || fail "the 'postgres' user is missing. Install the Debian package 'postgresql-15'."
  run_as=(runuser -u postgres --)
  mkdir -p "$CM_STATE_DIR"
  if [ ! -L "$home" ] && ! runuser -u postgres -- test -x "$CM_STATE_DIR"; then
    # The postgres user cannot reach the state folder (for example under /root): keep
    # the data in its home and leave a link in the state folder, so wiping works the same.
    target="/var/lib/postgresql/caremessaging/$(printf '%s' "$CM_STATE_DIR" | sha256sum | cut -c1-16)"
    mkdir -p "$target"
    ln -sfn "$target" "$home"
  fi
fi
mkdir -p "$home"
data="$home/data"
sockets="$home/sockets"
mkdir -p "$data" "$sockets"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$(readlink -f "$home")"
chmod 700 "$data"

if [ ! -s "$data/PG_VERSION" ]; then
  echo "Creating a new PostgreSQL cluster in $data"
  pwfile=$(mktemp)
  printf '%s\n' "$CM_POSTGRES_PASSWORD" > "$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
  "${run_as[@]}" "$pg_bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
fi

# A postmaster.pid from a crashed run: stop the leftover server if it still runs, else
# PostgreSQL itself treats a pid file whose process is gone as stale.
stop_leftovers "postgres -D $data"

# Server logs go to stdout: the dashboard shows them, and only launcher failures reach stderr.
# Terse errors: a failed constraint's DETAIL line would print the row's values (ADR 0005).
exec "${run_as[@]}" "$pg_bin/postgres" -D "$data" -p "$PGPORT" -k "$sockets" \
  -c listen_addresses=localhost \
  -c max_connections=300 \
  -c shared_buffers=256MB \
  -c log_destination=stderr \
  -c logging_collector=off \
  -c log_error_verbosity=terse \
  -c "log_line_prefix=%m [%p] %q%u@%d " 2>&1
