//! The templates: read from `templates/`, refused when a macro can call itself or includes form
//! a cycle (Tera has no recursion limit, so such a template could overflow the stack on some
//! page), then parsed into one Tera instance. Syntax errors (every file's), a missing parent or
//! macro file, and cycles are diagnostics located at the line of the template. The sources are
//! kept ([`TemplateSources`]) so render errors can be located too (see
//! [`crate::render::locate`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use tera::Tera;
use walkdir::WalkDir;

use crate::base::diagnostic::{did_you_mean, display_path, line_col, Diagnostic};

/// One template file: its name (path inside `templates/`) and text.
pub(crate) type TemplateSource = (String, String);

/// Reads every file under `dir` (names are paths relative to it, `/`-separated).
pub(crate) fn read(root: &Path, dir: &Path) -> Result<Vec<TemplateSource>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    for entry in WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if let Some(problem) = crate::load::content::not_a_plain_file(root, &entry, "templates/") {
            return Err(vec![problem]);
        }
        if entry.file_type().is_file() {
            let name = crate::load::content::rel_path(dir, entry.path());
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => files.push((name, text)),
                Err(e) => {
                    return Err(vec![Diagnostic::error(
                        display_path(root, entry.path()),
                        0,
                        0,
                        format!("cannot read template: {e}"),
                    )])
                }
            }
        }
    }
    Ok(files)
}

/// The templates' texts by name, for locating errors in them.
#[derive(Debug, Default)]
pub(crate) struct TemplateSources<'a> {
    files: BTreeMap<&'a str, &'a str>,
}

impl<'a> TemplateSources<'a> {
    /// The sources of `files`.
    pub(crate) fn new(files: &'a [TemplateSource]) -> Self {
        TemplateSources {
            files: files
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .collect(),
        }
    }

    /// The text of template `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&'a str> {
        self.files.get(name).copied()
    }

    /// Every template's name, sorted.
    pub(crate) fn names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.files.keys().copied()
    }

    /// The templates `name` names in its `extends`, `include` and `import` tags, in order.
    pub(crate) fn uses(&self, name: &str) -> Vec<String> {
        let text = self.get(name).unwrap_or("");
        (tags(text).into_iter())
            .filter(|(_, is_tag, body)| {
                *is_tag && ["extends", "include", "import"].contains(&first_word(body))
            })
            .flat_map(|(_, _, body)| {
                let names = quoted(body);
                match first_word(body) {
                    // `import "x.html" as m`: only the file.
                    "import" => names.into_iter().take(1).collect(),
                    _ => names,
                }
            })
            .collect()
    }

    /// The aliases `name` imports macro files as: (alias, file).
    pub(crate) fn imports(&self, name: &str) -> Vec<(String, String)> {
        let text = self.get(name).unwrap_or("");
        (tags(text).into_iter())
            .filter(|(_, is_tag, _)| *is_tag)
            .filter_map(
                |(_, _, body)| match body.split_whitespace().collect::<Vec<_>>()[..] {
                    ["import", path, "as", alias, ..] => Some((alias.to_string(), unquote(path))),
                    _ => None,
                },
            )
            .collect()
    }

    /// The macros `name` defines, in order.
    pub(crate) fn macros(&self, name: &str) -> Vec<String> {
        let text = self.get(name).unwrap_or("");
        (tags(text).into_iter())
            .filter(|(_, is_tag, _)| *is_tag)
            .filter_map(
                |(_, _, body)| match body.split_whitespace().collect::<Vec<_>>()[..] {
                    ["macro", head, ..] => Some(head.split('(').next().unwrap_or(head).to_string()),
                    _ => None,
                },
            )
            .collect()
    }
}

/// The first word of a tag's content.
pub(crate) fn first_word(body: &str) -> &str {
    body.split_whitespace().next().unwrap_or("")
}

/// Parses `files` into one Tera instance (autoescaping HTML, XML and SVG); `dir` names the
/// folder in diagnostics.
pub(crate) fn parse(dir: &Path, files: &[TemplateSource]) -> Result<Tera, Vec<Diagnostic>> {
    let cycles = check_recursion(files);
    if !cycles.is_empty() {
        return Err(cycles);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    tera.set_escape_fn(escape_html);
    match tera.add_raw_templates(files.to_vec()) {
        Ok(()) => Ok(tera),
        Err(e) => Err(parse_problems(dir, files, &e)),
    }
}

/// Escapes text for HTML and XML, text or quoted attribute: `&`, `<`, `>`, `"` and `'`, and
/// nothing else. (Tera's own escaping also writes `/` as `&#x2F;`, which no quoted attribute
/// or text needs, and which made every URL in the pages unreadable.)
pub(crate) fn escape_html(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for c in input.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            _ => out.push(c),
        }
    }
    out
}

