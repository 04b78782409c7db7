//! `demo --db PATH` never deletes a file it did not create: a text file or another SQLite
//! database is refused with a message naming the file and the way out, and stays byte for
//! byte; a previous demo warehouse is replaced; `--force` overwrites anything.

use diesel::connection::SimpleConnection as _;
use diesel::{Connection, SqliteConnection};

use crate::support::*;

const SMALL: [&str; 6] = ["--accounts", "1", "--campaigns", "2", "--days", "5"];

fn demo(dir: &std::path::Path, db: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["demo", "--db", db];
    args.extend_from_slice(&SMALL);
    args.extend_from_slice(extra);
    run(dir, &args, &[])
}

#[test]
fn a_file_the_demo_did_not_write_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "my notes\n").unwrap();
    let other = dir.path().join("other.db");
    SqliteConnection::establish(other.to_str().unwrap())
        .unwrap()
        .batch_execute("CREATE TABLE invoices (id INTEGER); INSERT INTO invoices VALUES (42);")
        .unwrap();
    let other_bytes = std::fs::read(&other).unwrap();
    for (file, before) in [("notes.txt", b"my notes\n".to_vec()), ("other.db", other_bytes)] {
        let out = demo(dir.path(), file, &[]);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(2), "{file}: {t}");
        assert!(t.contains(&format!("demo: {file} exists and is not a demo warehouse")), "{file}: {t}");
        assert!(t.contains("--force") && t.contains("delete it"), "names the way out: {t}");
        assert!(!t.contains("simulator listening"), "refused before starting anything: {t}");
        assert_eq!(std::fs::read(dir.path().join(file)).unwrap(), before, "{file} changed");
    }
}

#[test]
fn a_previous_demo_warehouse_is_replaced_and_force_overwrites_anything() {
    let dir = tempfile::tempdir().unwrap();
    let first = demo(dir.path(), "demo.db", &[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let again = demo(dir.path(), "demo.db", &[]);
    assert_eq!(again.status.code(), Some(0), "a previous demo is replaced: {}", text(&again));
    assert!(text(&again).contains("1 ad accounts, 2 campaigns"), "{}", text(&again));

    std::fs::write(dir.path().join("notes.txt"), "scratch\n").unwrap();
    let forced = demo(dir.path(), "notes.txt", &["--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", text(&forced));
    let header = std::fs::read(dir.path().join("notes.txt")).unwrap();
    assert!(header.starts_with(b"SQLite format 3\0"), "now a demo warehouse");
    let replaced = demo(dir.path(), "notes.txt", &[]);
    assert_eq!(replaced.status.code(), Some(0), "marked, so replaced: {}", text(&replaced));
}

#[test]
fn a_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    let out = demo(dir.path(), "data", &["--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("data exists and is not a regular file"), "{}", text(&out));
    assert!(dir.path().join("data").is_dir());
}
