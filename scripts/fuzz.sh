#!/usr/bin/env bash
# Builds every cargo-fuzz target in fuzz/ and runs each for SECONDS (default 20), starting from
# the seed corpus in fuzz/corpus/<target>/. Fails (exit 1) when any target crashes, panics,
# breaks an invariant, times out on one input or runs out of memory; the input that did it is
# left in fuzz/artifacts/<target>/ and the log in fuzz/target/fuzz-logs/<target>.log.
#
# Needs the nightly toolchain (cargo-fuzz instruments with sanitizer flags); installs
# cargo-fuzz from crates.io when it is missing. New inputs the fuzzer finds go to a scratch
# corpus under fuzz/target/, so the seed corpus in the repository never grows by itself.
#
# Usage: scripts/fuzz.sh [SECONDS]          (e.g. `scripts/fuzz.sh 300` for five minutes each)
# FUZZ_TARGETS="usage_headers batch_envelope" limits the run to those targets.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'fuzz.sh: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

seconds="${1:-20}"
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || die "SECONDS must be a positive whole number, got '$seconds'"

command -v cargo >/dev/null || die "cargo is missing: install Rust from https://rustup.rs"
if ! cargo +nightly --version >/dev/null 2>&1; then
  say "installing the nightly toolchain (cargo-fuzz needs it)"
  rustup toolchain install nightly --profile minimal || die "no nightly toolchain and it could not be installed"
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz from crates.io"
  cargo install cargo-fuzz --locked || die "cargo install cargo-fuzz failed"
fi

cd fuzz
targets="${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}"
[ -n "$targets" ] || die "no fuzz targets found in fuzz/"

say "building: $(echo $targets)"
cargo +nightly fuzz build || die "building the fuzz targets failed"

logs=target/fuzz-logs
mkdir -p "$logs"
failed=()
for t in $targets; do
  [ -d "corpus/$t" ] || die "no seed corpus corpus/$t"
  work="target/fuzz-corpus/$t"
  mkdir -p "$work"
  say "running $t for ${seconds}s"
  # First corpus dir: where new inputs go (scratch); second: the seeds, read only.
  if cargo +nightly fuzz run "$t" "$work" "corpus/$t" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      >"$logs/$t.log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/$t.log" | grep -o '[0-9]*$' || true)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$logs/$t.log" | grep -o '[0-9]*$' || true)
    say "$t: ok, ${runs:-?} runs in ${seconds}s (${rate:-?}/s)"
  else
    failed+=("$t")
    say "$t: FAILED, see fuzz/$logs/$t.log and fuzz/artifacts/$t/"
    grep -E 'panicked at|ERROR: libFuzzer|SUMMARY|Test unit written' "$logs/$t.log" | head -5 >&2 || true
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  say "failed targets: ${failed[*]}"
  exit 1
fi
say "every target ran ${seconds}s without a finding"
