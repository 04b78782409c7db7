//! Migrations: up → down → up leaves the same schema; concurrent migrators are serialized.

use crate::support::backends::both_backends;
use crate::support::raw::Raw;
use crate::support::rows::{day, insight};
use diesel::connection::SimpleConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use meta_ads_sync::warehouse::WriteBatch;
use meta_ads_sync::warehouse::testing::TestDb;

/// Migrations each backend has (`migrations/postgres`, `migrations/sqlite`).
const MIGRATIONS: usize = 5;
/// Migrations before the one that adds `inline_link_clicks`.
const BEFORE_INLINE_LINK_CLICKS: usize = 3;
const PG: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

fn user_relations(db: &TestDb) -> Vec<String> {
    let mut raw = Raw::open(db.url());
    let sql = match raw {
        Raw::Pg(_) => {
            "SELECT table_name::text AS v FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations' ORDER BY 1"
        }
        Raw::Sqlite(_) => {
            "SELECT name AS v FROM sqlite_master WHERE type IN ('table', 'view', 'index') \
             AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations' ORDER BY 1"
        }
    };
    raw.strings(sql)
}

both_backends!(up_down_up, |db: &TestDb| {
    let wh = db.connect();
    let applied = wh.migrate().unwrap();
    assert_eq!(applied.len(), MIGRATIONS, "{applied:?}");
    let schema = user_relations(db);
    assert!(
        schema.contains(&"insights_daily".to_string()) && schema.contains(&"ad_insights_daily".to_string())
    );
    assert!(wh.migrate().unwrap().is_empty(), "second migrate applies nothing");

    let reverted = wh.revert_all_migrations().unwrap();
    assert_eq!(reverted.len(), MIGRATIONS);
    assert_eq!(user_relations(db), Vec::<String>::new(), "every down.sql undoes its up.sql");

    assert_eq!(wh.migrate().unwrap().len(), MIGRATIONS);
    assert_eq!(user_relations(db), schema);
    wh.commit(&crate::support::rows::full_batch()).unwrap();
});

both_backends!(concurrent_migrators_apply_each_migration_once, |db: &TestDb| {
    let url = db.url().to_string();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(3));
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let (url, barrier) = (url.clone(), barrier.clone());
            std::thread::spawn(move || {
                let wh = meta_ads_sync::warehouse::Warehouse::connect(&url).unwrap();
                barrier.wait();
                wh.migrate().unwrap()
            })
        })
        .collect();
    let applied: Vec<Vec<String>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(applied.iter().map(Vec::len).sum::<usize>(), MIGRATIONS, "{applied:?}");
});

// A row stored before `inline_link_clicks` existed reads back as unknown (NULL, also in the
// views), and the next sync of that day fills it in.
both_backends!(inline_link_clicks_is_null_on_older_rows_until_resynced, |db: &TestDb| {
    let insert_old_row = "INSERT INTO insights_daily \
        (level, object_id, date, account_id, impressions, clicks, spend, synced_at) \
        VALUES ('campaign', 'c1', '2026-09-01', '1001', 1000, 10, '1.5', '2026-09-03T10:11:12.345678Z')";
    match Raw::open(db.url()) {
        Raw::Pg(mut c) => {
            for _ in 0..BEFORE_INLINE_LINK_CLICKS {
                c.run_next_migration(PG).unwrap();
            }
            c.batch_execute(insert_old_row).unwrap();
        }
        Raw::Sqlite(mut c) => {
            for _ in 0..BEFORE_INLINE_LINK_CLICKS {
                c.run_next_migration(SQLITE).unwrap();
            }
            c.batch_execute(insert_old_row).unwrap();
        }
    }
    let wh = db.connect();
    assert_eq!(wh.migrate().unwrap().len(), MIGRATIONS - BEFORE_INLINE_LINK_CLICKS);
    let before = wh.snapshot().unwrap().insights;
    assert_eq!((before.len(), before[0].inline_link_clicks, before[0].clicks), (1, None, 10));
    let mut raw = Raw::open(db.url());
    let in_view =
        "SELECT COALESCE(CAST(inline_link_clicks AS TEXT), 'NULL') AS v FROM campaign_insights_daily";
    assert_eq!(raw.strings(in_view), ["NULL"]);

    let resynced = insight("c1", day("2026-09-01"), 1);
    wh.commit(&WriteBatch { insights: vec![resynced.clone()], ..WriteBatch::default() }).unwrap();
    assert_eq!(wh.snapshot().unwrap().insights, vec![resynced]);
    assert_eq!(raw.strings(in_view), ["8"]);
});

