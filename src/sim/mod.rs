//! Graph Marketing API simulator: a stateful, deterministic Meta Ads world served over HTTP on
//! loopback, for tests, the `demo` command and benchmarks.
