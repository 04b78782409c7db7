//! The SQLite file of `demo`: how a demo warehouse is recognised, and which existing file
//! `demo --db PATH` may replace. A demo marks its file with `PRAGMA application_id` (the 32-bit
//! field at byte 68 of every SQLite file header, meant for exactly this); only a file carrying
//! that mark, or any file with `--force`, is deleted — never a text file or another database.

use std::io::Read as _;
use std::path::Path;

/// `PRAGMA application_id` of a demo warehouse: "MADS" (meta-ads-sync) in ASCII.
pub const DEMO_APPLICATION_ID: i32 = 0x4D41_4453;

/// The first 16 bytes of every SQLite 3 database file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Whether `header` (the first bytes of a file) is that of a SQLite database marked by `demo`.
pub fn is_demo_header(header: &[u8]) -> bool {
    header.len() >= 72
        && header.starts_with(SQLITE_MAGIC)
        && header[68..72] == DEMO_APPLICATION_ID.to_be_bytes()
}

/// What to do with the file at the demo's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Existing {
    /// Nothing there: the demo creates it.
    Absent,
    /// A previous demo warehouse (or `--force`): deleted with its `-wal` and `-shm`.
    Replace,
    /// Something else: left untouched; the message names the file and the way out.
    Refuse(String),
}

/// Decides about `path` without changing anything.
pub fn check(path: &Path, force: bool) -> Existing {
    let shown = path.display();
    let meta = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Existing::Absent,
        Err(e) => return Existing::Refuse(format!("demo: cannot inspect {shown}: {e}")),
        Ok(m) => m,
    };
    if !meta.is_file() {
        return Existing::Refuse(format!(
            "demo: {shown} exists and is not a regular file; choose another file with --db PATH"
        ));
    }
    if force {
        return Existing::Replace;
    }
    let mut header = Vec::with_capacity(100);
    let read = std::fs::File::open(path).and_then(|f| f.take(100).read_to_end(&mut header));
    if read.is_ok() && is_demo_header(&header) {
        return Existing::Replace;
    }
    Existing::Refuse(format!(
        "demo: {shown} exists and is not a demo warehouse (no demo mark in its SQLite header), so it \
         was left untouched; delete it, pass --force to overwrite it, or choose another file with --db PATH"
    ))
}

/// Deletes the file a demo replaces, with its `-wal` and `-shm` companions.
pub fn remove(path: &Path) -> std::io::Result<()> {
    std::fs::remove_file(path)?;
    for suffix in ["-wal", "-shm"] {
        let mut companion = path.as_os_str().to_owned();
        companion.push(suffix);
        match std::fs::remove_file(&companion) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(app_id: i32) -> Vec<u8> {
        let mut h = vec![0u8; 100];
        h[..16].copy_from_slice(SQLITE_MAGIC);
        h[68..72].copy_from_slice(&app_id.to_be_bytes());
        h
    }

    #[test]
    fn only_a_marked_sqlite_header_is_a_demo_warehouse() {
        assert!(is_demo_header(&header(DEMO_APPLICATION_ID)));
        assert!(!is_demo_header(&header(0)), "an unmarked SQLite database");
        assert!(!is_demo_header(&header(DEMO_APPLICATION_ID)[..70]), "cut short");
        let mut text = header(DEMO_APPLICATION_ID);
        text[..16].copy_from_slice(b"just some text..");
        assert!(!is_demo_header(&text), "not SQLite");
    }
}
