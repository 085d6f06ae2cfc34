#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on a free loopback port for the tests and prints its URL
# (postgres://postgres@127.0.0.1:PORT/postgres). Run as root (the server runs as `postgres`) or as
# any user that can run initdb. `stop DIR` stops it, `restart DIR` restarts it (a server restart
# in the middle of a run, for the tests), `reload DIR` rereads pg_hba.conf. Test settings only: trust auth, no fsync.
set -euo pipefail

bin=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bin="$d"; done
if [ -z "$bin" ]; then
  echo "PostgreSQL server not found: apt-get install postgresql" >&2
  exit 69
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = stop ]; then
  as_owner "$bin/pg_ctl" -D "$2/data" -m fast stop >/dev/null
  exit 0
fi
if [ "${1:-}" = reload ]; then
  as_owner "$bin/pg_ctl" -D "$2/data" reload >/dev/null
  exit 0
fi
if [ "${1:-}" = restart ]; then
  as_owner "$bin/pg_ctl" -D "$2/data" -m fast -w restart >/dev/null
  exit 0
fi

dir="${1:-$(mktemp -d /tmp/leadjobs-pg.XXXXXX)}"
mkdir -p "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
echo "postgres://postgres@127.0.0.1:$port/postgres"
