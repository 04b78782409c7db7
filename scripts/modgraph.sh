#!/usr/bin/env bash
# Prints the file-level import graph of src/ (files, edges, edges between components, fan-in and
# fan-out, every import circle) and runs the architecture checks of tests/architecture.rs,
# including the ones still marked #[ignore]. Exit status: that of the checks.
set -euo pipefail
cd "$(dirname "$0")/.."
RUST_BACKTRACE=0 cargo test --quiet --test architecture -- --include-ignored --nocapture --test-threads 1 "$@"
