#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb into a directory, start
# it on 127.0.0.1 at a free port, create the station's two roles (pc_owner runs
# migrations and may create databases, pc_app is what a counter logs in as; see
# docs/postgres.md), and print the URLs as shell exports:
#
#   eval "$(scripts/pg-cluster.sh start)"      # new cluster in a temp dir
#   scripts/pg-cluster.sh start DIR            # (re)start the cluster in DIR, same port
#   scripts/pg-cluster.sh stop DIR [fast|immediate]
#
# Run as root, the server runs as the `postgres` user (initdb refuses root).
set -euo pipefail

PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PG_BIN/initdb" ] || { echo "pg-cluster: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

secret() { node -e "console.log(require('crypto').randomBytes(18).toString('hex'))"; }

# A station CA of the cluster's own and a server certificate for 127.0.0.1, so
# tests can connect with sslmode=verify-full&sslrootcert=$dir/ca.crt.
make_certificates() {
  local dir=$1
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/CN=privacy-counter test station CA" -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$dir/data/server.key" -out "$dir/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1\n' >"$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
    -extfile "$dir/server.ext" -out "$dir/data/server.crt" 2>/dev/null
  chmod 600 "$dir/data/server.key"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir/data/server.key" "$dir/data/server.crt"; fi
  chmod 644 "$dir/ca.crt"
}

init_cluster() {
  local dir=$1 port owner_pw app_pw
  port=$(free_port)
  owner_pw=$(secret)
  app_pw=$(secret)
  as_owner "$PG_BIN/initdb" -D "$dir/data" --username=postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  make_certificates "$dir"
  # Throwaway data: no fsync; the socket lives in the cluster's own directory.
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
unix_socket_permissions = 0700
fsync = off
# Test databases are dropped WITH (FORCE), which cannot end an autovacuum worker's session.
autovacuum = off
shared_buffers = 128MB
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
max_connections = 200
CONF
  as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
  as_owner "$PG_BIN/psql" -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 <<SQL
CREATE ROLE pc_owner LOGIN CREATEDB PASSWORD '$owner_pw';
CREATE ROLE pc_app LOGIN PASSWORD '$app_pw';
SQL
  cat >"$dir/env" <<ENV
export PC_TEST_PG_URL=postgres://pc_owner:$owner_pw@127.0.0.1:$port/postgres
export PC_TEST_PG_APP_URL=postgres://pc_app:$app_pw@127.0.0.1:$port/postgres
export PC_TEST_PG_DIR=$dir
export PC_TEST_PG_CA=$dir/ca.crt
ENV
}

cmd=${1:-}
case "$cmd" in
  start)
    dir=${2:-}
    if [ -z "$dir" ]; then dir=$(mktemp -d "${TMPDIR:-/tmp}/pc-pg-XXXXXX"); fi
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start >/dev/null
    else
      init_cluster "$dir"
    fi
    cat "$dir/env"
    ;;
  stop)
    dir=${2:?usage: pg-cluster.sh stop DIR [fast|immediate]}
    as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m "${3:-fast}" -w stop >/dev/null
    ;;
  *)
    echo "usage: pg-cluster.sh start [DIR] | stop DIR [fast|immediate]" >&2
    exit 2
    ;;
esac
