# What backup.sh and restore.sh both need to know about a local state folder (the one ./run.sh
# keeps in .state/, see AppHost/Infrastructure/Processes/LocalState.cs). Sourced, not run.

cm_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=prerequisites.sh
source "$cm_root/eng/prerequisites.sh"
cm_pg_bin=/usr/lib/postgresql/15/bin
cm_scripts="$cm_root/AppHost/Infrastructure/Scripts"

# The databases that hold the truth, restored in this order. statsdb is a read model: it is dumped,
# and rebuilt from the conversations at the first start after a restore (ADR 0060).
cm_source_databases=(conversationdb auditdb identitydb)
cm_read_model_databases=(statsdb)

# The files the AppHost generated the servers' passwords and the services' keys into; the message
# bodies cannot be read without credentials.json's encryption key.
cm_secret_files=(credentials.json identity-secrets.json database-logins.json)

# cm_secret FILE KEY: a string value of the AppHost's generated JSON (hex and base64 only, no quotes inside).
cm_secret() {
  sed -n 's/.*"'"$2"'":"\([^"]*\)".*/\1/p' "$1"
}

# Where PostgreSQL keeps a state folder's cluster: the state folder itself, or the postgres user's
# home when it could not enter the state folder (postgres.sh leaves a link there).
cm_postgres_home() {
  local link="$1/postgres"
  if [ -L "$link" ]; then readlink -f "$link"; else printf '%s\n' "$link"; fi
}

# RabbitMQ's node for a state folder, named as rabbitmq.sh names it, and its CLI's Erlang cookie.
cm_rabbitmqctl() {
  local state=$1 dir
  shift
  dir="$state/rabbitmq"
  HOME="$dir/home" RABBITMQ_CONF_ENV_FILE=/dev/null /usr/lib/rabbitmq/bin/rabbitmqctl -q \
    -n "caremessaging-$(printf '%s' "$dir" | sha256sum | cut -c1-12)@localhost" "$@"
}

# cm_arguments USAGE ARG...: the backup folder (the first argument) into cm_backup, --state into
# cm_state (default .state/, in the absolute form the AppHost gives it, no links resolved: RabbitMQ's
# node is named after it) and, where USAGE offers it, --secrets into cm_secrets (default BACKUP/secrets).
cm_arguments() {
  local usage="usage: $0 $1"
  shift
  [ $# -ge 1 ] || { echo "$usage" >&2; exit 2; }
  cm_backup=$(realpath -m "$1")
  cm_state="$cm_root/.state"
  cm_secrets="$cm_backup/secrets"
  shift
  while [ $# -gt 0 ]; do
    case $1 in
      --state) cm_state=${2:?}; shift 2 ;;
      --secrets) [[ $usage == *--secrets* ]] || { echo "$usage" >&2; exit 2; }; cm_secrets=${2:?}; shift 2 ;;
      *) echo "$usage" >&2; exit 2 ;;
    esac
  done
  cm_state=$(realpath -s -m "$cm_state")
}

# A TCP port on localhost that nothing listens on now, below the kernel's range for outgoing
# connections (whose local ports a listener cannot bind either, and a connect cannot see). Another
# process can still take it before the caller binds it: callers start their server again on a new
# port when it reports the address in use.
cm_free_port() {
  local port lowest_ephemeral
  read -r lowest_ephemeral _ </proc/sys/net/ipv4/ip_local_port_range
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % (lowest_ephemeral - 20000)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  cm_die "no free port found on localhost."
}
