# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers for the clinic server's tests: a real PostgreSQL and a real
# mosquitto per run, in a temporary directory, stopped (and the directory
# removed) when the script exits. Source it from the repository root after
# tests/integration/lib.sh (ok, not_ok, check, finish; $TMP).
#
#   clinic_start            the CA, PostgreSQL, the schema, mosquitto
#   clinic_pg_start / clinic_pg_stop           the database (down and up again)
#   clinic_mqtt_start / clinic_mqtt_stop       the broker (its queue kept on disk)
#   clinic_mqtt_user NAME   a broker user NAME, password in $CT/NAME.pass
#   clinic_mqtt_station ID...  stations' users and ACL lines (as add-station prints)
#   clinic_sql 'SQL'        psql -tA on the test database
#   clinic_cfg FILE [USER]  a clinic.cfg for station-clinic, connecting as USER
#   clinic_station_cfg FILE ID STORAGE [extra lines]   a station.cfg with a clinic group
#   clinic_wait SECONDS 'SHELL TEST'   waits until the test is true
#
# Daemons run as an unprivileged user (nobody when the tests run as root):
# PostgreSQL refuses to run as root, and neither needs it.
CLINIC=${CLINIC:-build/station-clinic}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
CT=$(mktemp -d "${TMPDIR:-/tmp}/station-clinic.XXXXXX")
chmod 755 "$CT"
CLINIC_USER=
[ "$(id -u)" -eq 0 ] && CLINIC_USER=nobody && chown nobody "$CT"
PGSOCK=$CT/pgsock
PGDATA=$CT/pgdata
MQ=$CT/mqtt
CLINIC_DB="host=$PGSOCK dbname=station_clinic user=clinic"
MQTT_PORT=
MQTT_CERT_PORT=

clinic_cleanup() {
    for pid in ${COLLECTOR:-} ${UPLOADER:-} ${UPLOADERS:-}; do kill "$pid" 2>/dev/null; done
    [ -f "$MQ/mosquitto.pid" ] && clinic_mqtt_stop
    [ -f "$PGDATA/postmaster.pid" ] && as_clinic_user "$PGBIN/pg_ctl" -D "$PGDATA" -m immediate stop >/dev/null 2>&1
    rm -rf "$CT"
}
trap 'clinic_cleanup; rm -rf "$TMP"' EXIT

# as_clinic_user COMMAND...: runs it as the unprivileged user.
as_clinic_user() {
    if [ -n "$CLINIC_USER" ]; then
        setpriv --reuid="$CLINIC_USER" --regid=nogroup --clear-groups -- "$@"
    else
        "$@"
    fi
}

# a free TCP port on 127.0.0.1
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

clinic_wait() {
    _tries=$(($1 * 10))
    while [ "$_tries" -gt 0 ]; do
        eval "$2" && return 0
        sleep 0.1
        _tries=$((_tries - 1))
    done
    return 1
}