/// Why the templates did not load, located: every file's syntax errors (Tera stops at the
/// first), else the extends or import that names a missing template, or a cycle of extends.
fn parse_problems(dir: &Path, files: &[TemplateSource], e: &tera::Error) -> Vec<Diagnostic> {
    let syntax: Vec<Diagnostic> = (files.iter())
        .filter_map(|(name, text)| {
            let e = tera::Template::new(name, None, text).err()?;
            Some(syntax_problem(&dir.join(name), text, &e.to_string()))
        })
        .collect();
    if !syntax.is_empty() {
        return syntax;
    }
    let sources = TemplateSources::new(files);
    let names: Vec<&str> = sources.names().collect();
    let at = |file: &str, tag: &str, target: &str, message: String, hint: String| {
        let text = sources.get(file).unwrap_or("");
        let offset = (tags(text).into_iter())
            .find(|(_, is_tag, body)| {
                *is_tag && first_word(body) == tag && quoted(body).iter().any(|q| q == target)
            })
            .map(|(offset, _, _)| offset);
        let (line, col) = offset.map_or((0, 0), |o| line_col(text, o));
        Diagnostic::error(dir.join(file), line, col, message)
            .with_hint(hint)
            .with_source(text)
    };
    let missing = |target: &str| match did_you_mean(target, names.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("the templates are: {}", names.join(", ")),
    };
    let problem = match &e.kind {
        tera::ErrorKind::MissingParent { current, parent } => at(
            current,
            "extends",
            parent,
            format!("`{current}` extends `{parent}`, which is not a template"),
            missing(parent),
        ),
        tera::ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => {
            let parent = inheritance_chain.first().map_or("", String::as_str);
            let mut chain = vec![tpl.as_str()];
            chain.extend(inheritance_chain.iter().map(String::as_str));
            at(
                tpl,
                "extends",
                parent,
                format!("templates extend each other: {}", chain.join(" → ")),
                "a template extends one that does not extend it back".into(),
            )
        }
        tera::ErrorKind::Msg(m) if m.contains("loads macros from") => {
            let names: Vec<&str> = m.split('`').skip(1).step_by(2).collect();
            match names[..] {
                [file, target, ..] => at(
                    file,
                    "import",
                    target,
                    format!("`{file}` imports macros from `{target}`, which is not a template"),
                    missing(target),
                ),
                _ => Diagnostic::error(dir, 0, 0, format!("template error: {m}")),
            }
        }
        _ => Diagnostic::error(
            dir,
            0,
            0,
            format!(
                "template error: {}",
                crate::base::diagnostic::error_chain(e)
            ),
        ),
    };
    vec![problem]
}

/// A Tera syntax error (pest's report: `--> line:col`, the line, `= expected …`) as a
/// diagnostic of `path`.
fn syntax_problem(path: &Path, text: &str, report: &str) -> Diagnostic {
    let position = report
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))
        .and_then(|p| p.trim().split_once(':'))
        .and_then(|(l, c)| Some((l.parse().ok()?, c.parse().ok()?)));
    let said = report
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("= "))
        .unwrap_or_else(|| report.lines().next().unwrap_or(report));
    let (line, col) = position.unwrap_or((0, 0));
    if let Some(d) = unclosed_block(path, text, said, (line, col)) {
        return d;
    }
    Diagnostic::error(path, line, col, format!("syntax error: {said}"))
        .with_hint("Tera's syntax: https://keats.github.io/tera/docs/#templates")
        .with_source(text)
}

/// The tags that open a block, each closed by `end` and its name.
const BLOCK_TAGS: &[&str] = &["if", "for", "block", "macro", "filter", "raw"];

/// When Tera `said` it wanted an `end…` tag at `at` (line, column): the block left open,
/// located where it opened, naming the tag that closes it and where Tera noticed.
fn unclosed_block(path: &Path, text: &str, said: &str, at: (usize, usize)) -> Option<Diagnostic> {
    let kind = BLOCK_TAGS
        .iter()
        .find(|k| said.contains(&format!("an end{k} tag")))?;
    let offset = offset_of(text, at)?;
    let open = open_blocks(&text[..offset]);
    let &(start, _) = open.iter().rev().find(|(_, k)| k == kind)?;
    let start = text[..start].rfind("{%").unwrap_or(start);
    let (line, col) = line_col(text, start);
    let found = text[offset..].lines().next().unwrap_or("").trim();
    let found = found.split_inclusive("%}").next().unwrap_or(found);
    Some(
        Diagnostic::error(
            path,
            line,
            col,
            format!("`{{% {kind} %}}` is not closed: `{{% end{kind} %}}` is missing"),
        )
        .with_hint(format!(
            "add `{{% end{kind} %}}` where the `{kind}` block ends; Tera noticed at line {}, column {}: `{found}`",
            at.0, at.1
        ))
        .with_source(text),
    )
}

/// The byte offset of a 1-based (line, column in characters) of `text`.
fn offset_of(text: &str, (line, col): (usize, usize)) -> Option<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let rest = text.get(start..)?;
    let within = rest
        .char_indices()
        .nth(col.checked_sub(1)?)
        .map_or(rest.len(), |(i, _)| i);
    Some(start + within)
}

