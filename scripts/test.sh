#!/usr/bin/env bash
# Runs the whole test suite. Makes sure a PostgreSQL server is reachable first:
#  - uses $TEST_DATABASE_URL when set (an admin URL; each test creates its own database);
#  - otherwise 127.0.0.1:5432 as `postgres` (trust auth, as on the CI machine);
#  - otherwise starts an installed but stopped cluster, or installs PostgreSQL from Debian's
#    packages (as root or with sudo) and connects over the local socket as a superuser role
#    named after the current user.
# Extra arguments go to `cargo test` (e.g. `scripts/test.sh --test sync`).
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'test.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

command -v cargo >/dev/null || die "cargo is missing: install Rust from https://rustup.rs, then run scripts/test.sh again"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else return 1
  fi
}

can_connect() {
  command -v psql >/dev/null && psql "$1" -Atqc 'select 1' >/dev/null 2>&1
}

start_installed_cluster() {
  command -v pg_ctlcluster >/dev/null || return 1
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || return 1
  say "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  for _ in $(seq 1 30); do
    pg_isready -q 2>/dev/null && return 0
    sleep 1
  done
  return 1
}

ensure_postgres() {
  if [ -n "${TEST_DATABASE_URL:-}" ]; then
    can_connect "$TEST_DATABASE_URL" || command -v psql >/dev/null || return 0
    can_connect "$TEST_DATABASE_URL" || die "cannot connect to TEST_DATABASE_URL; start that server or unset the variable"
    return 0
  fi
  local tcp="postgres://postgres@127.0.0.1:5432/test"
  if can_connect "$tcp"; then export TEST_DATABASE_URL="$tcp"; return 0; fi
  if ! command -v pg_ctlcluster >/dev/null; then
    command -v apt-get >/dev/null || die "PostgreSQL is missing: install it (e.g. apt-get install postgresql) or set TEST_DATABASE_URL"
    say "PostgreSQL is not installed; installing it from Debian's packages"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
      && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
      || die "could not install PostgreSQL (need root or sudo): run 'sudo apt-get install -y postgresql' or set TEST_DATABASE_URL"
  fi
  pg_isready -q 2>/dev/null || start_installed_cluster || die "PostgreSQL is installed but does not start: see /var/log/postgresql/"
  if can_connect "$tcp"; then export TEST_DATABASE_URL="$tcp"; return 0; fi
  # A stock Debian cluster: peer auth on the socket. Use a superuser role named after us.
  local me socket
  me=$(id -un)
  socket=/var/run/postgresql
  as_root su postgres -c "psql -Atqc \"select 1 from pg_roles where rolname='$me'\" | grep -q 1 || createuser -s '$me'" >/dev/null 2>&1 || true
  local url="postgres:///postgres?host=$socket&user=$me"
  can_connect "$url" || die "cannot reach PostgreSQL as '$me' over $socket: set TEST_DATABASE_URL to an admin URL"
  export TEST_DATABASE_URL="$url"
}

ensure_postgres
say "PostgreSQL for tests: ${TEST_DATABASE_URL%%\?*}"
exec cargo test "$@"
