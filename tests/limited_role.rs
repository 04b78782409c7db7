//! The real binary on real PostgreSQL as a role without DDL rights: once the owner has
//! migrated, `sync` (with `warehouse.migrate_on_start: true`) and `status` run as a role that
//! may only SELECT/INSERT/UPDATE/DELETE, and the rows land.

mod support;

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use meta_ads_sync::sim::{SimConfig, SimServer};
use meta_ads_sync::warehouse::testing::TestDb;

use support::cli::{run, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_and_status_run_as_a_role_without_ddl_rights() {
    let cfg = SimConfig {
        seed: 3,
        accounts: 1,
        campaigns_per_account: 2,
        adsets_per_campaign: 1,
        ads_per_adset: 1,
        days: 3,
        api_version: "v26.0".to_string(),
        ..SimConfig::default()
    };
    let server = SimServer::start(cfg).await.unwrap();
    let db = TestDb::postgres();
    let dir = tempfile::tempdir().unwrap();
    let owner = run(dir.path(), &["migrate"], &[("META_ADS_SYNC__WAREHOUSE__URL", db.url())]);
    assert_eq!(owner.status.code(), Some(0), "{}", text(&owner));

    let role = format!("mads_cli_dml_{}", std::process::id());
    let db_name = db.url().rsplit('/').next().unwrap().to_string();
    let mut admin = PgConnection::establish(db.url()).unwrap();
    admin
        .batch_execute(&format!(
            "DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN; \
             REVOKE CREATE ON SCHEMA public FROM PUBLIC; REVOKE CREATE ON DATABASE \"{db_name}\" FROM PUBLIC; \
             GRANT USAGE ON SCHEMA public TO {role}; \
             GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}; \
             GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}"
        ))
        .unwrap();
    let limited = db.url().replacen("postgres@", &format!("{role}@"), 1);
    assert_ne!(limited, db.url(), "the test database URL names the postgres user");
    let token = server.sim().system_user_token();
    let base = server.base_url();
    let env = [
        ("META_ADS_SYNC__WAREHOUSE__URL", limited.as_str()),
        ("META_ADS_SYNC__WAREHOUSE__MIGRATE_ON_START", "true"),
        ("META_ADS_SYNC__META__BASE_URL", base.as_str()),
        ("META_ACCESS_TOKEN", token.as_str()),
    ];
    let dir_path = dir.path().to_path_buf();
    let env_owned: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let (sync, status) = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &str)> = env_owned.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        (run(&dir_path, &["sync"], &env), run(&dir_path, &["status"], &env))
    })
    .await
    .unwrap();
    let probe = PgConnection::establish(&limited).and_then(|mut c| {
        c.batch_execute("CREATE TABLE probe (n int)")
            .map_err(diesel::ConnectionError::CouldntSetupConfiguration)
    });
    let campaigns = {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        diesel::sql_query("SELECT COUNT(*) AS n FROM campaigns").get_result::<N>(&mut admin).unwrap().n
    };
    admin.batch_execute(&format!("DROP OWNED BY {role}; DROP ROLE {role}")).unwrap();
    assert!(probe.is_err(), "the role must not be able to create tables");
    assert_eq!(sync.status.code(), Some(0), "{}", text(&sync));
    assert_eq!(status.status.code(), Some(0), "{}", text(&status));
    assert!(text(&status).contains("campaigns"), "{}", text(&status));
    assert_eq!(campaigns, 2, "the limited role's sync stored the campaigns");
    server.shutdown().await;
}
