#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server: a fresh cluster in a temporary directory, listening on
# 127.0.0.1 and a free port only, with a role and a database for the tests. ITPC_TEST_PG holds its connection
# string (the tests create one database per core on it). The server is stopped and its directory removed when the
# command ends, also on failure or interruption. initdb refuses root, so the cluster runs as the `postgres` user
# (via runuser) when started as root.
#
#   bash scripts/with-postgres.sh node --import tsx --test test/unit/audit.test.ts
set -euo pipefail

bindir="${PG_BINDIR:-}"
if [ -z "$bindir" ]; then
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir="$d"; done
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "with-postgres: no PostgreSQL server binaries found (install the Debian package 'postgresql', or set PG_BINDIR)" >&2
  exit 1
fi

as_pg=()
owner="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
  as_pg=(runuser -u postgres --)
  owner=postgres
fi

root="$(mktemp -d /tmp/itpc-pg.XXXXXX)"
chmod 755 "$root"
data="$root/data"
mkdir -p "$data"
chown "$owner" "$root" "$data"

port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
password="itpc-$(node -e "console.log(require('crypto').randomBytes(12).toString('hex'))")"

cleanup() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "$password" >"$root/pwfile"
chown "$owner" "$root/pwfile"
"${as_pg[@]}" "$bindir/initdb" -D "$data" -U itpc_admin --pwfile="$root/pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
rm -f "$root/pwfile"
# Tuned for a throw-away test server: no durability needed, many short-lived databases.
cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$root'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
log_min_messages = warning
EOF
"${as_pg[@]}" "$bindir/pg_ctl" -D "$data" -l "$root/server.log" -w -t 60 start >/dev/null

export ITPC_TEST_PG="postgres://itpc_admin:${password}@127.0.0.1:${port}/postgres"
export PGPASSWORD="$password" PG_DUMP="$bindir/pg_dump"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (throw-away, $root)"
set +e
"$@"
status=$?
set -e
exit $status
