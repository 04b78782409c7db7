//! The crates' module trees (which file holds which module) and the resolution of a written
//! path to the file of the deepest module it names.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::parse::{FileFacts, PathRef, parse};

/// A module: the crate it belongs to (its root file) and its path from that root.
pub type ModKey = (String, Vec<String>);

/// Every module of every crate root, and the parsed facts of every file reached.
#[derive(Debug, Default)]
pub struct Tree {
    /// Module → the file that holds it (an inline module is held by its file).
    pub modules: BTreeMap<ModKey, PathBuf>,
    /// File → (crate root, module path of the file itself).
    pub file_module: BTreeMap<PathBuf, ModKey>,
    /// File → what the file says.
    pub facts: BTreeMap<PathBuf, FileFacts>,
    /// `mod` declarations whose file was not found, as "declaring file: name".
    pub missing: Vec<String>,
    /// The library crate (the first root), which binaries name as [`LIB_NAME`].
    pub lib: String,
}

/// The crate name binaries use to reach the library (`meta_ads_sync::…`).
pub const LIB_NAME: &str = "meta_ads_sync";

impl Tree {
    /// Builds the module trees rooted at `roots` (e.g. `src/lib.rs`, `src/main.rs`), reading
    /// files through `read`. The first root is the library that the others can name as
    /// [`LIB_NAME`].
    pub fn build(roots: &[PathBuf], read: &dyn Fn(&Path) -> Option<String>) -> Tree {
        let lib = roots.first().map(|r| r.to_string_lossy().into_owned()).unwrap_or_default();
        let mut tree = Tree { lib, ..Tree::default() };
        for root in roots {
            let krate = root.to_string_lossy().into_owned();
            tree.add_file(&krate, root, Vec::new(), true, read);
        }
        tree
    }

    fn add_file(
        &mut self,
        krate: &str,
        file: &Path,
        module: Vec<String>,
        is_root: bool,
        read: &dyn Fn(&Path) -> Option<String>,
    ) {
        let Some(src) = read(file) else {
            return;
        };
        let facts = parse(&src);
        self.modules.insert((krate.to_string(), module.clone()), file.to_path_buf());
        self.file_module.insert(file.to_path_buf(), (krate.to_string(), module.clone()));
        for inline in &facts.inline_mods {
            let key = (krate.to_string(), [module.clone(), inline.clone()].concat());
            self.modules.insert(key, file.to_path_buf());
        }
        let dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
        let owns_dir = is_root || file.file_name().is_some_and(|n| n == "mod.rs");
        let base = if owns_dir { dir.clone() } else { dir.join(file.file_stem().unwrap_or_default()) };
        let mut children = Vec::new();
        for m in &facts.mods {
            let child_module = [module.clone(), m.scope.clone(), vec![m.name.clone()]].concat();
            let candidates = match &m.path_attr {
                Some(p) => vec![m.scope.iter().fold(dir.clone(), |d, s| d.join(s)).join(p)],
                None => {
                    let b = m.scope.iter().fold(base.clone(), |d, s| d.join(s));
                    vec![b.join(format!("{}.rs", m.name)), b.join(&m.name).join("mod.rs")]
                }
            };
            match candidates.into_iter().find(|c| read(c).is_some()) {
                Some(child) => children.push((child, child_module)),
                None => self.missing.push(format!("{}: mod {}", file.display(), m.name)),
            }
        }
        self.facts.insert(file.to_path_buf(), facts);
        for (child, child_module) in children {
            self.add_file(krate, &child, child_module, false, read);
        }
    }

    fn is_module(&self, krate: &str, path: &[String]) -> bool {
        self.modules.contains_key(&(krate.to_string(), path.to_vec()))
    }

    /// The absolute module path a written path starts from, and the rest of its segments;
    /// `None` for paths into other crates (std, dependencies) or local items.
    fn anchor(
        &self,
        file: &Path,
        r: &PathRef,
        aliases: &BTreeMap<String, ModKey>,
    ) -> Option<(ModKey, Vec<String>)> {
        let (krate, file_mod) = self.file_module.get(file)?;
        let here = [file_mod.clone(), r.scope.clone()].concat();
        let (first, rest) = r.segments.split_first()?;
        match first.as_str() {
            "crate" => Some(((krate.clone(), Vec::new()), rest.to_vec())),
            "self" => Some(((krate.clone(), here), rest.to_vec())),
            "super" => {
                let mut base = here;
                let mut segs = r.segments.as_slice();
                while let Some((s, tail)) = segs.split_first()
                    && s == "super"
                {
                    base.pop();
                    segs = tail;
                }
                Some(((krate.clone(), base), segs.to_vec()))
            }
            LIB_NAME if *krate != self.lib => Some(((self.lib.clone(), Vec::new()), rest.to_vec())),
            name if self.is_module(krate, &[here.clone(), vec![name.to_string()]].concat()) => {
                Some(((krate.clone(), here), r.segments.clone()))
            }
            name => aliases.get(name).map(|m| (m.clone(), rest.to_vec())),
        }
    }

    /// The deepest module named by `r` written in `file`: the module itself for `use a::b`
    /// when `b` is a module, else the module that holds the item.
    pub fn resolve(&self, file: &Path, r: &PathRef, aliases: &BTreeMap<String, ModKey>) -> Option<ModKey> {
        let ((krate, base), rest) = self.anchor(file, r, aliases)?;
        let full = [base, rest].concat();
        (0..=full.len())
            .rev()
            .map(|n| (krate.clone(), full[..n].to_vec()))
            .find(|k| self.modules.contains_key(k))
    }

    /// The names a file's `use` items bind to whole modules (`use crate::graph;` binds
    /// `graph`), so that later `graph::client::X` paths resolve too.
    pub fn aliases(&self, file: &Path) -> BTreeMap<String, ModKey> {
        let mut aliases = BTreeMap::new();
        let Some(facts) = self.facts.get(file) else {
            return aliases;
        };
        for u in &facts.uses {
            let Some(name) = &u.binds else { continue };
            if let Some(((krate, base), rest)) = self.anchor(file, u, &aliases) {
                let full = [base, rest].concat();
                if self.is_module(&krate, &full) {
                    aliases.insert(name.clone(), (krate, full));
                }
            }
        }
        aliases
    }
}
