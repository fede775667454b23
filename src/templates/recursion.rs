//! Recursion refused: Tera has no recursion limit, so a macro that can call itself (directly or
//! through others) or templates that include each other in a cycle could overflow the stack on
//! some page. Every such cycle is a diagnostic located at the call that closes it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::source::{quoted, tags, unquote};
use crate::base::diagnostic::{line_col, Diagnostic};

/// A macro or a template file, as a node of the call graph.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    File(String),
    Macro(String, String),
}

/// Where a call appears, for the diagnostic.
#[derive(Debug, Clone)]
struct CallSite {
    file: String,
    offset: usize,
}

type Graph = BTreeMap<Node, Vec<(Node, CallSite)>>;

/// Every recursive macro and include cycle in `templates` (name → source), one diagnostic per
/// cycle, located at the call that closes it.
pub(super) fn check_recursion(templates: &[(String, String)]) -> Vec<Diagnostic> {
    let graph = call_graph(templates);
    let sources: HashMap<&str, &str> = templates
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let mut reported: BTreeSet<Node> = BTreeSet::new();
    let mut out = Vec::new();
    for start in graph.keys() {
        if reported.contains(start) {
            continue;
        }
        if let Some(cycle) = find_cycle(&graph, start) {
            let (_, at) = cycle.last().expect("a cycle has a call").clone();
            let mut names: Vec<String> = cycle.iter().map(|(n, _)| describe(n)).collect();
            names.push(describe(start));
            reported.extend(cycle.into_iter().map(|(n, _)| n));
            let text = sources.get(at.file.as_str()).copied().unwrap_or("");
            let (line, col) = line_col(text, at.offset.min(text.len()));
            out.push(
                Diagnostic::error(
                    format!("templates/{}", at.file),
                    line,
                    col,
                    format!("{} calls itself: {}", describe(start), names.join(" → ")),
                )
                .with_hint(
                    "recursive macros and include cycles are not allowed: they could run for ever",
                )
                .with_source(text),
            );
        }
    }
    out
}

fn describe(node: &Node) -> String {
    match node {
        Node::File(f) => format!("template `{f}`"),
        Node::Macro(f, m) => format!("macro `{m}` of `{f}`"),
    }
}

/// A path of calls from `start` back to `start`, each node with the call that leaves it.
fn find_cycle(graph: &Graph, start: &Node) -> Option<Vec<(Node, CallSite)>> {
    let mut seen = BTreeSet::new();
    let mut path = Vec::new();
    dfs(graph, start, start, &mut seen, &mut path).then_some(path)
}

fn dfs(
    graph: &Graph,
    target: &Node,
    node: &Node,
    seen: &mut BTreeSet<Node>,
    path: &mut Vec<(Node, CallSite)>,
) -> bool {
    for (next, at) in graph.get(node).into_iter().flatten() {
        path.push((node.clone(), at.clone()));
        if next == target {
            return true;
        }
        if seen.insert(next.clone()) && dfs(graph, target, next, seen, path) {
            return true;
        }
        path.pop();
    }
    false
}

fn call_graph(templates: &[(String, String)]) -> Graph {
    let mut graph = Graph::new();
    for (file, text) in templates {
        let mut aliases: HashMap<String, String> = HashMap::new();
        aliases.insert("self".into(), file.clone());
        let mut current = Node::File(file.clone());
        graph.entry(current.clone()).or_default();
        for (offset, tag, body) in tags(text) {
            let words: Vec<&str> = body.split_whitespace().collect();
            match (tag, words.as_slice()) {
                (true, ["import", path, "as", alias, ..]) => {
                    aliases.insert(alias.to_string(), unquote(path));
                }
                (true, ["macro", head, ..]) => {
                    let name = head.split('(').next().unwrap_or(head).to_string();
                    current = Node::Macro(file.clone(), name);
                    graph.entry(current.clone()).or_default();
                }
                (true, ["endmacro", ..]) => current = Node::File(file.clone()),
                (true, ["include", rest @ ..]) => {
                    for target in quoted(&rest.join(" ")) {
                        let site = CallSite {
                            file: file.clone(),
                            offset,
                        };
                        graph
                            .entry(current.clone())
                            .or_default()
                            .push((Node::File(target), site));
                    }
                }
                _ => {}
            }
            for (alias, name, at) in macro_calls(body) {
                if let Some(target) = aliases.get(alias) {
                    let site = CallSite {
                        file: file.clone(),
                        offset: offset + at,
                    };
                    graph
                        .entry(current.clone())
                        .or_default()
                        .push((Node::Macro(target.clone(), name.to_string()), site));
                }
            }
        }
    }
    graph
}

/// `alias::name(` calls in an expression: (alias, name, offset).
fn macro_calls(body: &str) -> Vec<(&str, &str, usize)> {
    let mut out = Vec::new();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    for (i, _) in body.match_indices("::") {
        let alias_start = body[..i].rfind(|c: char| !ident(c)).map_or(0, |p| p + 1);
        let rest = &body[i + 2..];
        let name_len = rest.find(|c: char| !ident(c)).unwrap_or(rest.len());
        if alias_start < i && name_len > 0 && rest[name_len..].trim_start().starts_with('(') {
            out.push((&body[alias_start..i], &rest[..name_len], alias_start));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(files: &[(&str, &str)]) -> Vec<Diagnostic> {
        let owned: Vec<(String, String)> = files
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        check_recursion(&owned)
    }

    #[test]
    fn direct_recursion_is_located() {
        let d = check(&[(
            "m.html",
            "{% macro a(n) %}\n  {{ self::a(n=n) }}\n{% endmacro a %}",
        )]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line, d[0].col), (2, 6));
        assert!(
            d[0].message.contains("macro `a` of `m.html` calls itself"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn mutual_recursion_across_imports() {
        let d = check(&[
            (
                "a.html",
                "{% import \"b.html\" as b %}{% macro x() %}{{ b::y() }}{% endmacro %}",
            ),
            (
                "b.html",
                "{% import \"a.html\" as a %}{%- macro y() -%}{{ a::x() }}{%- endmacro -%}",
            ),
        ]);
        assert_eq!(d.len(), 1, "{d:?}");
    }

    #[test]
    fn include_cycles_are_found() {
        let d = check(&[
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "x {% include ['c.html', \"a.html\"] %}"),
            ("c.html", ""),
        ]);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("template `"));
    }

    #[test]
    fn the_real_templates_pass() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let files: Vec<(String, String)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read_to_string(&p).unwrap(),
                )
            })
            .collect();
        assert!(check_recursion(&files).is_empty());
        let plain = check(&[("m.html", "{% macro card(w) %}{{ w }}{% endmacro %}{% macro cards(l) %}{% for w in l %}{{ self::card(w=w) }}{% endfor %}{% endmacro %}")]);
        assert!(plain.is_empty());
    }
}
