#!/usr/bin/env bash
# Restores a dump made by scripts/backup-db.sh (pg_dump --format=custom) into a database.
#
# Usage: scripts/restore-db.sh [--replace] DUMP_FILE [TARGET_DATABASE]
#   TARGET_DATABASE  default: $PGDATABASE. Created (createdb) when it does not exist.
#   --replace        required when the target already exists: the dump's tables, functions, ... are dropped and
#                    recreated there (pg_restore --clean --if-exists). Objects the dump does not have are kept.
#
# The server comes from the standard libpq variables: PGHOST, PGPORT, PGUSER, PGPASSWORD (or ~/.pgpass),
# PGSSLMODE, ... Other settings:
#   PG_BIN             folder of pg_restore/psql/createdb (e.g. /usr/lib/postgresql/15/bin); default: from PATH
#   PG_MAINTENANCE_DB  database to connect to for checking/creating the target; default: postgres
#
# The restore is one transaction: it applies completely or not at all. Objects are owned by the connecting user
# (--no-owner) and no GRANTs are replayed (--no-acl), so a dump restores on a server with other role names.
# Stop the silos and API instances that use the target first: they hold grain state in memory and would write
# it back over the restored rows.
set -euo pipefail

die() { printf 'restore-db: ERROR: %s\n' "$*" >&2; exit 1; }
say() { printf 'restore-db: %s\n' "$*" >&2; }
usage() { sed -n '2,/^set -euo/{/^#/{s/^# \{0,1\}//;p}}' "$0"; }

replace=0 created=0 args=()
for a in "$@"; do
  case $a in
    --replace) replace=1 ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option '$a'" ;;
    *) args+=("$a") ;;
  esac
done
(( ${#args[@]} >= 1 && ${#args[@]} <= 2 )) || { usage >&2; die "expected DUMP_FILE [TARGET_DATABASE]"; }
dump=${args[0]}
target=${args[1]:-${PGDATABASE:-}}
[[ -n $target ]] || die "no target database: pass TARGET_DATABASE or set PGDATABASE"
[[ -f $dump && -r $dump ]] || die "cannot read $dump"

tool() { if [[ -n ${PG_BIN:-} ]]; then echo "$PG_BIN/$1"; else command -v "$1" || echo "$1"; fi; }
PG_RESTORE=$(tool pg_restore) PSQL=$(tool psql) CREATEDB=$(tool createdb) DROPDB=$(tool dropdb)
for t in "$PG_RESTORE" "$PSQL" "$CREATEDB" "$DROPDB"; do
  [[ -x $t ]] || die "$(basename "$t") not found (install postgresql-client, or set PG_BIN)"
done
maintenance=${PG_MAINTENANCE_DB:-postgres}

# Fail before touching the server if the file is not a custom-format dump.
"$PG_RESTORE" --list "$dump" >/dev/null || die "$dump is not a dump pg_restore can read (pg_dump --format=custom)"

# The name goes in as a psql variable (:'target' quotes it), never pasted into SQL.
exists=$("$PSQL" --no-password --no-psqlrc --quiet --tuples-only --no-align --set ON_ERROR_STOP=1 \
           --set target="$target" --dbname="$maintenance" <<<"SELECT count(*) FROM pg_database WHERE datname = :'target';") \
  || die "cannot connect to ${PGHOST:-the local socket}:${PGPORT:-5432} (database $maintenance) to look for '$target'"
if [[ $exists == 1 ]]; then
  (( replace )) || die "database '$target' already exists; pass --replace to overwrite the dump's objects in it, or name a new database"
  say "database '$target' exists: replacing the dump's objects in it"
else
  "$CREATEDB" --no-password --maintenance-db="$maintenance" "$target" || die "createdb '$target' failed"
  created=1
  say "created database '$target'"
fi

start=$SECONDS
say "restoring $dump into '$target' on ${PGHOST:-local socket}:${PGPORT:-5432} as ${PGUSER:-$(id -un)}"
# --single-transaction (implies --exit-on-error): all or nothing, and a non-zero exit on the first error.
# --clean --if-exists: drop the dump's objects before creating them, without errors where they are missing.
"$PG_RESTORE" --clean --if-exists --no-owner --no-acl --single-transaction --no-password \
  --dbname="$target" "$dump" \
  || {
    rc=$?
    # A database made for this restore is empty after a failure: remove it so a retry starts from scratch.
    if (( created )); then "$DROPDB" --no-password --maintenance-db="$maintenance" "$target" || true; fi
    die "pg_restore failed (exit code $rc); '$target' is unchanged by it (one transaction)$( (( created )) && echo ', and was dropped again')"
  }

tables=$("$PSQL" --no-password --no-psqlrc --quiet --tuples-only --no-align --dbname="$target" \
           --command="SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')") \
  || die "restored, but cannot query '$target' afterwards"
say "restored $dump into '$target' ($tables tables, $((SECONDS - start)) s)"
