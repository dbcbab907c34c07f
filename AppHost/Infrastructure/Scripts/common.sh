# Shared by the launchers of the local infrastructure processes. Sourced, not run.
set -euo pipefail

fail() {
  echo "error: $*" >&2
  exit 1
}

require_binary() { # path, Debian package
  [ -x "$1" ] || fail "$1 is missing. Install the Debian package '$2' (sudo apt-get install -y $2), or run ./run.sh, which installs it."
}

# Stops a process left over from an earlier run that crashed or was killed, so that
# it cannot hold the data directory, a lock or a node name. $1 is a pattern that
# matches only processes of this state folder.
stop_leftovers() {
  local pattern=$1 pids
  pids=$(pgrep -f -- "$pattern" || true)
  [ -z "$pids" ] && return 0
  echo "Stopping a process left over from an earlier run: $pids"
  kill -TERM $pids 2>/dev/null || true
  for _ in $(seq 1 50); do
    pgrep -f -- "$pattern" >/dev/null || return 0
    sleep 0.2
  done
  kill -KILL $(pgrep -f -- "$pattern") 2>/dev/null || true
}

# Waits for the server started in the background as $1 and exits with its status. A stop
# request (SIGTERM or SIGINT to this launcher) reaches the server as signal $2, the one that
# makes it shut down promptly and cleanly.
run_until_exit() {
  local pid=$1 stop_signal=$2 status=0
  trap 'kill -s '"$stop_signal"' '"$pid"' 2>/dev/null || true' TERM INT
  while true; do
    status=0
    wait "$pid" || status=$?
    # A trapped signal interrupts wait while the server is still shutting down: wait again.
    kill -0 "$pid" 2>/dev/null || break
  done
  exit "$status"
}
