#!/usr/bin/env bash
# Runs Redis from Debian's packages in the foreground with its append-only file in the
# state folder. Environment: CM_STATE_DIR, REDIS_PORT, CM_REDIS_PASSWORD, and CM_REDIS_DATA,
# the data folder's name (default redis; the gateway's session store has its own).
source "$(dirname "$0")/common.sh"
: "${CM_STATE_DIR:?}" "${REDIS_PORT:?}" "${CM_REDIS_PASSWORD:?}"

require_binary /usr/bin/redis-server redis-server
dir="$CM_STATE_DIR/${CM_REDIS_DATA:-redis}"
mkdir -p "$dir"
# The process title carries a tag of this state folder, so a leftover server is found by it.
tag="caremessaging-$(printf '%s' "$dir" | sha256sum | cut -c1-12)"
stop_leftovers "$tag"

# The password goes in through a config file read from stdin, never on the command line.
exec /usr/bin/redis-server - <<CONF
port $REDIS_PORT
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
