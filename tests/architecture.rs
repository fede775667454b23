//! The crate's architecture, checked from its source: no import cycle between modules, and each
//! layer folder uses only the layers before it (the order `src/lib.rs` documents). A module's
//! dependencies are the modules its code names — `crate::a::b` paths, `super::x`, and its own
//! child modules used by relative path — outside its `#[cfg(test)]` tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The layers, bottom first: a folder may use the folders before it, never those after.
const LAYERS: [&str; 12] = [
    "base",
    "model",
    "templates",
    "load",
    "write",
    "markup",
    "view",
    "outputs",
    "render",
    "build",
    "commands",
    "cli",
];

/// Module path (`render::print`) → source without tests and comments.
fn modules() -> BTreeMap<String, String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !rel.ends_with(".rs") || rel.starts_with("bin/") || rel == "main.rs" {
            continue;
        }
        let mut parts: Vec<&str> = rel.trim_end_matches(".rs").split('/').collect();
        if matches!(parts.last(), Some(&"mod") | Some(&"lib")) {
            parts.pop();
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or("");
        let code: String = code
            .lines()
            .map(|l| match l.trim_start().starts_with("//") {
                true => "",
                false => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        out.insert(parts.join("::"), code);
    }
    out
}

/// Identifier characters.
fn ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths that follow `prefix` in `code`: `crate::a::b::C` → `a::b::C`.
fn paths_after<'a>(code: &'a str, prefix: &str) -> Vec<&'a str> {
    code.match_indices(prefix)
        .filter(|(i, _)| !code[..*i].ends_with(|c: char| ident(c) || c == ':'))
        .map(|(i, _)| {
            let rest = &code[i + prefix.len()..];
            let end = rest
                .find(|c: char| !(ident(c) || c == ':'))
                .unwrap_or(rest.len());
            rest[..end].trim_end_matches(':')
        })
        .collect()
}

/// The longest module of `mods` that `path` (`a::b::Item`) starts with.
fn module_of(path: &str, mods: &BTreeMap<String, String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").collect();
    (1..=parts.len())
        .rev()
        .map(|k| parts[..k].join("::"))
        .find(|m| mods.contains_key(m))
}

/// Each module's dependencies on other modules of the crate.
fn dependencies(mods: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, code) in mods {
        let deps = edges.entry(m.clone()).or_default();
        for path in paths_after(code, "crate::") {
            deps.extend(module_of(path, mods));
        }
        let parent = m.rsplit_once("::").map_or("", |(p, _)| p);
        for path in paths_after(code, "super::") {
            let full = if parent.is_empty() {
                path.to_string()
            } else {
                format!("{parent}::{path}")
            };
            deps.extend(module_of(&full, mods));
        }
        // Child modules named by relative path (`print::PrintPlan`, `use print::Piece;`).
        let children: Vec<&str> = code
            .lines()
            .filter_map(|l| {
                let l = l
                    .trim()
                    .trim_start_matches("pub ")
                    .trim_start_matches("pub(crate) ");
                l.strip_prefix("mod ")?.strip_suffix(';')
            })
            .collect();
        for child in children {
            let uses = paths_after(code, &format!("{child}::")).len()
                + code.matches(&format!("self::{child}::")).count();
            let full = if m.is_empty() {
                child.to_string()
            } else {
                format!("{m}::{child}")
            };
            if uses > 0 && mods.contains_key(&full) {
                deps.insert(full);
            }
        }
        deps.remove(m);
    }
    edges
}

/// The cycles of `edges` (strongly connected components of more than one module).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Kosaraju: finish order on the graph, then components on its reverse.
    fn visit(
        v: &str,
        e: &BTreeMap<String, BTreeSet<String>>,
        seen: &mut BTreeSet<String>,
        out: &mut Vec<String>,
    ) {
        if !seen.insert(v.to_string()) {
            return;
        }
        for w in e.get(v).into_iter().flatten() {
            visit(w, e, seen, out);
        }
        out.push(v.to_string());
    }
    let mut order = Vec::new();
    let mut seen = BTreeSet::new();
    for v in edges.keys() {
        visit(v, edges, &mut seen, &mut order);
    }
    let mut reverse: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (v, ws) in edges {
        for w in ws {
            reverse.entry(w.clone()).or_default().insert(v.clone());
        }
    }
    let mut assigned = BTreeSet::new();
    let mut out = Vec::new();
    for v in order.iter().rev() {
        let mut component = Vec::new();
        visit(v, &reverse, &mut assigned, &mut component);
        if component.len() > 1 {
            component.sort();
            out.push(component);
        }
    }
    out
}

#[test]
fn no_module_imports_itself_through_others() {
    let mods = modules();
    assert!(mods.len() > 40, "found only {} modules", mods.len());
    let found = cycles(&dependencies(&mods));
    assert!(
        found.is_empty(),
        "import cycles between modules: {found:#?}"
    );
}

#[test]
fn layers_use_only_the_layers_before_them() {
    let mods = modules();
    let layer = |m: &str| {
        let top = m.split("::").next().unwrap_or("");
        LAYERS.iter().position(|l| *l == top)
    };
    let mut wrong = Vec::new();
    for (m, deps) in dependencies(&mods) {
        let Some(own) = layer(&m) else { continue };
        for d in deps {
            if layer(&d).is_some_and(|l| l > own) {
                wrong.push(format!("{m} uses {d}"));
            }
        }
    }
    assert!(wrong.is_empty(), "a layer uses a later one: {wrong:#?}");
    let lib =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let documented: Vec<usize> = LAYERS[..LAYERS.len() - 1]
        .iter()
        .map(|l| {
            (lib.find(&format!("- [`{l}`]")))
                .or_else(|| lib.find(&format!("- `{l}`")))
                .unwrap_or_else(|| panic!("lib.rs does not document `{l}`"))
        })
        .collect();
    assert!(
        documented.windows(2).all(|w| w[0] < w[1]),
        "lib.rs lists the layers out of order"
    );
}

#[test]
fn the_checker_sees_cycles_and_relative_paths() {
    let mut mods = BTreeMap::new();
    mods.insert("a".to_string(), "pub mod b;\nuse b::Thing;".to_string());
    mods.insert("a::b".to_string(), "use crate::c::X;".to_string());
    mods.insert("c".to_string(), "fn f() { crate::a::g() }".to_string());
    let edges = dependencies(&mods);
    assert_eq!(edges["a"], BTreeSet::from(["a::b".to_string()]));
    assert_eq!(
        cycles(&edges),
        vec![vec!["a".to_string(), "a::b".into(), "c".into()]]
    );
}

#[test]
fn only_the_template_adapter_names_tera() {
    let naming: Vec<String> = (modules().into_iter())
        .filter(|(m, code)| {
            !(m == "templates" || m.starts_with("templates::"))
                && paths_after(code, "tera::").into_iter().next().is_some()
        })
        .map(|(m, _)| m)
        .collect();
    assert!(
        naming.is_empty(),
        "modules naming `tera::` outside the adapter: {naming:?}"
    );
}