/// A database that already has a `campaigns` table of another program: migrate fails, says
/// so, and leaves exactly the original tables and no migration recorded.
#[test]
fn foreign_postgres_database_is_left_untouched() {
    let db = TestDb::postgres();
    let Raw::Pg(mut raw) = Raw::open(db.url()) else { unreachable!("a postgres TestDb") };
    raw.batch_execute(
        "CREATE TABLE campaigns (code text PRIMARY KEY, owner text); CREATE TABLE invoices (n int)",
    )
    .unwrap();
    let wh = db.connect();
    assert_eq!(wh.pending_migrations().unwrap().len(), MIGRATIONS);
    let err = wh.migrate().unwrap_err().to_string();
    assert!(err.contains("nothing was applied"), "{err}");
    assert!(err.contains("2026-01-01-000001_entities") || err.contains("campaigns"), "{err}");
    let mut raw = Raw::open(db.url());
    let tables = raw.strings(
        "SELECT table_name::text AS v FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    assert_eq!(tables, ["campaigns", "invoices"], "no table of ours, not even __diesel_schema_migrations");
    let columns = raw.strings(
        "SELECT column_name::text AS v FROM information_schema.columns WHERE table_name = 'campaigns' ORDER BY 1",
    );
    assert_eq!(columns, ["code", "owner"]);
    assert_eq!(wh.pending_migrations().unwrap().len(), MIGRATIONS, "still all pending");
}

/// Nothing pending: `migrate_on_start` issues no DDL, so a role with only
/// SELECT/INSERT/UPDATE/DELETE can open the warehouse the way `sync` does and write to it
/// (upserts stage rows in temporary tables: PostgreSQL grants TEMPORARY to every role).
#[test]
fn migrate_on_start_with_nothing_pending_needs_no_ddl_rights() {
    let db = TestDb::postgres();
    db.migrated();
    let role = format!("mads_dml_{}", std::process::id());
    let db_name = db.url().rsplit('/').next().unwrap().to_string();
    let Raw::Pg(mut raw) = Raw::open(db.url()) else { unreachable!("a postgres TestDb") };
    raw.batch_execute(&format!(
        "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN; \
         REVOKE CREATE ON SCHEMA public FROM PUBLIC; REVOKE CREATE ON DATABASE \"{db_name}\" FROM PUBLIC; \
         GRANT USAGE ON SCHEMA public TO {role}; \
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}; \
         GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"
    ))
    .unwrap();
    let limited_url = db.url().replacen("postgres@", &format!("{role}@"), 1);
    assert_ne!(limited_url, db.url(), "the test database URL names the postgres user");
    let outcome = {
        let mut cfg = meta_ads_sync::config::Config::default();
        cfg.warehouse.url = limited_url.clone();
        cfg.warehouse.migrate_on_start = true;
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(meta_ads_sync::cli::commands::sync::prepare_warehouse(&cfg)).map(|wh| {
            let pending = wh.pending_migrations().map_err(|e| e.to_string());
            let written = wh.commit(&crate::support::rows::full_batch()).map_err(|e| e.to_string());
            let ddl = wh.migrate().map_err(|e| e.to_string());
            (pending, written.map(drop), ddl)
        })
    };
    // The role proves it has no DDL rights.
    let mut limited = Raw::open(&limited_url);
    let Raw::Pg(c) = &mut limited else { unreachable!() };
    let create = c.batch_execute("CREATE TABLE probe (n int)");
    drop(limited);
    raw.batch_execute(&format!("DROP OWNED BY {role}; DROP ROLE {role}")).unwrap();
    assert!(create.is_err(), "the role must not be able to create tables");
    let (pending, written, again) = outcome.map_err(|e| e.message).unwrap();
    assert_eq!(pending.unwrap(), Vec::<String>::new());
    written.unwrap();
    assert_eq!(again.unwrap(), Vec::<String>::new());
    assert!(Raw::open(db.url()).count("campaigns") > 0, "the limited role wrote rows");
}
