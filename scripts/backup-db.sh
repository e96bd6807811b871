#!/usr/bin/env bash
# Backs up one PostgreSQL database with pg_dump's custom format (compressed; restore with scripts/restore-db.sh).
#
# Usage: scripts/backup-db.sh [OUTPUT_FILE]
#   OUTPUT_FILE  where to write the dump; default: $BACKUP_DIR/<database>-<UTC time>.dump
#
# The server and database come from the standard libpq variables: PGHOST, PGPORT, PGUSER, PGPASSWORD (or
# ~/.pgpass), PGDATABASE, PGSSLMODE, ... Unset ones take libpq's defaults (local socket, your user name).
# Other settings:
#   BACKUP_DIR=backups  folder of the default output file (created if missing)
#   PG_BIN              folder of pg_dump/pg_restore, e.g. /usr/lib/postgresql/15/bin; default: from PATH.
#                       pg_dump must be the server's major version or newer.
# Prints the file it wrote as the last line of stdout. Exit code 0 only when the dump is complete and readable.
#
# With docker/docker-compose.yml PostgreSQL is not published on the host; run pg_dump inside its container
# instead (docs/deploy.md, "Backup and restore").
set -euo pipefail

die() { printf 'backup-db: ERROR: %s\n' "$*" >&2; exit 1; }
say() { printf 'backup-db: %s\n' "$*" >&2; }

case ${1:-} in -h|--help) sed -n '2,/^set -euo/{/^#/{s/^# \{0,1\}//;p}}' "$0"; exit 0 ;; esac
(( $# <= 1 )) || die "expected at most one argument, the output file (got $#)"

tool() { if [[ -n ${PG_BIN:-} ]]; then echo "$PG_BIN/$1"; else command -v "$1" || echo "$1"; fi; }
PG_DUMP=$(tool pg_dump) PG_RESTORE=$(tool pg_restore)
[[ -x $PG_DUMP ]] || die "pg_dump not found (install postgresql-client, or set PG_BIN)"
[[ -x $PG_RESTORE ]] || die "pg_restore not found (install postgresql-client, or set PG_BIN)"

db=${PGDATABASE:-${PGUSER:-$(id -un)}}   # libpq's own default when PGDATABASE is unset
if [[ $# == 1 ]]; then
  out=$1
else
  dir=${BACKUP_DIR:-backups}
  mkdir -p "$dir"
  out="$dir/$db-$(date -u +%Y%m%dT%H%M%SZ).dump"
fi
[[ ! -e $out ]] || die "$out already exists; not overwriting a backup"
mkdir -p "$(dirname "$out")"

# Write beside the target and rename at the end, so a failed or interrupted dump never leaves a file that looks
# like a complete backup. umask 077: a dump holds password hashes and personal data.
tmp="$out.partial.$$"
trap 'rm -f "$tmp"' EXIT
umask 077
say "dumping database '$db' from ${PGHOST:-local socket}:${PGPORT:-5432} as ${PGUSER:-$(id -un)} with $PG_DUMP"
start=$SECONDS
# --format=custom: compressed, and pg_restore can pick objects and run in parallel. --no-password: fail at once
# instead of prompting when no password is configured (scripts and cron have no terminal).
"$PG_DUMP" --format=custom --no-password --dbname="$db" --file="$tmp" \
  || die "pg_dump failed (exit code $?); nothing written to $out"
# A dump that pg_restore cannot list is not a backup.
list=$("$PG_RESTORE" --list "$tmp") || die "pg_restore cannot read the dump; nothing written to $out"
entries=$(grep -cv '^;' <<<"$list" || true)
(( entries > 0 )) || die "the dump lists no objects; nothing written to $out"
mv -f "$tmp" "$out"
trap - EXIT
say "wrote $out ($(du -h "$out" | cut -f1), $entries archive entries, $((SECONDS - start)) s)"
echo "$out"
