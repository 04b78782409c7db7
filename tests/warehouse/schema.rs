//! The committed diesel schema files describe exactly what the migrations build: same tables,
//! columns in order, types, nullability and primary keys (checked against the catalog), and
//! so do the row types' table descriptions.

use std::collections::BTreeMap;

use crate::support::raw::Raw;
use meta_ads_sync::model::table::{ColumnType, TableRow};
use meta_ads_sync::model::{AdAccountRow, AdCreativeRow, AdRow, AdSetRow, CampaignRow, InsightRow};
use meta_ads_sync::warehouse::testing::TestDb;

/// table -> (primary key, [(column, diesel type, nullable)])
type Schema = BTreeMap<String, (Vec<String>, Vec<(String, String, bool)>)>;

/// Reads the `diesel::table!` blocks of a schema file.
fn parse_schema_file(path: &str) -> Schema {
    let text = std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let mut schema = Schema::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(table) = &current {
            if line == "}" {
                current = None;
            } else if let Some((col, ty)) = line.trim_end_matches(',').split_once(" -> ") {
                let (ty, nullable) = match ty.strip_prefix("Nullable<").and_then(|t| t.strip_suffix('>')) {
                    Some(inner) => (inner, true),
                    None => (ty, false),
                };
                schema.get_mut(table).unwrap().1.push((col.to_string(), ty.to_string(), nullable));
            }
        } else if let Some(head) = line.strip_suffix(" {")
            && let Some((name, pk)) = head.split_once(" (")
            && !name.contains('!')
        {
            let pk = pk.trim_end_matches(')').split(", ").map(str::to_string).collect();
            schema.insert(name.to_string(), (pk, Vec::new()));
            current = Some(name.to_string());
        }
    }
    assert!(!schema.is_empty(), "no table! blocks in {path}");
    schema
}

fn catalog(db: &TestDb) -> Schema {
    let mut raw = Raw::open(db.url());
    let (columns_sql, pk_sql) = match raw {
        Raw::Pg(_) => (
            "SELECT c.table_name || '|' || c.column_name || '|' || c.data_type || '|' || c.is_nullable AS v \
             FROM information_schema.columns c JOIN information_schema.tables t \
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
               AND c.table_name <> '__diesel_schema_migrations' \
             ORDER BY c.table_name, c.ordinal_position",
            "SELECT tc.table_name || '|' || string_agg(k.column_name, ', ' ORDER BY k.ordinal_position) AS v \
             FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage k \
               ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema \
             WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public' \
               AND tc.table_name <> '__diesel_schema_migrations' \
             GROUP BY tc.table_name",
        ),
        Raw::Sqlite(_) => (
            "SELECT m.name || '|' || p.name || '|' || p.type || '|' || \
               CASE WHEN p.\"notnull\" OR (p.pk > 0 AND p.type = 'INTEGER') THEN 'NO' ELSE 'YES' END AS v \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '__diesel_schema_migrations' \
             ORDER BY m.name, p.cid",
            "SELECT name || '|' || group_concat(col, ', ') AS v FROM ( \
               SELECT m.name AS name, p.name AS col FROM sqlite_master m JOIN pragma_table_info(m.name) p \
               WHERE m.type = 'table' AND p.pk > 0 AND m.name <> '__diesel_schema_migrations' \
               ORDER BY m.name, p.pk) GROUP BY name",
        ),
    };
    let diesel_type = |sql_type: &str| -> String {
        match sql_type {
            "text" | "TEXT" => "Text",
            "integer" | "INTEGER" => "Integer",
            "bigint" | "BIGINT" => "BigInt",
            "numeric" => "Numeric",
            "timestamp with time zone" => "Timestamptz",
            "date" => "Date",
            "jsonb" => "Jsonb",
            other => panic!("column type {other} has no mapping in this test"),
        }
        .to_string()
    };
    let mut schema = Schema::new();
    for row in raw.strings(columns_sql) {
        let f: Vec<&str> = row.split('|').collect();
        schema.entry(f[0].to_string()).or_default().1.push((
            f[1].to_string(),
            diesel_type(f[2]),
            f[3] == "YES",
        ));
    }
    for row in raw.strings(pk_sql) {
        let (table, pk) = row.split_once('|').unwrap();
        schema.get_mut(table).unwrap().0 = pk.split(", ").map(str::to_string).collect();
    }
    schema
}

#[test]
fn postgres_schema_file_matches_the_migrations() {
    let db = TestDb::postgres();
    db.migrated();
    assert_eq!(catalog(&db), parse_schema_file("src/warehouse/schema_pg.rs"));
}

#[test]
fn sqlite_schema_file_matches_the_migrations() {
    let db = TestDb::sqlite();
    db.migrated();
    assert_eq!(catalog(&db), parse_schema_file("src/warehouse/schema_sqlite.rs"));
}

/// The diesel type each backend's schema file gives a column of `ty`.
fn diesel_type_of(ty: ColumnType, pg: bool) -> &'static str {
    match (ty, pg) {
        (ColumnType::Text, _) => "Text",
        (ColumnType::Int4, _) => "Integer",
        (ColumnType::Int8, _) => "BigInt",
        (ColumnType::Decimal, true) => "Numeric",
        (ColumnType::Timestamp, true) => "Timestamptz",
        (ColumnType::Date, true) => "Date",
        (ColumnType::Json, true) => "Jsonb",
        (ColumnType::Decimal | ColumnType::Timestamp | ColumnType::Date | ColumnType::Json, false) => "Text",
    }
}

/// The synced tables as the row types describe them, in a schema file's terms.
fn described(pg: bool) -> Schema {
    fn one<R: TableRow>(pg: bool, out: &mut Schema) {
        let t = R::TABLE;
        let cols =
            t.columns.iter().map(|c| (c.name.to_string(), diesel_type_of(c.ty, pg).to_string(), c.nullable));
        out.insert(t.name.to_string(), (t.key.iter().map(|k| k.to_string()).collect(), cols.collect()));
    }
    let mut s = Schema::new();
    one::<AdAccountRow>(pg, &mut s);
    one::<CampaignRow>(pg, &mut s);
    one::<AdSetRow>(pg, &mut s);
    one::<AdRow>(pg, &mut s);
    one::<AdCreativeRow>(pg, &mut s);
    one::<InsightRow>(pg, &mut s);
    s
}

/// Each synced table's description (the row type in `model`) is what both schema files say,
/// and so, by the tests above, what the migrations build.
#[test]
fn row_descriptions_match_both_schema_files() {
    for (file, pg) in [("src/warehouse/schema_pg.rs", true), ("src/warehouse/schema_sqlite.rs", false)] {
        let mut in_file = parse_schema_file(file);
        in_file.retain(|t, _| !t.starts_with("sync_"));
        assert_eq!(described(pg), in_file, "{file}");
    }
}