/// The blocks `text` leaves open ([`tags`]): the offset of each opening tag's content and its
/// name, outermost first.
fn open_blocks(text: &str) -> Vec<(usize, &'static str)> {
    let mut open: Vec<(usize, &'static str)> = Vec::new();
    for (at, _, tag) in tags(text).into_iter().filter(|(_, is_tag, _)| *is_tag) {
        let word = tag.split_whitespace().next().unwrap_or("");
        let in_raw = open.last().is_some_and(|(_, k)| *k == "raw");
        if let Some(kind) = BLOCK_TAGS.iter().find(|k| **k == word).filter(|_| !in_raw) {
            open.push((at, kind));
        } else if let Some(kind) = word.strip_prefix("end") {
            if let Some(p) = open.iter().rposition(|(_, k)| *k == kind) {
                if !in_raw || kind == "raw" {
                    open.truncate(p);
                }
            }
        }
    }
    open
}

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
pub(crate) fn check_recursion(templates: &[(String, String)]) -> Vec<Diagnostic> {
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

/// The `{% … %}` tags (true) and `{{ … }}` expressions (false) of a template, with the byte
/// offset of their content and the content without whitespace-control dashes.
pub(crate) fn tags(text: &str) -> Vec<(usize, bool, &str)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(found) = text[pos..].find('{') {
        let start = pos + found;
        let (close, is_tag) = match text[start + 1..].chars().next() {
            Some('%') => ("%}", true),
            Some('{') => ("}}", false),
            Some('#') => ("#}", false),
            _ => {
                pos = start + 1;
                continue;
            }
        };
        let Some(len) = text[start + 2..].find(close) else {
            break;
        };
        let inner = &text[start + 2..start + 2 + len];
        if !text[start + 1..].starts_with('#') {
            let trimmed = inner.trim_start_matches('-').trim_start();
            let lead = inner.len() - trimmed.len();
            out.push((
                start + 2 + lead,
                is_tag,
                trimmed.trim_end().trim_end_matches('-').trim_end(),
            ));
        }
        pos = start + 2 + len + 2;
    }
    out
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

fn unquote(s: &str) -> String {
    s.trim_matches(|c| c == '"' || c == '\'' || c == '`')
        .to_string()
}

/// The quoted strings in `s` (include targets, possibly a list).
fn quoted(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(['"', '\'', '`']) {
        let quote = &rest[i..i + 1];
        let after = &rest[i + 1..];
        let Some(len) = after.find(quote) else { break };
        out.push(after[..len].to_string());
        rest = &after[len + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_left_open_is_found() {
        let text =
            "{% block a %}{% for x in y %}{% if x %}{{ x }}{% endif %}{% if z %}\n{# {% if %} #}";
        let open: Vec<(usize, &str)> = open_blocks(text);
        let kinds: Vec<&str> = open.iter().map(|(_, k)| *k).collect();
        assert_eq!(kinds, ["block", "for", "if"]);
        assert_eq!(&text[open[2].0..open[2].0 + 4], "if z");
        assert_eq!(open_blocks("{% raw %}{% if %}{% endraw %}"), []);
        assert_eq!(offset_of("ab\ncd", (2, 2)), Some(4));
    }

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
    fn every_files_syntax_errors_and_missing_parents_are_located() {
        let files = |list: &[(&str, &str)]| -> Vec<TemplateSource> {
            list.iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect()
        };
        let dir = Path::new("templates");
        let d = parse(
            dir,
            &files(&[("a.html", "ok\n{{ x }"), ("b.html", "{% if x %}")]),
        )
        .unwrap_err();
        let at: Vec<_> = d
            .iter()
            .map(|d| (d.location(), d.message.clone()))
            .collect();
        assert_eq!(at.len(), 2, "{at:?}");
        assert_eq!(at[0].0, "templates/a.html:2:6");
        assert!(at[0].1.starts_with("syntax error: expected"), "{at:?}");
        let d = parse(
            dir,
            &files(&[
                ("base.html", ""),
                ("p.html", "\n{% extends \"bsae.html\" %}"),
            ]),
        )
        .unwrap_err();
        assert_eq!(d[0].location(), "templates/p.html:2:4");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `base.html`?"));
    }

    #[test]
    fn escaping_leaves_urls_readable() {
        assert_eq!(
            escape_html("https://a.org/x?a=1&b=<\"'>"),
            "https://a.org/x?a=1&amp;b=&lt;&quot;&#x27;&gt;"
        );
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(escape_html);
        tera.add_raw_template("a.html", "<a href=\"{{ u }}\">{{ t }}</a>")
            .unwrap();
        let mut c = tera::Context::new();
        c.insert("u", "https://example.org/en/models/x.html");
        c.insert("t", "A / B <i>");
        assert_eq!(
            tera.render("a.html", &c).unwrap(),
            "<a href=\"https://example.org/en/models/x.html\">A / B &lt;i&gt;</a>"
        );
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