# ---- the test CA, and another CA nobody trusts ----
# $CT/ca/{ca,server,client,collector,web}.{crt,key}; $CT/other/{ca,server,client}.{crt,key}
clinic_make_ca() {
    for dir in ca other; do
        d=$CT/$dir
        mkdir -p "$d"
        openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=station test CA $dir" \
            -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null || return 1
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$d/san.ext"
        for name in server client; do
            openssl req -newkey rsa:2048 -nodes -subj "/CN=$name" -keyout "$d/$name.key" \
                -out "$d/$name.csr" 2>/dev/null &&
                openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
                    -CAcreateserial -days 2 -extfile "$d/san.ext" -out "$d/$name.crt" 2>/dev/null ||
                return 1
        done
    done
    chmod 644 "$CT"/ca/* "$CT"/other/*
}

# ---- PostgreSQL ----
clinic_pg_init() {
    mkdir -p "$PGDATA" "$PGSOCK"
    [ -n "$CLINIC_USER" ] && chown "$CLINIC_USER" "$PGDATA" "$PGSOCK"
    chmod 700 "$PGDATA"
    as_clinic_user "$PGBIN/initdb" -D "$PGDATA" -U clinic --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$CT/initdb.log" 2>&1 || { cat "$CT/initdb.log"; return 1; }
    cat >>"$PGDATA/postgresql.conf" <<PGCONF
listen_addresses = ''
unix_socket_directories = '$PGSOCK'
unix_socket_permissions = 0777
fsync = ${CLINIC_PG_FSYNC:-off}
PGCONF
    clinic_pg_start && as_clinic_user "$PGBIN/createdb" -h "$PGSOCK" -U clinic station_clinic
}

clinic_pg_start() {
    as_clinic_user "$PGBIN/pg_ctl" -D "$PGDATA" -l "$CT/postgres.log" -w -t 30 start >/dev/null
}

clinic_pg_stop() {
    as_clinic_user "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
}

clinic_sql() {
    "$PGBIN/psql" -X -q -tA -v ON_ERROR_STOP=1 "$CLINIC_DB" -c "$1"
}

# ---- mosquitto: TLS only, a password for everyone, the contract's ACL ----
clinic_mqtt_init() {
    mkdir -p "$MQ/data"
    : >"$MQ/passwd"
    : >"$MQ/acl.stations"
    MQTT_PORT=$(free_port)
    MQTT_CERT_PORT=$(free_port)
    # one listener with the password only, one that also wants a client
    # certificate of the test CA
    cat >"$MQ/mosquitto.conf" <<MQCONF
per_listener_settings false
allow_anonymous false
message_size_limit 33554432
password_file $MQ/passwd
acl_file $MQ/acl
persistence true
persistence_location $MQ/data/
autosave_interval 1
pid_file $MQ/mosquitto.pid
log_dest file $MQ/mosquitto.log
log_type error
log_type warning
log_type notice
log_type information
listener $MQTT_PORT 127.0.0.1
cafile $CT/ca/ca.crt
certfile $CT/ca/server.crt
keyfile $CT/ca/server.key
tls_version tlsv1.2
use_username_as_clientid true
listener $MQTT_CERT_PORT 127.0.0.1
cafile $CT/ca/ca.crt
certfile $CT/ca/server.crt
keyfile $CT/ca/server.key
require_certificate true
tls_version tlsv1.2
use_username_as_clientid true
MQCONF
    clinic_mqtt_user collector && clinic_mqtt_user clinic-web && clinic_mqtt_acl
    [ -n "$CLINIC_USER" ] && chown -R "$CLINIC_USER" "$MQ"
    return 0
}

# the contract's ACL: the collector and the web page, then one block a station
clinic_mqtt_acl() {
    {
        printf 'user collector\ntopic read station/+/session\ntopic write station/+/ack\ntopic read station/+/program-status\n\n'
        printf 'user clinic-web\ntopic write station/+/program\n\n'
        cat "$MQ/acl.stations"
    } >"$MQ/acl"
    chmod 644 "$MQ/acl"
}

clinic_mqtt_user() {
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$CT/$1.pass"
    mosquitto_passwd -b "$MQ/passwd" "$1" "$(cat "$CT/$1.pass")" 2>/dev/null
    chmod 644 "$MQ/passwd" "$CT/$1.pass"
}

# clinic_mqtt_station ID...: each station's user and ACL block; the broker reloads
clinic_mqtt_station() {
    for id in "$@"; do
        clinic_mqtt_user "$id" || return 1
        printf 'user %s\ntopic write station/%s/session\ntopic read station/%s/ack\ntopic read station/%s/program\ntopic write station/%s/program-status\n\n' \
            "$id" "$id" "$id" "$id" "$id" >>"$MQ/acl.stations"
    done
    clinic_mqtt_acl
    clinic_mqtt_reload
}

clinic_mqtt_reload() {
    [ -f "$MQ/mosquitto.pid" ] && kill -HUP "$(cat "$MQ/mosquitto.pid")" && sleep 0.3
    return 0
}

clinic_mqtt_start() {
    rm -f "$MQ/mosquitto.pid"
    # (its start-up notes go to the log, not into the test's output)
    as_clinic_user mosquitto -c "$MQ/mosquitto.conf" -d 2>>"$CT/mosquitto.start" || return 1
    clinic_wait 10 '[ -s "$MQ/mosquitto.pid" ] && python3 -c "import socket; socket.create_connection((\"127.0.0.1\", $MQTT_PORT), 1)" 2>/dev/null'
}

# stops the broker; its queue (sessions for the collector) stays on disk
clinic_mqtt_stop() {
    pid=$(cat "$MQ/mosquitto.pid" 2>/dev/null) || return 0
    kill "$pid" 2>/dev/null
    clinic_wait 10 '! kill -0 '"$pid"' 2>/dev/null'
    rm -f "$MQ/mosquitto.pid"
}

# ---- configuration files ----
# clinic_cfg FILE [USER]: station-clinic's settings (USER: collector)
clinic_cfg() {
    u=${2:-collector}
    cat >"$1" <<CFG
database = "$CLINIC_DB";
migrations = "$(pwd)/clinic/migrations";
mqtt = {
    host = "localhost";
    port = $MQTT_PORT;
    ca_file = "$CT/ca/ca.crt";
    username = "$u";
    password_file = "$CT/$u.pass";
    client_id = "station-clinic-$u";
};
CFG
}

# clinic_station_cfg FILE ID STORAGE [LINE...]: a station.cfg whose clinic
# group sends to the test broker as station ID; LINEs go into the group
clinic_station_cfg() {
    f=$1 id=$2 st=$3
    shift 3
    {
        printf 'storage = { directory = "%s"; };\nclinic = {\n' "$st"
        for line in "enabled = true;" "station_id = \"$id\";" 'host = "localhost";' \
            "port = $MQTT_PORT;" "ca_file = \"$CT/ca/ca.crt\";" \
            "password_file = \"$CT/$id.pass\";" "resend_s = 600;" "$@"; do
            # a LINE given overrides the default of its key
            k=${line%% *}
            for extra in "$@"; do
                [ "${extra%% *}" = "$k" ] && [ "$extra" != "$line" ] && continue 2
            done
            printf '    %s\n' "$line"
        done
        printf '};\n'
    } >"$f"
}

# everything, in order; fails (and says why) when a part does not start
clinic_start() {
    [ -x "$PGBIN/initdb" ] || { echo "# no PostgreSQL server (scripts/deps.sh installs postgresql)"; return 1; }
    command -v mosquitto >/dev/null || PATH=$PATH:/usr/sbin
    command -v mosquitto >/dev/null || { echo "# no mosquitto (scripts/deps.sh installs it)"; return 1; }
    clinic_make_ca || { echo "# openssl could not make the test CA"; return 1; }
    clinic_pg_init || { echo "# PostgreSQL did not start: $(tail -3 "$CT/postgres.log" 2>/dev/null)"; return 1; }
    clinic_mqtt_init && clinic_mqtt_start ||
        { echo "# mosquitto did not start: $(tail -3 "$MQ/mosquitto.log" 2>/dev/null)"; return 1; }
}

# ---- the server's side, as a clinic sets it up ----
# clinic_setup CLINIC STATION...: the schema, a clinic, its stations (in the
# database and the broker); $TMP/clinic.cfg is the collector's settings
clinic_setup() {
    clinic_cfg "$TMP/clinic.cfg"
    "$CLINIC" --config "$TMP/clinic.cfg" migrate >/dev/null &&
        "$CLINIC" --config "$TMP/clinic.cfg" add-clinic "$1" >/dev/null || return 1
    c=$1
    shift
    for s in "$@"; do
        "$CLINIC" --config "$TMP/clinic.cfg" add-station --clinic "$c" "$s" >/dev/null || return 1
    done
    clinic_mqtt_station "$@"
}

# clinic_collect_start [ARGS]: the collector in the background ($COLLECTOR,
# its log appended to $TMP/collect.log), waits until it is subscribed
clinic_collect_start() {
    n0=$(grep -c 'connected to' "$TMP/collect.log" 2>/dev/null)
    "$CLINIC" --config "$TMP/clinic.cfg" collect --retry-max 1 "$@" >>"$TMP/collect.log" 2>&1 &
    COLLECTOR=$!
    clinic_wait 20 '[ "$(grep -c "connected to" "$TMP/collect.log")" -gt "${n0:-0}" ]'
}

clinic_collect_stop() {
    kill "$COLLECTOR" 2>/dev/null
    wait "$COLLECTOR" 2>/dev/null
    COLLECTOR=
}

# clinic_upload_start CFG [ARGS]: a station's uploader in the background
# ($UPLOADER; log $CFG.log)
clinic_upload_start() {
    ucfg=$1
    shift
    "$STATION" upload --config "$ucfg" --scan 0.3 --retry-max 1 --verbose "$@" >>"$ucfg.log" 2>&1 &
    UPLOADER=$!
}

# clinic_rows STATION: its sessions in the database
clinic_rows() {
    clinic_sql "SELECT count(*) FROM sessions WHERE station_id = '$1'"
}

# clinic_marked STORAGE MARK: how many folders hold the mark (.sent, .stored)
clinic_marked() {
    find "$1" -mindepth 2 -maxdepth 2 -name "$2" | wc -l
}
