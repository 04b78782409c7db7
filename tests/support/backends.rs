//! Per-backend tests: one body, run once on a fresh PostgreSQL database and once on a fresh
//! SQLite file (`warehouse::testing::TestDb`).

/// Defines `mod $name { fn postgres(); fn sqlite(); }`, each running `$body(&TestDb)`.
#[allow(unused_macros)]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[test]
            fn postgres() {
                let db = meta_ads_sync::warehouse::testing::TestDb::postgres();
                ($body)(&db);
            }
            #[test]
            fn sqlite() {
                let db = meta_ads_sync::warehouse::testing::TestDb::sqlite();
                ($body)(&db);
            }
        }
    };
}

/// Defines `mod $name { async fn postgres(); async fn sqlite(); }`, multi-threaded tokio tests
/// each running `super::$name(open).await` with `open` making fresh databases of its backend.
#[allow(unused_macros)]
macro_rules! both_backends_async {
    ($name:ident) => {
        mod $name {
            use meta_ads_sync::warehouse::testing::TestDb;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name(TestDb::postgres).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(TestDb::sqlite).await;
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use {both_backends, both_backends_async};
