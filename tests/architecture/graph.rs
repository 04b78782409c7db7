//! The file-level import graph: an edge from a file to every other file holding a module it
//! names, its strongly connected components, a concrete cycle through each, and a summary.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write;
use std::path::{Path, PathBuf};

use super::modtree::Tree;

/// Files and the files each imports (module-level: `use crate::graph::X` where `graph/mod.rs`
/// re-exports `X` is an edge to `graph/mod.rs`, and its `pub use` an edge onwards).
#[derive(Debug, Default)]
pub struct Graph {
    /// File → files it imports, sorted.
    pub edges: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
}

impl Graph {
    /// The import graph of every file in `tree`.
    pub fn of(tree: &Tree) -> Graph {
        let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
        for (file, facts) in &tree.facts {
            let aliases = tree.aliases(file);
            let targets = edges.entry(file.clone()).or_default();
            for r in facts.uses.iter().chain(&facts.paths) {
                if let Some(key) = tree.resolve(file, r, &aliases)
                    && let Some(target) = tree.modules.get(&key)
                    && target != file
                {
                    targets.insert(target.clone());
                }
            }
        }
        Graph { edges }
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.edges.values().map(BTreeSet::len).sum()
    }

    /// Strongly connected components with more than one file (each one holds cycles), each
    /// sorted, in file order (Tarjan's algorithm, iterative).
    pub fn circles(&self) -> Vec<Vec<PathBuf>> {
        let nodes: Vec<&PathBuf> = self.edges.keys().collect();
        let index_of: BTreeMap<&PathBuf, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let succ: Vec<Vec<usize>> = nodes
            .iter()
            .map(|n| self.edges[*n].iter().filter_map(|t| index_of.get(t).copied()).collect())
            .collect();
        let n = nodes.len();
        let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
        let (mut stack, mut next, mut out) = (Vec::new(), 0, Vec::new());
        for start in 0..n {
            if index[start] != usize::MAX {
                continue;
            }
            let mut call: Vec<(usize, usize)> = vec![(start, 0)];
            index[start] = next;
            low[start] = next;
            next += 1;
            stack.push(start);
            on_stack[start] = true;
            while let Some(&mut (v, ref mut child)) = call.last_mut() {
                if let Some(&w) = succ[v].get(*child) {
                    *child += 1;
                    if index[w] == usize::MAX {
                        index[w] = next;
                        low[w] = next;
                        next += 1;
                        stack.push(w);
                        on_stack[w] = true;
                        call.push((w, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                    continue;
                }
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    let mut component = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component.push(nodes[w].clone());
                        if w == v {
                            break;
                        }
                    }
                    if component.len() > 1 {
                        component.sort();
                        out.push(component);
                    }
                }
            }
        }
        out.sort();
        out
    }

    /// The shortest cycle from `start` back to itself inside `within`, as a file list that
    /// starts and ends with `start`.
    pub fn shortest_cycle(&self, start: &Path, within: &[PathBuf]) -> Option<Vec<PathBuf>> {
        let allowed: BTreeSet<&PathBuf> = within.iter().collect();
        let mut prev: BTreeMap<PathBuf, PathBuf> = BTreeMap::new();
        let mut queue = VecDeque::from([start.to_path_buf()]);
        while let Some(v) = queue.pop_front() {
            for w in self.edges.get(&v).into_iter().flatten().filter(|w| allowed.contains(w)) {
                if w == start {
                    let mut path = vec![v.clone()];
                    let mut at = v.clone();
                    while at != start {
                        at = prev.get(&at)?.clone();
                        path.push(at.clone());
                    }
                    path.reverse();
                    path.push(start.to_path_buf());
                    return Some(path);
                }
                if !prev.contains_key(w) && w != start {
                    prev.insert(w.clone(), v.clone());
                    queue.push_back(w.clone());
                }
            }
        }
        None
    }

    /// Every component with, for each of its files, the shortest cycle through that file
    /// (duplicates that are rotations of one another printed once).
    pub fn describe_circles(&self, root: &Path) -> String {
        let mut out = String::new();
        for component in self.circles() {
            let names: Vec<String> = component.iter().map(|f| short(f, root)).collect();
            let _ = writeln!(out, "circle of {} files: {}", component.len(), names.join(", "));
            let mut seen = BTreeSet::new();
            for file in &component {
                let Some(cycle) = self.shortest_cycle(file, &component) else { continue };
                let mut ring: Vec<String> = cycle[..cycle.len() - 1].iter().map(|f| short(f, root)).collect();
                let min = ring.iter().enumerate().min_by_key(|(_, s)| (*s).clone()).map_or(0, |(i, _)| i);
                ring.rotate_left(min);
                if seen.insert(ring.clone()) {
                    let shown: Vec<String> = cycle.iter().map(|f| short(f, root)).collect();
                    let _ = writeln!(out, "  {}", shown.join(" -> "));
                }
            }
        }
        out
    }

    /// Edges from files whose path starts with `from` to files whose path starts with `to`.
    pub fn edges_between(&self, from: &Path, to: &Path) -> Vec<(PathBuf, PathBuf)> {
        let mut out = Vec::new();
        for (file, targets) in &self.edges {
            if file.starts_with(from) {
                out.extend(targets.iter().filter(|t| t.starts_with(to)).map(|t| (file.clone(), t.clone())));
            }
        }
        out
    }

    /// Files, edges, edges between top-level components of `src`, and the largest fan-ins
    /// and fan-outs.
    pub fn summary(&self, root: &Path) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} files, {} import edges", self.edges.len(), self.edge_count());
        let component = |f: &Path| {
            let rel = f.strip_prefix(root.join("src")).unwrap_or(f);
            let mut parts = rel.components();
            match (parts.next(), parts.next()) {
                (Some(dir), Some(_)) => dir.as_os_str().to_string_lossy().into_owned(),
                (Some(file), None) => file.as_os_str().to_string_lossy().trim_end_matches(".rs").to_string(),
                _ => String::from("?"),
            }
        };
        let mut between: BTreeMap<(String, String), usize> = BTreeMap::new();
        let mut fan_in: BTreeMap<&PathBuf, usize> = BTreeMap::new();
        for (file, targets) in &self.edges {
            for t in targets {
                *fan_in.entry(t).or_default() += 1;
                let (a, b) = (component(file), component(t));
                if a != b {
                    *between.entry((a, b)).or_default() += 1;
                }
            }
        }
        let _ = writeln!(out, "between components (edges):");
        for ((a, b), n) in &between {
            let _ = writeln!(out, "  {a} -> {b}: {n}");
        }
        let mut ins: Vec<_> = fan_in.into_iter().collect();
        ins.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let _ = writeln!(out, "most imported:");
        for (f, n) in ins.iter().take(8) {
            let _ = writeln!(out, "  {n:3}  {}", short(f, root));
        }
        let mut outs: Vec<_> = self.edges.iter().map(|(f, t)| (f, t.len())).collect();
        outs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let _ = writeln!(out, "most importing:");
        for (f, n) in outs.iter().take(8) {
            let _ = writeln!(out, "  {n:3}  {}", short(f, root));
        }
        out
    }
}

/// `path` relative to `root`, for printing.
pub fn short(path: &Path, root: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}
