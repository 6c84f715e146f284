#!/usr/bin/env bash
# Restore a dump made by scripts/backup.sh into an EMPTY database, in one transaction.
#
#   DATABASE_URL=postgres://user:pass@host:5432/moray_restored scripts/restore.sh FILE
#
# Create the empty database first (createdb, or CREATE DATABASE), restore, check the site
# against it, then point the app servers' DATABASE_URL at it. The script refuses a database
# that already has tables, so it cannot overwrite the live one by mistake.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
file=${1:?give the dump file to restore}

tables=$(psql "$DATABASE_URL" -tAc "select count(*) from pg_tables where schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "Refusing: the database already has $tables tables. Restore into an empty one." >&2
  exit 1
fi

pg_restore --no-owner --no-privileges --single-transaction --exit-on-error \
  --dbname="$DATABASE_URL" "$file"
echo "Restored $file"
