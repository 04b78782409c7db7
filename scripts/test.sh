#!/usr/bin/env bash
# Runs the whole test suite. Makes sure a PostgreSQL server is reachable first:
#  - uses $TEST_DATABASE_URL when set (an admin URL; each test creates its own database);
#  - otherwise 127.0.0.1:5432 as `postgres` (trust auth, as on the CI machine);
#  - otherwise starts an installed but stopped cluster, or installs PostgreSQL from Debian's
#    packages (as root or with sudo) and connects over the local socket as a superuser role
#    named after the current user.
# Also prepares target/sdk-venv, a Python venv with Meta's Business SDK pinned in
# tests/sdk/requirements.txt (installing python3-venv from Debian's packages if needed), and
# passes its python to `tests/sdk.rs` as SDK_PYTHON.
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

# --- Meta's Python Business SDK for tests/sdk.rs ---
SDK_VENV=target/sdk-venv
SDK_REQUIREMENTS=tests/sdk/requirements.txt

sdk_ready() {
  [ -x "$SDK_VENV/bin/python" ] && cmp -s "$SDK_REQUIREMENTS" "$SDK_VENV/requirements.txt"
}

ensure_sdk() {
  if [ -n "${SDK_PYTHON:-}" ]; then return 0; fi
  if ! sdk_ready; then
    if ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
      command -v apt-get >/dev/null || die "python3 with venv is missing: install it (e.g. apt-get install python3-venv) or set SDK_PYTHON"
      say "python3-venv is not installed; installing it from Debian's packages"
      as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null \
        || die "could not install python3-venv (need root or sudo): run 'sudo apt-get install -y python3-venv' or set SDK_PYTHON"
    fi
    say "preparing $SDK_VENV with $(tr '\n' ' ' < "$SDK_REQUIREMENTS")"
    rm -rf "$SDK_VENV"
    python3 -m venv "$SDK_VENV" || die "python3 -m venv failed"
    "$SDK_VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$SDK_REQUIREMENTS" \
      || die "could not install $SDK_REQUIREMENTS into $SDK_VENV (PyPI unreachable?)"
    cp "$SDK_REQUIREMENTS" "$SDK_VENV/requirements.txt"
  fi
  SDK_PYTHON="$(pwd)/$SDK_VENV/bin/python"
  export SDK_PYTHON
}

ensure_postgres
say "PostgreSQL for tests: ${TEST_DATABASE_URL%%\?*}"
ensure_sdk
say "Python with the Business SDK for tests: $SDK_PYTHON"
exec cargo test "$@"
