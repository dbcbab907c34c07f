#!/usr/bin/env bash
# Runs RabbitMQ from Debian's packages in the foreground as its own node, with its
# database and logs in the state folder. Environment: CM_STATE_DIR,
# RABBITMQ_NODE_PORT, RABBITMQ_DIST_PORT, CM_RABBITMQ_USER, CM_RABBITMQ_PASSWORD, and
# CM_TLS_DIR (ca.crt, server.crt, server.key: RABBITMQ_NODE_PORT then takes AMQP over TLS only).
source "$(dirname "$0")/common.sh"
: "${CM_STATE_DIR:?}" "${RABBITMQ_NODE_PORT:?}" "${RABBITMQ_DIST_PORT:?}" "${CM_RABBITMQ_USER:?}" "${CM_RABBITMQ_PASSWORD:?}"

server=/usr/lib/rabbitmq/bin/rabbitmq-server
require_binary "$server" rabbitmq-server
dir="$CM_STATE_DIR/rabbitmq"
mkdir -p "$dir/mnesia" "$dir/log" "$dir/home"
chmod 700 "$dir"

# One node name per state folder: its database is tied to the name, and two state
# folders on one machine must not collide.
node="caremessaging-$(printf '%s' "$dir" | sha256sum | cut -c1-12)@localhost"
stop_leftovers "${node%@*}"

# With TLS (ADR 0056) the port is an AMQPS listener and there is no plain one. The broker
# would open a plain listener on RABBITMQ_NODE_PORT by itself, so it is not passed on.
if [ -n "${CM_TLS_DIR:-}" ]; then
  listeners="listeners.tcp = none
listeners.ssl.default = 127.0.0.1:$RABBITMQ_NODE_PORT
ssl_options.cacertfile = $CM_TLS_DIR/ca.crt
ssl_options.certfile = $CM_TLS_DIR/server.crt
ssl_options.keyfile = $CM_TLS_DIR/server.key
ssl_options.verify = verify_none
ssl_options.fail_if_no_peer_cert = false
ssl_options.versions.1 = tlsv1.3
ssl_options.versions.2 = tlsv1.2"
  unset RABBITMQ_NODE_PORT
else
  listeners="listeners.tcp.1 = 127.0.0.1:$RABBITMQ_NODE_PORT"
fi

umask 077
cat > "$dir/rabbitmq.conf" <<CONF
$listeners
default_user = $CM_RABBITMQ_USER
default_pass = $CM_RABBITMQ_PASSWORD
default_vhost = /
loopback_users = none
disk_free_limit.absolute = 200MB
CONF
echo '[].' > "$dir/enabled_plugins"

export HOME="$dir/home"
export RABBITMQ_NODENAME="$node"
export RABBITMQ_MNESIA_BASE="$dir/mnesia"
export RABBITMQ_LOG_BASE="$dir/log"
export RABBITMQ_LOGS=-
export RABBITMQ_CONFIG_FILE="$dir/rabbitmq.conf"
export RABBITMQ_ENABLED_PLUGINS_FILE="$dir/enabled_plugins"
export RABBITMQ_CONF_ENV_FILE=/dev/null
# Without a shell of its own in between, the script replaces itself with the Erlang VM, so
# the process the AppHost watches (and an operator kills) is the broker itself, and a stop
# (SIGTERM) reaches it directly. The VM reads no input and ignores the break signal.
export RABBITMQ_ALLOW_INPUT=true
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-noinput +B i"
# Logs go to stdout: the dashboard shows them, and only real failures reach stderr above.
exec "$server" 2>&1 </dev/null
