#!/usr/bin/env bash
# Encrypted backup and restore of the office PostgreSQL database (README, "Backup and restore (IT)"). The console
# backs up only its own SQLite file; the office database is backed up on the server with this script:
#
#   pg-backup.sh backup  --dbname URL --out DIR --passphrase-file FILE [--keep N]
#   pg-backup.sh restore --file FILE --passphrase-file FILE --into NEW_DB --server URL [--ledger-from URL]
#
# backup:  pg_dump in custom format, piped straight into gpg (AES-256, integrity-protected: a changed or truncated
#          file fails to decrypt), never written in clear; the file is named itpc-pg-backup-<UTC time>.dump.gpg and
#          a manifest beside it (.json) says what it is: app, schema version, install id, when, the file's SHA-256.
#          Only the newest N backups in DIR are kept (--keep, default 14).
# restore: checks the manifest's SHA-256, decrypts into a private temporary folder, checks the archive
#          (pg_restore --list), creates NEW_DB and restores into it in one transaction. With --ledger-from (the
#          database being replaced), its deletion ledger is copied into NEW_DB, so customers deleted after the backup
#          are deleted again by the first workstation that opens it. Nothing is switched: the script prints the
#          two ALTER DATABASE statements that swap the databases once the workstations are stopped.
#
# URL is a libpq connection string (postgresql://user@host:port/db?sslmode=verify-full). The passphrase file holds
# one line, readable by its owner only; keep a copy away from the server. Never pass the passphrase on the command
# line (other users can read it there).
set -euo pipefail
umask 077

die() { echo "pg-backup: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed ($2)"; }

mode="${1:-}"
[ -n "$mode" ] || die "usage: pg-backup.sh backup|restore [options] (see the top of this file)"
shift
dbname="" out="" passfile="" keep=14 file="" into="" server="" ledger_from=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dbname) dbname="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --passphrase-file) passfile="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    --file) file="$2"; shift 2 ;;
    --into) into="$2"; shift 2 ;;
    --server) server="$2"; shift 2 ;;
    --ledger-from) ledger_from="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done

need gpg "the GnuPG package"
need psql "the PostgreSQL client package"
[ -n "$passfile" ] && [ -r "$passfile" ] || die "--passphrase-file must name a readable file"
[ "$(wc -c <"$passfile")" -ge 20 ] || die "the passphrase must be at least 20 characters"
gpg_common=(--batch --quiet --no-tty --pinentry-mode loopback --passphrase-file "$passfile")

