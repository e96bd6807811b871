#!/bin/bash
# Entry point of the postgres:15 stand-in (docker/standins/postgres.Dockerfile). Written for this project from the
# official image's documented behaviour, not copied from it.
set -euo pipefail

# `docker run postgres:15 -c foo=bar` means `postgres -c foo=bar`.
if [[ ${1:-} == -* ]]; then set -- postgres "$@"; fi
if [[ ${1:-} != postgres ]]; then exec "$@"; fi

# As root: own the data directory, then run this script again as postgres (PID 1 stays the server after exec).
if (( $(id -u) == 0 )); then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  : "${POSTGRES_PASSWORD:?postgres: POSTGRES_PASSWORD must be set to initialize a new database}"
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  echo "postgres: initializing $PGDATA (superuser $user, database $db)"
  initdb --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") --auth-local=trust \
         --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA" >/dev/null
  printf '\nlisten_addresses = '"'"'*'"'"'\n' >> "$PGDATA/postgresql.conf"
  printf 'host all all all scram-sha-256\n' >> "$PGDATA/pg_hba.conf"
  # A temporary server on the Unix socket only, so nothing connects over TCP (and pg_isready -h 127.0.0.1 stays
  # "not ready") until the database exists and the init scripts ran.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  if [[ $db != postgres ]]; then
    psql -v ON_ERROR_STOP=1 --username="$user" --dbname=postgres -q -c "CREATE DATABASE \"$db\""
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case $f in
      *.sh) echo "postgres: running $f"; bash "$f" ;;
      *.sql) echo "postgres: running $f"; psql -v ON_ERROR_STOP=1 --username="$user" --dbname="$db" -q -f "$f" ;;
      *.sql.gz) echo "postgres: running $f"; gunzip -c "$f" | psql -v ON_ERROR_STOP=1 --username="$user" --dbname="$db" -q ;;
      *) ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "postgres: initialization done"
fi

exec "$@"
