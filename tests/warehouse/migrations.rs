//! Migrations: up → down → up leaves the same schema; concurrent migrators are serialized.

use crate::fixtures::{Raw, both_backends};
use meta_ads_sync::warehouse::testing::TestDb;

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
    assert_eq!(applied.len(), 3, "{applied:?}");
    let schema = user_relations(db);
    assert!(
        schema.contains(&"insights_daily".to_string()) && schema.contains(&"ad_insights_daily".to_string())
    );
    assert!(wh.migrate().unwrap().is_empty(), "second migrate applies nothing");

    let reverted = wh.revert_all_migrations().unwrap();
    assert_eq!(reverted.len(), 3);
    assert_eq!(user_relations(db), Vec::<String>::new(), "every down.sql undoes its up.sql");

    assert_eq!(wh.migrate().unwrap().len(), 3);
    assert_eq!(user_relations(db), schema);
    wh.commit(&crate::fixtures::full_batch()).unwrap();
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
    assert_eq!(applied.iter().map(Vec::len).sum::<usize>(), 3, "{applied:?}");
});