case "$mode" in
  backup)
    need pg_dump "the PostgreSQL client package"
    [ -n "$dbname" ] && [ -n "$out" ] || die "backup needs --dbname and --out"
    [[ "$keep" =~ ^[0-9]+$ ]] && [ "$keep" -ge 1 ] || die "--keep must be a positive number"
    mkdir -p "$out"
    schema="$(psql "$dbname" -XAtqc 'SELECT max(version) FROM schema_migrations')"
    install="$(psql "$dbname" -XAtqc "SELECT value FROM meta WHERE key = 'install_id'")"
    [ -n "$schema" ] && [ -n "$install" ] || die "this database has no console schema (schema_migrations, meta)"
    stamp="$(date -u +%Y%m%d-%H%M%SZ)"
    name="itpc-pg-backup-$stamp.dump.gpg"
    partial="$out/$name.partial"
    trap 'rm -f "$partial"' EXIT
    # pipefail: a failing pg_dump fails the backup even though gpg read what it wrote.
    pg_dump --format=custom --compress=6 --dbname="$dbname" |
      gpg "${gpg_common[@]}" --symmetric --cipher-algo AES256 --s2k-mode 3 --s2k-digest-algo SHA512 --s2k-count 65011712 --force-mdc --output "$partial"
    mv "$partial" "$out/$name"
    trap - EXIT
    sha="$(sha256sum "$out/$name" | cut -d' ' -f1)"
    printf '{"format":"itpc-pg-backup","version":1,"app":"iTechno Privacy Console","schemaVersion":%s,"installId":"%s","createdAt":"%s","sha256":"%s","bytes":%s}\n' \
      "$schema" "$install" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$sha" "$(stat -c %s "$out/$name")" >"$out/$name.json"
    # Keep the newest N (names sort by time).
    mapfile -t all < <(find "$out" -maxdepth 1 -name 'itpc-pg-backup-*.dump.gpg' -printf '%f\n' | sort -r)
    for old in "${all[@]:$keep}"; do rm -f "$out/$old" "$out/$old.json"; done
    echo "backup written: $out/$name (schema $schema, $(stat -c %s "$out/$name") bytes)"
    ;;
  restore)
    need pg_restore "the PostgreSQL client package"
    [ -n "$file" ] && [ -n "$into" ] && [ -n "$server" ] || die "restore needs --file, --into and --server"
    [[ "$into" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || die "--into must be a plain lower-case database name"
    [ -r "$file" ] || die "cannot read $file"
    if [ -r "$file.json" ]; then
      want="$(sed -n 's/.*"sha256":"\([0-9a-f]*\)".*/\1/p' "$file.json")"
      [ "$want" = "$(sha256sum "$file" | cut -d' ' -f1)" ] || die "the backup does not match its manifest (altered or incomplete). Nothing was changed."
    fi
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    # gpg checks the integrity (MDC) of the whole file: a flipped byte, a cut file or a wrong passphrase fails here.
    gpg "${gpg_common[@]}" --decrypt --output "$work/dump" "$file" 2>"$work/gpg.err" ||
      die "the backup does not decrypt: wrong passphrase, altered or incomplete file ($(tr '\n' ' ' <"$work/gpg.err" | cut -c1-160)). Nothing was changed."
    pg_restore --list "$work/dump" >/dev/null 2>&1 || die "the decrypted file is not a pg_dump archive. Nothing was changed."
    exists="$(psql "$server" -XAtqc "SELECT 1 FROM pg_database WHERE datname = '$into'")"
    [ -z "$exists" ] || die "database $into already exists: choose a new name. Nothing was changed."
    psql "$server" -XAtqc "CREATE DATABASE \"$into\"" >/dev/null
    target="$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$server" "$into" 2>/dev/null || true)"
    [ -n "$target" ] || die "could not form the connection string of $into (is node installed?)"
    if ! pg_restore --exit-on-error --single-transaction --no-owner --dbname="$target" "$work/dump" 2>"$work/restore.err"; then
      psql "$server" -XAtqc "DROP DATABASE \"$into\"" >/dev/null || true
      die "pg_restore failed ($(head -c 300 "$work/restore.err")); $into was removed again."
    fi
    if [ -n "$ledger_from" ]; then
      # The ledger of the database being replaced: customers deleted after the backup are deleted again at the
      # first start of a workstation on the restored database (core open re-applies ledger entries still present).
      psql "$ledger_from" -XAtqc "\\copy (SELECT customer_id, deleted_at FROM deletion_ledger) TO '$work/ledger.csv' WITH (FORMAT csv)"
      psql "$target" -Xq -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE TEMP TABLE carried_ledger (customer_id uuid, deleted_at varchar(32));
\\copy carried_ledger FROM '$work/ledger.csv' WITH (FORMAT csv)
INSERT INTO deletion_ledger (customer_id, deleted_at) SELECT customer_id, deleted_at FROM carried_ledger ON CONFLICT (customer_id) DO NOTHING;
SQL
      echo "deletion ledger carried over: $(wc -l <"$work/ledger.csv") entries"
    fi
    echo "restored into database $into."
    echo "Stop every workstation, then (as the owner role, connected to another database):"
    echo "  ALTER DATABASE privacy_console RENAME TO privacy_console_before_restore_$(date -u +%Y%m%d);"
    echo "  ALTER DATABASE $into RENAME TO privacy_console;"
    echo "and run scripts/postgres/grants.sql in it before the workstations start again."
    ;;
  *) die "unknown mode $mode (backup or restore)" ;;
esac
