//! What one source file says about modules: the `mod` items it declares (outlined or inline),
//! the paths of its `use` trees, and the `crate::…`/`super::…`-style paths in its code.

use super::lexer::{Tok, tokens};

/// A `mod name;` item whose body lives in another file.
#[derive(Debug, Clone)]
pub struct ModDecl {
    /// Inline modules (`mod tests { … }`) around the declaration, outermost first.
    pub scope: Vec<String>,
    /// The module's name.
    pub name: String,
    /// The value of a `#[path = "…"]` attribute on it.
    pub path_attr: Option<String>,
}

/// A path written in the file, as segments (`["super", "retry", "Retry"]`).
#[derive(Debug, Clone)]
pub struct PathRef {
    /// Inline modules around the path, outermost first.
    pub scope: Vec<String>,
    /// The segments; a leading `::` (extern crate) is kept as a `"::"` segment.
    pub segments: Vec<String>,
    /// For a `use` leaf: the name it brings into scope (`as` alias or last segment), if any.
    pub binds: Option<String>,
}

/// Everything [`parse`] found in one file.
#[derive(Debug, Default)]
pub struct FileFacts {
    /// Outlined `mod` declarations.
    pub mods: Vec<ModDecl>,
    /// Inline modules, as their scope path within the file.
    pub inline_mods: Vec<Vec<String>>,
    /// Leaves of `use` trees, in source order.
    pub uses: Vec<PathRef>,
    /// Paths with at least two segments in code outside `use` items.
    pub paths: Vec<PathRef>,
}

/// Reads the module facts out of `src`.
pub fn parse(src: &str) -> FileFacts {
    let t = tokens(src);
    let mut facts = FileFacts::default();
    let mut scope: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut pending_inline: Option<String> = None;
    let mut pending_path: Option<String> = None;
    let mut i = 0;
    while i < t.len() {
        let names = || scope.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
        match &t[i] {
            Tok::Punct('#') => {
                if let (Some(Tok::Punct('[')), Some(Tok::Ident(a)), Some(Tok::Punct('=')), Some(Tok::Str(p))) =
                    (t.get(i + 1), t.get(i + 2), t.get(i + 3), t.get(i + 4))
                    && a == "path"
                {
                    pending_path = Some(p.clone());
                    i += 5;
                    continue;
                }
                i += 1;
            }
            Tok::Ident(kw) if kw == "mod" => {
                if let Some(Tok::Ident(name)) = t.get(i + 1) {
                    match t.get(i + 2) {
                        Some(Tok::Punct(';')) => {
                            facts.mods.push(ModDecl {
                                scope: names(),
                                name: name.clone(),
                                path_attr: pending_path.take(),
                            });
                            i += 3;
                            continue;
                        }
                        Some(Tok::Open) => pending_inline = Some(name.clone()),
                        _ => {}
                    }
                    i += 2;
                } else {
                    i += 1;
                }
            }
            Tok::Ident(kw) if kw == "use" => {
                let here = names();
                i += 1;
                let mut leaves = Vec::new();
                use_tree(&t, &mut i, Vec::new(), &mut leaves);
                while i < t.len() && t[i] != Tok::Punct(';') {
                    i += 1;
                }
                for (segments, binds) in leaves {
                    facts.uses.push(PathRef { scope: here.clone(), segments, binds });
                }
            }
            Tok::Ident(first) if t.get(i + 1) == Some(&Tok::PathSep) && !after_path_sep(&t, i) => {
                let mut segments = vec![first.clone()];
                let mut j = i + 1;
                while t.get(j) == Some(&Tok::PathSep) {
                    match t.get(j + 1) {
                        Some(Tok::Ident(s)) => {
                            segments.push(s.clone());
                            j += 2;
                        }
                        _ => break,
                    }
                }
                facts.paths.push(PathRef { scope: names(), segments, binds: None });
                i = j;
            }
            Tok::Open => {
                depth += 1;
                if let Some(name) = pending_inline.take() {
                    scope.push((name, depth));
                    facts.inline_mods.push(names_of(&scope));
                }
                pending_path = None;
                i += 1;
            }
            Tok::Close => {
                if scope.last().is_some_and(|(_, d)| *d == depth) {
                    scope.pop();
                }
                depth = depth.saturating_sub(1);
                pending_path = None;
                i += 1;
            }
            Tok::Punct(';') => {
                pending_path = None;
                i += 1;
            }
            _ => i += 1,
        }
    }
    facts
}

