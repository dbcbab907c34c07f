#!/usr/bin/env bash
# Runs PostgreSQL 15 from Debian's packages in the foreground with its data in the
# state folder. Environment: CM_STATE_DIR, PGPORT, CM_POSTGRES_PASSWORD,
# CM_POSTGRES_BIN (the folder of the server binaries, for another build or a test), and
# CM_TLS_DIR (server.crt and server.key: connections over TCP then must use TLS).
source "$(dirname "$0")/common.sh"
: "${CM_STATE_DIR:?}" "${PGPORT:?}" "${CM_POSTGRES_PASSWORD:?}"

pg_bin=${CM_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}
require_binary "$pg_bin/postgres" postgresql-15
[ -d /usr/share/postgresql/15/extension ] && [ -f /usr/share/postgresql/15/extension/pg_trgm.control ] \
  || fail "PostgreSQL's contrib extensions are missing. Install the Debian package 'postgresql-contrib'."

mkdir -p "$CM_STATE_DIR"
link="$CM_STATE_DIR/postgres"
as_server=()
if [ "$(id -u)" = 0 ]; then
  # PostgreSQL refuses to run as root: run it as Debian's 'postgres' user.
  id postgres >/dev/null 2>&1 || fail "the 'postgres' user is missing. Install the Debian package 'postgresql-15'."
  as_server=(setpriv --reuid=postgres --regid=postgres --init-groups)
  if [ -L "$link" ]; then
    home=$(readlink -f "$link")
  elif setpriv --reuid=postgres --regid=postgres --init-groups test -x "$CM_STATE_DIR"; then
    home="$link"
  else
    # The postgres user cannot reach the state folder (anywhere under /root, a mktemp -d
    # folder): keep the data in its own home and leave a link in the state folder for
    # people and for wiping. The server is given the real path, never one through the link,
    # because every folder on the way must be open to it.
    pg_home=$(getent passwd postgres | cut -d: -f6)
    home="${pg_home:-/var/lib/postgresql}/caremessaging/$(printf '%s' "$CM_STATE_DIR" | sha256sum | cut -c1-16)"
    mkdir -p "$home"
    chmod 755 "$(dirname "$home")"
    ln -sfn "$home" "$link"
    echo "The postgres user cannot enter $CM_STATE_DIR: its data lives in $home (linked from $link)"
  fi
else
  home="$link"
fi

data="$home/data"
sockets="$home/sockets"
mkdir -p "$data" "$sockets"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$home"
chmod 700 "$data"

if [ ! -s "$data/PG_VERSION" ]; then
  echo "Creating a new PostgreSQL cluster in $data"
  pwfile="$home/initdb-password"
  (umask 077 && printf '%s\n' "$CM_POSTGRES_PASSWORD" > "$pwfile")
  [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
  if ! "${as_server[@]}" "$pg_bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" \
      --auth-host=scram-sha-256 --auth-local=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null; then
    rm -f "$pwfile"
    fail "initdb could not create the cluster in $data (see the lines above)."
  fi
  rm -f "$pwfile"
fi

# With TLS (ADR 0056) the server presents CM_TLS_DIR's certificate, and its own host-based
# rules accept TCP connections only with TLS; the socket in the state folder stays for tools.
# The key is copied to where the server's user owns it: PostgreSQL refuses a key others can read.
tls_args=()
if [ -n "${CM_TLS_DIR:-}" ]; then
  tls="$home/tls"
  mkdir -p "$tls"
  install -m 644 "$CM_TLS_DIR/server.crt" "$tls/server.crt"
  install -m 600 "$CM_TLS_DIR/server.key" "$tls/server.key"
  cat > "$tls/pg_hba.conf" <<HBA
local   all          all                 scram-sha-256
local   replication  all                 scram-sha-256
hostssl all          all  127.0.0.1/32   scram-sha-256
hostssl all          all  ::1/128        scram-sha-256
hostssl replication  all  127.0.0.1/32   scram-sha-256
hostssl replication  all  ::1/128        scram-sha-256
HBA
  [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$tls"
  tls_args=(-c ssl=on -c "ssl_cert_file=$tls/server.crt" -c "ssl_key_file=$tls/server.key"
    -c ssl_min_protocol_version=TLSv1.2 -c "hba_file=$tls/pg_hba.conf")
fi

# A postmaster.pid from a crashed run: stop the leftover server if it still runs, else
# PostgreSQL itself treats a pid file whose process is gone as stale.
stop_leftovers "postgres -D $data"

# Server logs go to stdout: the dashboard shows them, and only launcher failures reach stderr.
# Terse errors: a failed constraint's DETAIL line would print the row's values (ADR 0005).
# The server dies with this launcher (pdeathsig) so that it can never outlive the AppHost,
# and a stop (SIGTERM) becomes PostgreSQL's fast shutdown: its default for SIGTERM, smart
# shutdown, waits for every pooled connection of the services to close, which they never do.
"${as_server[@]}" setpriv --pdeathsig KILL -- "$pg_bin/postgres" -D "$data" -p "$PGPORT" -k "$sockets" \
  -c listen_addresses=localhost \
  -c max_connections=300 \
  -c shared_buffers=256MB \
  -c log_destination=stderr \
  -c logging_collector=off \
  -c log_error_verbosity=terse \
  -c "log_line_prefix=%m [%p] %q%u@%d " "${tls_args[@]}" 2>&1 &
run_until_exit $! INT
