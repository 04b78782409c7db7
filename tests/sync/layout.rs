//! The engine's structure, checked on its source: nothing under src/sync/ reaches into the
//! command line (exit codes and terminal drawing live there), and the files of src/sync/ use
//! each other without a cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each file of src/sync/ (by module name) and the sibling modules it uses.
fn sync_modules() -> BTreeMap<String, (String, BTreeSet<String>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sync");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.extension().is_none_or(|e| e != "rs") || name == "mod" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        out.insert(name, (text, BTreeSet::new()));
    }
    let names: Vec<String> = out.keys().cloned().collect();
    for (text, uses) in out.values_mut() {
        for other in &names {
            let by_super = format!("super::{other}::");
            let by_crate = format!("crate::sync::{other}::");
            if text.contains(&by_super) || text.contains(&by_crate) {
                uses.insert(other.clone());
            }
        }
    }
    out
}

#[test]
fn the_engine_does_not_use_the_command_line() {
    for (name, (text, _)) in sync_modules() {
        assert!(!text.contains("crate::cli"), "src/sync/{name}.rs uses crate::cli");
    }
}

#[test]
fn sync_files_have_no_import_cycle() {
    let modules = sync_modules();
    // Peel off files that use nothing left; whatever remains is on a cycle.
    let mut left: BTreeMap<String, BTreeSet<String>> =
        modules.into_iter().map(|(name, (_, uses))| (name, uses)).collect();
    loop {
        let leaves: Vec<String> = left
            .iter()
            .filter(|(name, uses)| uses.iter().all(|u| u == *name))
            .map(|(n, _)| n.clone())
            .collect();
        if leaves.is_empty() {
            break;
        }
        for leaf in &leaves {
            left.remove(leaf);
        }
        for uses in left.values_mut() {
            uses.retain(|u| !leaves.contains(u));
        }
    }
    assert!(left.is_empty(), "files of src/sync on an import cycle: {left:?}");
}
