# Sourced by test.sh and bench.sh: a throwaway PostgreSQL cluster from Debian's packages on a free loopback port.
#   throwaway_pg_start LOGFILE VAR  — as root with pg_createcluster: creates and starts the cluster, creates a login role,
#                                     exports VAR="Host=127.0.0.1;Port=…;Username=rdlic;Password=…;Database=postgres";
#                                     sets throwaway_pg_where (a line to print); returns non-zero (VAR unset) when it
#                                     cannot. Call it directly, not in $(…): it must export into the caller's shell.
#   throwaway_pg_stop               — stops and drops the cluster (safe to call when none was made).
throwaway_pg_version=""
throwaway_pg_name=""
throwaway_pg_where=""

throwaway_pg_start() {
  local log=$1 var=$2 port pass
  command -v pg_createcluster >/dev/null && [ "$(id -u)" = 0 ] || return 1
  throwaway_pg_version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  throwaway_pg_name="rdlic$$x$RANDOM"
  # A cluster of that name left by an earlier run is not ours to create or drop.
  if [ -e "/etc/postgresql/$throwaway_pg_version/$throwaway_pg_name" ]; then
    throwaway_pg_name=""
    return 1
  fi
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])' 2>/dev/null || echo 55432)
  pass="rdlic$RANDOM$RANDOM"
  if pg_createcluster "$throwaway_pg_version" "$throwaway_pg_name" --port "$port" --start -- --auth-host=scram-sha-256 >"$log" 2>&1 \
     && su postgres -c "psql -p $port -qc \"create role rdlic login superuser password '$pass'\"" >>"$log" 2>&1; then
    export "$var=Host=127.0.0.1;Port=$port;Username=rdlic;Password=$pass;Database=postgres"
    throwaway_pg_where="PostgreSQL $throwaway_pg_version cluster $throwaway_pg_name on 127.0.0.1:$port"
    return 0
  fi

  throwaway_pg_stop
  return 1
}

throwaway_pg_stop() {
  [ -n "$throwaway_pg_name" ] || return 0
  pg_dropcluster "$throwaway_pg_version" "$throwaway_pg_name" --stop >/dev/null 2>&1 || true
  throwaway_pg_name=""
}
