//! The module tree has no import circles: each module's `crate::` references (outside its
//! unit tests) form a graph without cycles, so every layer can be read and changed on its own
//! (ARCHITECTURE.md describes the layers).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module path (`policy::compile`) → source text of each file under `src/` (not the binary).
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap().with_extension("");
            let mut name = rel.to_string_lossy().replace('/', "::");
            if let Some(parent) = name.strip_suffix("::mod") {
                name = parent.to_owned();
            }
            if name == "lib" || name == "main" || name.starts_with("cli") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = match text.find("#[cfg(test)]\nmod tests") {
                Some(i) => &text[..i],
                None => &text[..],
            };
            // Comments (doc links included) are not imports.
            let code: String = code
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            out.insert(name, code);
        }
    }
    out
}

/// Which modules each module refers to (`crate::a::b::Item` → the longest known module).
fn graph(modules: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut g = BTreeMap::new();
    for (name, code) in modules {
        let mut uses = BTreeSet::new();
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            let segments: Vec<&str> = rest[..end].split("::").filter(|s| !s.is_empty()).collect();
            for k in (1..=segments.len()).rev() {
                let target = segments[..k].join("::");
                if modules.contains_key(&target) {
                    let nested = name.starts_with(&format!("{target}::"))
                        || target.starts_with(&format!("{name}::"));
                    if target != *name && !nested {
                        uses.insert(target);
                    }
                    break;
                }
            }
        }
        g.insert(name.clone(), uses);
    }
    g
}

/// A cycle through `start`, if there is one (depth-first search, iterative).
fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    for start in g.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in &g[&node] {
                if next == start {
                    let mut c = path.clone();
                    c.push(start.clone());
                    return Some(c);
                }
                if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    None
}

#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let modules = modules();
    assert!(
        modules.len() > 30,
        "the modules were found: {}",
        modules.len()
    );
    let g = graph(&modules);
    assert!(
        g["policy::condition"].contains("policy::model"),
        "the graph sees imports"
    );
    if let Some(c) = cycle(&g) {
        panic!("import circle: {}", c.join(" → "));
    }
}

#[test]
fn the_cycle_finder_finds_a_circle() {
    let mut g = BTreeMap::new();
    g.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    g.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
    g.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(cycle(&g).unwrap().len(), 4);
    g.get_mut("c").unwrap().clear();
    assert!(cycle(&g).is_none());
}
