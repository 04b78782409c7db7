//! Architecture checks on the source tree, with no dependencies: builds the file-level import
//! graph of `src/` (from `mod` items, `use` trees and `crate::`/`super::`/`self::` paths, at
//! module granularity) and asserts there is no import circle between files and that the sync
//! engine never reaches into the command line layer. `scripts/modgraph.sh` prints the graph.

mod architecture {
    pub mod graph;
    mod lexer;
    pub mod modtree;
    mod parse;
}

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use architecture::graph::Graph;
use architecture::modtree::Tree;

/// The crate roots under `src/` of the repository at `root`: the library first, then
/// `main.rs` and every `src/bin/*.rs`, as paths relative to `root`.
fn roots(root: &Path) -> Vec<PathBuf> {
    let mut roots = vec![PathBuf::from("src/lib.rs"), PathBuf::from("src/main.rs")];
    let mut bins: Vec<PathBuf> = std::fs::read_dir(root.join("src/bin"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| PathBuf::from("src/bin").join(e.file_name()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    bins.sort();
    roots.extend(bins);
    roots
}

fn repo_tree() -> Tree {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Tree::build(&roots(root), &|p: &Path| std::fs::read_to_string(root.join(p)).ok())
}

fn rs_files_under(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rs_files_under(&path, base, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path.strip_prefix(base).unwrap_or(&path).to_path_buf());
        }
    }
}

#[test]
fn module_graph_summary() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tree = repo_tree();
    let graph = Graph::of(&tree);
    println!("{}", graph.summary(Path::new("")));
    let circles = graph.describe_circles(Path::new(""));
    println!("{}", if circles.is_empty() { "no import circles\n".to_string() } else { circles });
    assert!(tree.missing.is_empty(), "mod declarations without a file: {:?}", tree.missing);
    let mut on_disk = Vec::new();
    rs_files_under(&root.join("src"), root, &mut on_disk);
    let orphans: Vec<_> = on_disk.iter().filter(|f| !tree.facts.contains_key(*f)).collect();
    assert!(orphans.is_empty(), "files under src/ that no module tree includes: {orphans:?}");
    assert!(graph.edge_count() > graph.edges.len(), "suspiciously few import edges");
}

#[test]
fn no_import_circles_between_files() {
    let graph = Graph::of(&repo_tree());
    let circles = graph.describe_circles(Path::new(""));
    assert!(circles.is_empty(), "import circles between files:\n{circles}");
}

#[test]
fn sync_does_not_import_cli() {
    let graph = Graph::of(&repo_tree());
    let bad = graph.edges_between(Path::new("src/sync"), Path::new("src/cli"));
    let shown: Vec<String> = bad.iter().map(|(a, b)| format!("{} -> {}", a.display(), b.display())).collect();
    assert!(bad.is_empty(), "src/sync/ imports src/cli/:\n  {}", shown.join("\n  "));
}

/// The resolver on a small crate written here, so a mistake in it cannot hide a circle.
#[test]
fn fixture_crate_edges_and_circles() {
    let files: BTreeMap<PathBuf, &str> = [
        ("src/lib.rs", "pub mod a;\npub mod b;\nmod c;\n"),
        // a re-export makes a/mod.rs depend on the file it re-exports
        ("src/a/mod.rs", "mod inner;\npub use inner::Thing;\npub fn helper() {}\n"),
        ("src/a/inner.rs", "use super::helper;\npub struct Thing;\n#[cfg(test)]\n#[path = \"inner_tests.rs\"]\nmod tests;\n"),
        ("src/a/inner_tests.rs", "use super::*;\n"),
        // b → a/mod.rs (through the re-export), c (through a module alias)
        ("src/b.rs", "use crate::a::Thing;\nuse crate::c;\npub fn f() { c::g(); }\n"),
        // c → b by an expression path, closing the circle b → c → b
        ("src/c.rs", "pub fn g() { crate::b::f(); let _ = \"crate::a::inner\"; }\nmod t { fn x() { super::super::a::helper(); } }\n"),
        ("src/main.rs", "use meta_ads_sync::b;\nfn main() { b::f(); }\n"),
    ]
    .into_iter()
    .map(|(p, s)| (PathBuf::from(p), s))
    .collect();
    let tree = Tree::build(&[PathBuf::from("src/lib.rs"), PathBuf::from("src/main.rs")], &|p: &Path| {
        files.get(p).map(|s| s.to_string())
    });
    assert!(tree.missing.is_empty(), "{:?}", tree.missing);
    let graph = Graph::of(&tree);
    let edges: Vec<String> = graph
        .edges
        .iter()
        .flat_map(|(f, ts)| ts.iter().map(move |t| format!("{} -> {}", f.display(), t.display())))
        .collect();
    assert_eq!(
        edges,
        [
            "src/a/inner.rs -> src/a/mod.rs",
            "src/a/inner_tests.rs -> src/a/inner.rs",
            "src/a/mod.rs -> src/a/inner.rs",
            "src/b.rs -> src/a/mod.rs",
            "src/b.rs -> src/c.rs",
            "src/c.rs -> src/a/mod.rs",
            "src/c.rs -> src/b.rs",
            "src/main.rs -> src/b.rs",
        ]
    );
    let circles = graph.describe_circles(Path::new(""));
    assert_eq!(
        circles,
        "circle of 2 files: src/a/inner.rs, src/a/mod.rs\n  src/a/inner.rs -> src/a/mod.rs -> src/a/inner.rs\n\
         circle of 2 files: src/b.rs, src/c.rs\n  src/b.rs -> src/c.rs -> src/b.rs\n"
    );
    assert_eq!(graph.edges_between(Path::new("src/b.rs"), Path::new("src/a")).len(), 1);
}
