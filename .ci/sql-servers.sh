# PostgreSQL and MariaDB for the SQL tests (tests/sql): sourced by .ci/run, usable alone:
#
#     source .ci/sql-servers.sh && start_sql_servers    # exports the two URLs
#     python -m pytest tests/sql
#     stop_sql_servers
#
# Each server is installed from the system's packages when it is missing (Debian/Ubuntu:
# apt-get), started on 127.0.0.1 on a free port with a throwaway data directory (mktemp -d),
# and reached by the tests through IKU_TEST_POSTGRES_URL and IKU_TEST_MARIADB_URL. Neither
# server runs as root: as root, they run as the packages' postgres and mysql users.

_sql_servers_dirs=()
_sql_pg_ctl=""
_sql_pg_data=""
_sql_maria_socket=""

_sql_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# run a command as the user owning the server's files (the package's user when we are root)
_sql_as() {
    local user="$1"
    shift
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

_sql_install() {
    local packages=()
    ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
    command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || packages+=(mariadb-server)
    if [ "${#packages[@]}" -gt 0 ]; then
        echo "== apt-get install ${packages[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${packages[@]}" >/dev/null
    fi
}

_sql_start_postgres() {
    local bin dir port user
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    dir="$(mktemp -d)"
    _sql_servers_dirs+=("$dir")
    user="$(id -un)"
    if [ "$(id -u)" -eq 0 ]; then
        user=postgres
        chown postgres "$dir"
    fi
    port="$(_sql_free_port)"
    _sql_as "$user" "$bin/initdb" -D "$dir/data" -A trust -U iku -E UTF8 --no-sync >/dev/null
    _sql_as "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -s start \
        -o "-k $dir -p $port -c listen_addresses=127.0.0.1 -F"
    _sql_pg_ctl="$bin/pg_ctl"
    _sql_pg_data="$dir/data"
    _sql_pg_user="$user"
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U iku iku
    export IKU_TEST_POSTGRES_URL="postgresql+psycopg://iku@127.0.0.1:$port/iku"
    echo "== PostgreSQL on 127.0.0.1:$port ($dir)"
}

_sql_start_mariadb() {
    local dir port user server
    dir="$(mktemp -d)"
    _sql_servers_dirs+=("$dir")
    user="$(id -un)"
    if [ "$(id -u)" -eq 0 ]; then
        user=mysql
        chown mysql "$dir"
    fi
    server="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
    port="$(_sql_free_port)"
    _sql_as "$user" mariadb-install-db --no-defaults --datadir="$dir/data" --user="$user" \
        --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
    _sql_as "$user" "$server" --no-defaults --datadir="$dir/data" --socket="$dir/socket" \
        --port="$port" --bind-address=127.0.0.1 --skip-log-bin --innodb-flush-log-at-trx-commit=0 \
        --pid-file="$dir/pid" >"$dir/log" 2>&1 &
    _sql_maria_socket="$dir/socket"
    for _ in $(seq 1 100); do
        mariadb-admin --no-defaults --socket="$dir/socket" -u root ping >/dev/null 2>&1 && break
        sleep 0.2
    done
    mariadb --no-defaults --socket="$dir/socket" -u root -e \
        "CREATE DATABASE iku; CREATE USER 'iku'@'127.0.0.1'; GRANT ALL ON iku.* TO 'iku'@'127.0.0.1';"
    export IKU_TEST_MARIADB_URL="mysql+pymysql://iku@127.0.0.1:$port/iku"
    echo "== MariaDB on 127.0.0.1:$port ($dir)"
}

start_sql_servers() {
    _sql_install
    _sql_start_postgres
    _sql_start_mariadb
}

stop_sql_servers() {
    if [ -n "$_sql_pg_ctl" ]; then
        _sql_as "$_sql_pg_user" "$_sql_pg_ctl" -D "$_sql_pg_data" -m fast -w -s stop || true
        _sql_pg_ctl=""
    fi
    if [ -n "$_sql_maria_socket" ]; then
        mariadb-admin --no-defaults --socket="$_sql_maria_socket" -u root shutdown || true
        _sql_maria_socket=""
    fi
    local dir
    for dir in "${_sql_servers_dirs[@]}"; do
        rm -rf "$dir"
    done
    _sql_servers_dirs=()
    unset IKU_TEST_POSTGRES_URL IKU_TEST_MARIADB_URL
}
