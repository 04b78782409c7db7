//! `Warehouse::connect` errors: one line, cause and fix, never the password.

use meta_ads_sync::warehouse::{Backend, Warehouse};

#[test]
fn unreachable_postgres_names_the_cause_and_the_fix() {
    let err = Warehouse::connect("postgres://user:s3cret@127.0.0.1:5999/db").unwrap_err().to_string();
    assert_eq!(
        err,
        "cannot connect to PostgreSQL at 127.0.0.1:5999: connection refused — is the server running? check warehouse.url"
    );
}

#[test]
fn missing_postgres_database_says_how_to_create_it() {
    let err = Warehouse::connect("postgres://postgres:s3cret@127.0.0.1:5432/mas_no_such_db")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "cannot connect to PostgreSQL at 127.0.0.1:5432: database \"mas_no_such_db\" does not exist"
        ),
        "{err}"
    );
    assert!(!err.contains("s3cret"), "{err}");
    assert!(!err.contains('\n'), "{err}");
}

#[test]
fn malformed_url_says_what_is_expected_without_the_password() {
    let err = Warehouse::connect("mysql://root:s3cret@db:3306/x").unwrap_err().to_string();
    assert_eq!(err, "warehouse.url must start with sqlite:// or postgres://, got mysql://root:***@db:3306/x");
}

#[test]
fn sqlite_in_a_missing_directory_is_a_clear_error() {
    let err = Warehouse::connect("sqlite:///nonexistent-dir-mas/x.db").unwrap_err().to_string();
    assert!(err.starts_with("cannot open SQLite database at /nonexistent-dir-mas/x.db: "), "{err}");
    assert!(err.ends_with("check warehouse.url"), "{err}");
}

#[test]
fn backends_and_locations_are_reported() {
    let pg = meta_ads_sync::warehouse::testing::TestDb::postgres();
    let wh = pg.connect();
    assert_eq!(wh.backend(), Backend::Postgres);
    let lite = meta_ads_sync::warehouse::testing::TestDb::sqlite();
    let wh = lite.connect();
    assert_eq!(wh.backend(), Backend::Sqlite);
    assert_eq!(wh.location(), lite.url());
}
