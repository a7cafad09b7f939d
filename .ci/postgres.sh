#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the web tests; prints its DATABASE_URL.
# Usage: eval "$(bash .ci/postgres.sh start)"; ...; bash .ci/postgres.sh stop "$PGDATA"
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
run() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
case "$1" in
  start)
    dir=$(mktemp -d /tmp/cchc-pg.XXXXXX)
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    run "$bin/initdb -D $dir -A trust -U postgres" >/dev/null
    run "$bin/pg_ctl -D $dir -o '-p 54329 -k $dir -c listen_addresses=127.0.0.1' -l $dir/log -w start" >/dev/null
    echo "export PGDATA=$dir DATABASE_URL=postgres://postgres@127.0.0.1:54329/cchc"
    ;;
  stop)
    run "$bin/pg_ctl -D $2 -m fast stop" >/dev/null || true
    rm -rf "$2"
    ;;
esac