fn names_of(scope: &[(String, usize)]) -> Vec<String> {
    scope.iter().map(|(n, _)| n.clone()).collect()
}

/// True when the identifier at `i` continues a path (`a::b`: `b` is not a path start).
fn after_path_sep(t: &[Tok], i: usize) -> bool {
    i > 0 && t[i - 1] == Tok::PathSep
}

/// One use tree from `t[*i]`, appending `(segments, bound name)` leaves. A glob binds nothing;
/// `self` in a group stands for the group's prefix.
fn use_tree(t: &[Tok], i: &mut usize, prefix: Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    let mut path = prefix;
    if t.get(*i) == Some(&Tok::PathSep) {
        if path.is_empty() {
            path.push("::".to_string());
        }
        *i += 1;
    }
    loop {
        match t.get(*i) {
            Some(Tok::Ident(s)) => {
                path.push(s.clone());
                *i += 1;
                if t.get(*i) == Some(&Tok::PathSep) {
                    *i += 1;
                    continue;
                }
                if path.len() > 1 && path.last().map(String::as_str) == Some("self") {
                    path.pop();
                }
                let mut bound = path.last().cloned();
                if let (Some(Tok::Ident(kw)), Some(Tok::Ident(alias))) = (t.get(*i), t.get(*i + 1))
                    && kw == "as"
                {
                    bound = Some(alias.clone());
                    *i += 2;
                }
                out.push((path, bound));
                return;
            }
            Some(Tok::Punct('*')) => {
                *i += 1;
                out.push((path, None));
                return;
            }
            Some(Tok::Open) => {
                *i += 1;
                while let Some(tok) = t.get(*i) {
                    match tok {
                        Tok::Close => {
                            *i += 1;
                            return;
                        }
                        Tok::Punct(',') => *i += 1,
                        _ => {
                            let before = *i;
                            use_tree(t, i, path.clone(), out);
                            if *i == before {
                                *i += 1;
                            }
                        }
                    }
                }
                return;
            }
            _ => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn use_trees_paths_and_modules() {
        let src = r#"
            #[cfg(test)]
            #[path = "x_tests.rs"]
            mod tests;
            pub mod child;
            use crate::a::{self, b::{C, D as E}, f::*};
            use super::g;
            use ::ext::h;
            fn run() { let x = crate::k::l::M::new(); super::super::n(x); }
            mod inner { use super::*; fn q() { child::z(); } }
        "#;
        let f = parse(src);
        let mods: Vec<_> = f.mods.iter().map(|m| (m.name.as_str(), m.path_attr.as_deref())).collect();
        assert_eq!(mods, [("tests", Some("x_tests.rs")), ("child", None)]);
        let uses: Vec<_> =
            f.uses.iter().map(|u| (u.segments.join("::"), u.binds.clone(), u.scope.join("::"))).collect();
        let s = |a: &str, b: Option<&str>, c: &str| (a.to_string(), b.map(str::to_string), c.to_string());
        assert_eq!(
            uses,
            [
                s("crate::a", Some("a"), ""),
                s("crate::a::b::C", Some("C"), ""),
                s("crate::a::b::D", Some("E"), ""),
                s("crate::a::f", None, ""),
                s("super::g", Some("g"), ""),
                s("::::ext::h", Some("h"), ""),
                s("super", None, "inner"),
            ]
        );
        let paths: Vec<_> = f.paths.iter().map(|p| (p.segments.join("::"), p.scope.join("::"))).collect();
        assert_eq!(
            paths,
            [
                ("crate::k::l::M::new".to_string(), String::new()),
                ("super::super::n".to_string(), String::new()),
                ("child::z".to_string(), "inner".to_string()),
            ]
        );
        assert_eq!(f.inline_mods, [vec!["inner".to_string()]]);
    }
}
