#!/usr/bin/env bash
# Back up the directory's PostgreSQL database to one file (pg_dump's custom format, compressed).
#
#   DATABASE_URL=postgres://user:pass@host:5432/moray scripts/backup.sh [FILE]
#
# FILE defaults to backups/moray-<UTC date and time>.dump. The dump is read back with
# pg_restore --list before the script says it worked, so a truncated file is noticed at once.
set -euo pipefail

: "${DATABASE_URL:?set DATABASE_URL to the database to back up}"
file=${1:-backups/moray-$(date -u +%Y%m%d-%H%M%S).dump}
mkdir -p "$(dirname "$file")"

pg_dump --format=custom --no-owner --no-privileges --file="$file.partial" "$DATABASE_URL"
pg_restore --list "$file.partial" >/dev/null
mv "$file.partial" "$file"
echo "Backed up to $file ($(du -h "$file" | cut -f1))"
