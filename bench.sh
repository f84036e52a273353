#!/usr/bin/env bash
# The benchmark command (README): every benchmark of issue #8, each beside its ceiling, written to docs/benchmarks.md.
# PostgreSQL comes from Debian's package as a throwaway cluster on loopback (as in test.sh), unless RDLIC_BENCH_PG names
# a database already. Arguments go to the bench (default: all), e.g. ./bench.sh sqlite storm, ./bench.sh all --quick.
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
mkdir -p "$root/.bench-results"
say() { printf '==> %s\n' "$*" >&2; }

if [ -z "${RDLIC_BENCH_PG:-}" ]; then
  if ! command -v pg_createcluster >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing postgresql from Debian's packages"
    (DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) \
      >"$root/.bench-results/apt.log" 2>&1 || say "apt-get failed (see .bench-results/apt.log)"
  fi

  . "$root/scripts/throwaway-postgres.sh"
  trap throwaway_pg_stop EXIT
  if throwaway_pg_start "$root/.bench-results/pg.log" RDLIC_BENCH_PG; then
    say "$throwaway_pg_where"
  else
    say "no PostgreSQL (not root, or see .bench-results/pg.log): benchmark 2 is reported as not measured"
  fi
fi

# Start from a quiet disk: flush what the cluster's creation (or anything before) left for write-back, so benchmark 1's
# fsyncs are not measured against it.
sync

[ $# -gt 0 ] || set -- all
export RDLIC_BENCH_VIA=bench.sh
dotnet run -c Release --project bench/RdLicensing.Bench -- "$@"
