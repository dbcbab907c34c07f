#!/usr/bin/env bash
# Runs Redis from Debian's packages in the foreground with its append-only file in the
# state folder. Environment: CM_STATE_DIR, REDIS_PORT, CM_REDIS_PASSWORD, CM_REDIS_DATA,
# the data folder's name (default redis; the gateway's session store has its own), and
# CM_TLS_DIR (ca.crt, server.crt, server.key: REDIS_PORT then takes TLS only).
source "$(dirname "$0")/common.sh"
: "${CM_STATE_DIR:?}" "${REDIS_PORT:?}" "${CM_REDIS_PASSWORD:?}"

require_binary /usr/bin/redis-server redis-server
dir="$CM_STATE_DIR/${CM_REDIS_DATA:-redis}"
mkdir -p "$dir"
# The process title carries a tag of this state folder, so a leftover server is found by it.
tag="caremessaging-$(printf '%s' "$dir" | sha256sum | cut -c1-12)"
stop_leftovers "$tag"

# With TLS (ADR 0056) the port speaks TLS only and the plain port is off (0). Clients show
# no certificate: the password is their proof.
if [ -n "${CM_TLS_DIR:-}" ]; then
  listen="port 0
tls-port $REDIS_PORT
tls-cert-file $CM_TLS_DIR/server.crt
tls-key-file $CM_TLS_DIR/server.key
tls-ca-cert-file $CM_TLS_DIR/ca.crt
tls-auth-clients no
tls-protocols \"TLSv1.2 TLSv1.3\""
else
  listen="port $REDIS_PORT"
fi

# The password goes in through a config file read from stdin, never on the command line.
exec /usr/bin/redis-server - <<CONF
$listen
bind 127.0.0.1
protected-mode yes
requirepass $CM_REDIS_PASSWORD
dir $dir
pidfile $dir/redis.pid
appendonly yes
appendfsync everysec
save 60 1
maxmemory-policy noeviction
daemonize no
supervised no
logfile ""
proc-title-template "{title} {listen-addr} {server-mode} $tag"
CONF
