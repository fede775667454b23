//! Bounds on template execution. Tera has no loop or recursion limit and a site's templates run
//! once per page, so a template could hang the build (an endless or enormous loop) or abort it
//! with a stack overflow (a macro or include that calls itself). Two guards:
//!
//! - [`check_recursion`] refuses, when the templates are loaded, every macro that can call
//!   itself (directly or through other macros, across imports) and every include cycle, with the
//!   file and line. Our templates never need recursion (trees are drawn in Rust), and refusing it
//!   is the only bound that does not depend on the stack size.
//! - [`TemplateGuard`] times every render: when one page's template runs longer than the budget,
//!   a watchdog thread prints an error naming the template and the page, removes the staging
//!   folder and ends the process with status 1. Tera cannot be interrupted, so ending the process
//!   is the only way to stop a runaway loop; the previous site is untouched because the staging
//!   folder is never committed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::base::diagnostic::{line_col, Diagnostic};

/// Longest one page's template may run before the build is stopped.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(20);
/// Environment variable overriding [`DEFAULT_BUDGET`], in seconds (used by tests).
pub const BUDGET_ENV: &str = "MEDFM_TEMPLATE_TIMEOUT";

/// A macro or a template file, as a node of the call graph.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    File(String),
    Macro(String, String),
}

/// Where a call appears, for the diagnostic.
#[derive(Debug, Clone)]
struct Site {
    file: String,
    offset: usize,
}

type Graph = BTreeMap<Node, Vec<(Node, Site)>>;

/// Every recursive macro and include cycle in `templates` (name → source), one diagnostic per
/// cycle, located at the call that closes it.
pub fn check_recursion(templates: &[(String, String)]) -> Vec<Diagnostic> {
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
fn find_cycle(graph: &Graph, start: &Node) -> Option<Vec<(Node, Site)>> {
    let mut seen = BTreeSet::new();
    let mut path = Vec::new();
    dfs(graph, start, start, &mut seen, &mut path).then_some(path)
}

fn dfs(
    graph: &Graph,
    target: &Node,
    node: &Node,
    seen: &mut BTreeSet<Node>,
    path: &mut Vec<(Node, Site)>,
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
                        let site = Site {
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
                    let site = Site {
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
fn tags(text: &str) -> Vec<(usize, bool, &str)> {
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

/// Renders in flight: id → (start, template, page).
#[derive(Debug, Default)]
struct State {
    running: HashMap<u64, (Instant, String, String)>,
    next: u64,
    stop: bool,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    cleanup: Mutex<Vec<PathBuf>>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Times template renders and stops the build when one runs past the budget (see the module
/// documentation). The watchdog thread starts with the first render and stops on drop.
#[derive(Debug)]
pub struct TemplateGuard {
    budget: Duration,
    shared: Arc<Shared>,
    thread: OnceLock<JoinHandle<()>>,
    progress: OnceLock<Arc<crate::commands::progress::Progress>>,
}

impl Default for TemplateGuard {
    fn default() -> Self {
        let budget = std::env::var(BUDGET_ENV)
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0)
            .map_or(DEFAULT_BUDGET, Duration::from_secs_f64);
        TemplateGuard::new(budget)
    }
}

/// A render being timed; dropping it ends the timing.
#[derive(Debug)]
pub struct Ticket<'a> {
    guard: &'a TemplateGuard,
    id: u64,
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.guard.shared.lock().running.remove(&self.id);
        if let Some(progress) = self.guard.progress.get() {
            progress.page_done();
        }
    }
}

impl TemplateGuard {
    /// A guard allowing `budget` per render.
    pub fn new(budget: Duration) -> Self {
        TemplateGuard {
            budget,
            shared: Arc::default(),
            thread: OnceLock::new(),
            progress: OnceLock::new(),
        }
    }

    /// Counts every finished render into `progress`.
    pub fn count_into(&self, progress: Arc<crate::commands::progress::Progress>) {
        let _ = self.progress.set(progress);
    }

    /// The folders removed before the process ends on a timeout (the build's staging and
    /// scratch folders).
    pub fn set_cleanup(&self, dirs: Vec<PathBuf>) {
        *self
            .shared
            .cleanup
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = dirs;
    }

    /// Starts timing the render of `template` for page `url`.
    pub fn watch(&self, template: &str, url: &str) -> Ticket<'_> {
        self.thread
            .get_or_init(|| spawn_watchdog(Arc::clone(&self.shared), self.budget));
        let mut state = self.shared.lock();
        let id = state.next;
        state.next += 1;
        state
            .running
            .insert(id, (Instant::now(), template.to_string(), url.to_string()));
        Ticket { guard: self, id }
    }
}

impl Drop for TemplateGuard {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn spawn_watchdog(shared: Arc<Shared>, budget: Duration) -> JoinHandle<()> {
    let tick = (budget / 10).clamp(Duration::from_millis(10), Duration::from_millis(250));
    std::thread::spawn(move || loop {
        let state = shared.lock();
        let (state, _) = shared
            .wake
            .wait_timeout(state, tick)
            .unwrap_or_else(PoisonError::into_inner);
        if state.stop {
            return;
        }
        let overdue = state
            .running
            .values()
            .filter(|(start, _, _)| start.elapsed() > budget)
            .min_by_key(|(start, _, _)| *start)
            .cloned();
        drop(state);
        if let Some((_, template, url)) = overdue {
            stop_build(&shared, &template, &url, budget);
        }
    })
}

fn stop_build(shared: &Shared, template: &str, url: &str, budget: Duration) -> ! {
    eprintln!(
        "templates/{template}: error: rendering {url} took longer than {} s; stopped\n  = help: look for a loop that never ends or grows too large in templates/{template} (or a template it includes)",
        budget.as_secs_f64()
    );
    let dirs = std::mem::take(
        &mut *shared
            .cleanup
            .lock()
            .unwrap_or_else(PoisonError::into_inner),
    );
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
    eprintln!("error: build failed; nothing was written");
    std::process::exit(1)
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

    #[test]
    fn fast_renders_pass_the_guard() {
        let guard = TemplateGuard::new(Duration::from_secs(5));
        for _ in 0..100 {
            let _t = guard.watch("x.html", "x.html");
        }
        assert!(guard.shared.lock().running.is_empty());
    }
}
