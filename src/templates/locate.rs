//! Template errors, located. Tera reports a render error with the template it was asked to
//! render and what failed — a filter, function or test it does not know, a variable missing from
//! the context, a macro, an included template — but with no line, and often not the file: an
//! error in `base.html` is reported as one of the page's template. The construct named in the
//! error is looked for in the templates the page's template extends, includes and imports (those
//! the error names first), and the error is reported there, with its source line and a hint:
//! where a missing value comes from (the page's front matter, `strings.<lang>` in site.yaml, the
//! variables each kind of page receives), or the names that do exist. The page goes along with
//! [`Diagnostic::on_page`], so one mistake on many pages is reported once.

use std::collections::VecDeque;

use serde_json::{Map, Value};
use tera::{Context, ErrorKind, Tera};

use super::source::{first_word, tags, TemplateSources};
use super::texts;
use crate::base::diagnostic::{error_chain, line_col, Diagnostic};

/// Filters of other template languages (Liquid, Jinja, Go templates) under their Tera names.
const OTHER_FILTER_NAMES: &[(&str, &str)] = &[
    ("upcase", "upper"),
    ("uppercase", "upper"),
    ("downcase", "lower"),
    ("lowercase", "lower"),
    ("size", "length"),
    ("count", "length"),
    ("len", "length"),
    ("strip", "trim"),
    ("lstrip", "trim_start"),
    ("rstrip", "trim_end"),
    ("strip_html", "striptags"),
    ("escape_once", "escape"),
    ("e", "escape"),
    ("append", "concat"),
    ("truncatewords", "truncate"),
    ("jsonify", "json_encode"),
    ("tojson", "json_encode"),
    ("to_json", "json_encode"),
    ("uniq", "unique"),
    ("sort_by", "sort"),
];

/// Tera's name of filter `name` of another template language (`upcase` → `upper`), else
/// `name`.
fn tera_name(name: &str) -> &str {
    (OTHER_FILTER_NAMES.iter())
        .find(|(other, _)| *other == name)
        .map_or(name, |(_, tera)| tera)
}

/// Filters, tests and functions Tera 1 may define; those of this build are asked of Tera.
const FILTERS: &[&str] = &[
    "abs",
    "addslashes",
    "as_str",
    "capitalize",
    "concat",
    "date",
    "default",
    "escape",
    "escape_xml",
    "filesizeformat",
    "filter",
    "first",
    "float",
    "get",
    "group_by",
    "indent",
    "int",
    "join",
    "json_encode",
    "last",
    "length",
    "linebreaksbr",
    "lower",
    "map",
    "nth",
    "pluralize",
    "replace",
    "reverse",
    "round",
    "safe",
    "slice",
    "slugify",
    "sort",
    "spaceless",
    "split",
    "striptags",
    "title",
    "trim",
    "trim_end",
    "trim_end_matches",
    "trim_start",
    "trim_start_matches",
    "truncate",
    "unique",
    "upper",
    "urlencode",
    "urlencode_strict",
    "wordcount",
];
const TESTS: &[&str] = &[
    "containing",
    "defined",
    "divisibleby",
    "ending_with",
    "even",
    "iterable",
    "matching",
    "number",
    "object",
    "odd",
    "starting_with",
    "string",
    "undefined",
];
const FUNCTIONS: &[&str] = &["get_env", "get_random", "now", "range", "throw"];

/// Where the values of a template variable come from, for the hint of a key it lacks.
#[derive(Debug, Clone)]
pub(crate) struct Origin {
    /// The variable, e.g. `t` or `page`.
    pub(crate) variable: String,
    /// What it holds, e.g. "the UI strings of site.yaml".
    pub(crate) holds: String,
    /// The site.yaml keys a missing key is added under, e.g. `strings.zh`.
    pub(crate) declared_in: Vec<String>,
}

/// What a render error is about.
#[derive(Debug, Clone, PartialEq)]
enum Construct {
    Filter(String),
    Function(String),
    Test(String),
    Variable(String),
    Macro(String, String),
    Namespace(String),
    Include(String),
}

/// The template's view of a failed render.
pub(crate) struct Failure<'a> {
    /// Every template's parsed form (for its parents and the filters it knows).
    pub(crate) tera: &'a Tera,
    /// Every template's text.
    pub(crate) sources: &'a TemplateSources<'a>,
    /// The template rendered.
    pub(crate) template: &'a str,
    /// What it was rendered with (none when the context could not be made).
    pub(crate) context: Option<&'a Context>,
    /// Where the context's values come from.
    pub(crate) origins: &'a [Origin],
}

impl Failure<'_> {
    /// `error` as a diagnostic located in the template that holds what failed, for the page
    /// `page`.
    pub(crate) fn diagnose(&self, error: &tera::Error, page: &str) -> Diagnostic {
        let links = chain(error);
        let constructs: Vec<Construct> = (links.iter().rev())
            .filter_map(|link| construct(link, true))
            .collect();
        let candidates = self.candidates(&links);
        let found = constructs.iter().find_map(|c| {
            candidates
                .iter()
                .find_map(|file| Some((file.as_str(), find(c, self.sources.get(file)?)?)))
        });
        let primary = links.last().and_then(|link| construct(link, false));
        let message = match &primary {
            Some(c) => describe(c),
            None => links
                .iter()
                .map(|(_, m)| m.as_str())
                .filter(|m| !m.starts_with(texts::FAILED_TO_RENDER))
                .collect::<Vec<_>>()
                .join(": "),
        };
        let message = if message.is_empty() {
            error_chain(error)
        } else {
            message
        };
        let (file, line, col) = match found {
            Some((file, offset)) => {
                let (line, col) = line_col(self.sources.get(file).unwrap_or(""), offset);
                (file, line, col)
            }
            None => (
                candidates.first().map_or(self.template, String::as_str),
                0,
                0,
            ),
        };
        let mut d = Diagnostic::error(format!("templates/{file}"), line, col, message)
            .with_source(self.sources.get(file).unwrap_or(""))
            .on_page(page);
        if let Some(hint) = primary.and_then(|c| self.hint(&c, file)) {
            d = d.with_hint(hint);
        }
        d
    }

    /// The templates to look in, most likely first: those the error names, then the template,
    /// its parents, and what they include and import (transitively).
    fn candidates(&self, links: &[(Option<&ErrorKind>, String)]) -> Vec<String> {
        let mut reachable = Vec::new();
        let mut queue: VecDeque<String> = VecDeque::from([self.template.to_string()]);
        if let Ok(t) = self.tera.get_template(self.template) {
            queue.extend(t.parents.iter().cloned());
        }
        while let Some(name) = queue.pop_front() {
            if self.sources.get(&name).is_none() || reachable.contains(&name) {
                continue;
            }
            queue.extend(self.sources.uses(&name));
            reachable.push(name);
        }
        let mut named: Vec<String> = Vec::new();
        for (_, message) in links.iter().rev() {
            for name in quoted_names(message) {
                if reachable.contains(&name) && !named.contains(&name) {
                    named.push(name);
                }
            }
            // `error while rendering macro `m::card``: the files defining `card`.
            if let Some(rest) = message.split(texts::IN_MACRO).nth(1) {
                let name = rest.split('`').next().unwrap_or("");
                let name = name.rsplit("::").next().unwrap_or(name);
                for file in &reachable {
                    if self.sources.macros(file).iter().any(|m| m == name) && !named.contains(file)
                    {
                        named.push(file.clone());
                    }
                }
            }
        }
        named.extend(
            reachable
                .into_iter()
                .filter(|r| !named.contains(r))
                .collect::<Vec<_>>(),
        );
        named
    }

    /// How to fix the error about `c`, found in `file`.
    fn hint(&self, c: &Construct, file: &str) -> Option<String> {
        let known = |all: &[&'static str], exists: &dyn Fn(&str) -> bool| -> Vec<&'static str> {
            all.iter().copied().filter(|n| exists(n)).collect()
        };
        let tera = self.tera;
        let suggest = |name: &str, what: &str, names: Vec<&str>| match did_you_mean(
            name,
            names.iter().copied(),
        ) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("{what}: {}", names.join(", ")),
        };
        match c {
            Construct::Filter(name) if tera.get_filter(tera_name(name)).is_ok() => Some(format!(
                "did you mean `{}`? `{name}` is its name in other template languages",
                tera_name(name)
            )),
            Construct::Filter(name) => Some(suggest(
                name,
                "the filters are",
                known(FILTERS, &|n| {
                    n == "safe" || n == "default" || tera.get_filter(n).is_ok()
                }),
            )),
            Construct::Test(name) => Some(suggest(
                name,
                "the tests are",
                known(TESTS, &|n| tera.get_tester(n).is_ok()),
            )),
            Construct::Function(name) => Some(suggest(
                name,
                "the functions are",
                known(FUNCTIONS, &|n| tera.get_function(n).is_ok()),
            )),
            Construct::Include(name) => Some(suggest(
                name,
                "the templates are",
                self.sources.names().collect(),
            )),
            Construct::Namespace(ns) => {
                let imported: Vec<String> = (self.sources.imports(file).into_iter())
                    .map(|(alias, path)| format!("`{alias}` ({path})"))
                    .collect();
                let with_macros: Vec<&str> = (self.sources.names())
                    .filter(|n| !self.sources.macros(n).is_empty())
                    .collect();
                let example = with_macros.first().copied().unwrap_or("macros.html");
                Some(match imported.is_empty() {
                    true => format!(
                        "import the macros first: {{% import \"{example}\" as {ns} %}}"
                    ),
                    false => format!(
                        "{file} imports {}; import others with {{% import \"{example}\" as {ns} %}}",
                        imported.join(", ")
                    ),
                })
            }
            Construct::Macro(ns, name) => {
                let defining = match ns.as_str() {
                    "self" => Some(file.to_string()),
                    _ => (self.sources.imports(file).into_iter())
                        .find(|(alias, _)| alias == ns)
                        .map(|(_, path)| path),
                }?;
                let macros = self.sources.macros(&defining);
                let names = macros.iter().map(String::as_str).collect();
                Some(format!(
                    "`{ns}` is {defining}; {}",
                    suggest(name, "its macros are", names)
                ))
            }
            Construct::Variable(path) => Some(self.variable_hint(path, file)),
        }
    }

    /// Where the missing variable `path` would come from, and what there is instead.
    fn variable_hint(&self, path: &str, file: &str) -> String {
        let segments: Vec<&str> = path.split('.').collect();
        let root = segments[0].split('[').next().unwrap_or("");
        let json = self.context.map(|c| c.clone().into_json());
        let Some(top) = json.as_ref().filter(|v| v.get(root).is_some()) else {
            return self.unknown_root_hint(path, root, file, json.as_ref());
        };
        if path.contains('[') {
            return format!(
                "the key looked up in `{root}` is not there on this page; test it first \
                 ({{% if … in {root} %}}) or give a default (`| default(value=…)`)"
            );
        }
        let mut value = top;
        let mut depth = 0;
        while depth < segments.len() {
            match value.get(segments[depth]) {
                Some(next) => {
                    value = next;
                    depth += 1;
                }
                None => break,
            }
        }
        let parent = segments[..depth].join(".");
        let missing = segments.get(depth).copied().unwrap_or("");
        match value {
            Value::Null => format!(
                "`{parent}` is empty on this page: test it first, {{% if {parent} %}}…{{% endif %}}"
            ),
            Value::Object(map) => self.missing_key_hint(&parent, missing, map),
            _ => format!("`{parent}` is not a map, so it has no `{missing}`; {SCHEMA}"),
        }
    }

    /// [`Self::variable_hint`] when the page's context has no `root`: a variable `file` sets
    /// itself, or a misspelt one of the context (`json`).
    fn unknown_root_hint(
        &self,
        path: &str,
        root: &str,
        file: &str,
        json: Option<&Value>,
    ) -> String {
        if let Some(what) = local(self.sources.get(file).unwrap_or(""), root) {
            return format!(
                "`{root}` is {what} in {file}; the value given to it has no `{}`; {SCHEMA}",
                path.strip_prefix(root)
                    .unwrap_or(path)
                    .trim_start_matches('.')
            );
        }
        let names: Vec<&str> = json
            .and_then(Value::as_object)
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let guess = did_you_mean(root, names.iter().copied())
            .map(|best| format!("did you mean `{best}`? "))
            .unwrap_or_default();
        format!("no variable `{root}` on this page; {guess}{SCHEMA}")
    }

    /// [`Self::variable_hint`] when the map `parent` (`map`) has no key `missing`: where
    /// site.yaml declares what it holds, a misspelt key, or the keys it has.
    fn missing_key_hint(&self, parent: &str, missing: &str, map: &Map<String, Value>) -> String {
        let keys: Vec<&str> = map.keys().map(String::as_str).collect();
        let guess = did_you_mean(missing, keys.iter().copied());
        match (self.origins.iter().find(|o| o.variable == parent), guess) {
            (Some(o), guess) => {
                let keys = (o.declared_in.iter())
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" and ");
                match guess {
                    Some(best) => format!(
                        "did you mean `{parent}.{best}`? `{parent}` holds {}; or add `{missing}` under {keys} in site.yaml",
                        o.holds
                    ),
                    None => format!(
                        "`{parent}` holds {}, with no `{missing}`: add it under {keys} in site.yaml",
                        o.holds
                    ),
                }
            }
            (None, Some(best)) => format!("did you mean `{parent}.{best}`? {SCHEMA}"),
            (None, None) => {
                let mut shown: Vec<&str> = keys.iter().copied().take(16).collect();
                if keys.len() > shown.len() {
                    shown.push("…");
                }
                format!(
                    "`{parent}` has no `{missing}`; it has {}; {SCHEMA}",
                    shown.join(", ")
                )
            }
        }
    }
}

/// Where a contributor learns what each kind of page receives.
const SCHEMA: &str =
    "`medfm schema --templates` (docs/templates.md) lists what each kind of page receives";

/// The links of a Tera error, outermost first: each its kind (when a Tera error) and text.
fn chain(error: &tera::Error) -> Vec<(Option<&ErrorKind>, String)> {
    let mut out = vec![(Some(&error.kind), error.to_string())];
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        let kind = s.downcast_ref::<tera::Error>().map(|e| &e.kind);
        out.push((kind, s.to_string()));
        source = s.source();
    }
    out
}

/// What one link of the chain is about, if it names a construct; `loosely`, any name a message
/// quotes is taken for a variable (to locate the error, never to describe it).
fn construct((kind, message): &(Option<&ErrorKind>, String), loosely: bool) -> Option<Construct> {
    let name = |s: &String| s.to_string();
    match kind {
        Some(ErrorKind::FilterNotFound(n) | ErrorKind::CallFilter(n)) => {
            return Some(Construct::Filter(name(n)))
        }
        Some(ErrorKind::FunctionNotFound(n) | ErrorKind::CallFunction(n)) => {
            return Some(Construct::Function(name(n)))
        }
        Some(ErrorKind::TestNotFound(n) | ErrorKind::CallTest(n)) => {
            return Some(Construct::Test(name(n)))
        }
        Some(ErrorKind::TemplateNotFound(n)) => {
            let n = n.trim_start_matches('[').trim_end_matches(']');
            return Some(Construct::Include(
                n.split(texts::INCLUDE_LIST_SEPARATOR)
                    .next()
                    .unwrap_or(n)
                    .to_string(),
            ));
        }
        _ => {}
    }
    let ticked: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    if message.starts_with(texts::VARIABLE) {
        return ticked.first().map(|v| Construct::Variable(v.to_string()));
    }
    if message.starts_with(texts::MACRO_NAMESPACE) {
        return ticked
            .first()
            .map(|ns| Construct::Namespace(ns.to_string()));
    }
    if message.starts_with(texts::MACRO) {
        let (ns, m) = ticked.first()?.split_once("::")?;
        return Some(Construct::Macro(ns.to_string(), m.to_string()));
    }
    if !loosely || message.starts_with(texts::FAILED_TO_RENDER) {
        return None;
    }
    // Any other message: a name it quotes, taken as a variable.
    ticked
        .into_iter()
        .find(|t| {
            !t.is_empty()
                && t.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
        })
        .map(|t| Construct::Variable(t.to_string()))
}

/// The short message for `c`.
fn describe(c: &Construct) -> String {
    match c {
        Construct::Filter(n) => format!("unknown filter `{n}`"),
        Construct::Function(n) => format!("unknown function `{n}`"),
        Construct::Test(n) => format!("unknown test `{n}`"),
        Construct::Variable(v) => format!("variable `{v}` not found"),
        Construct::Macro(ns, m) => format!("unknown macro `{ns}::{m}`"),
        Construct::Namespace(ns) => format!("unknown macro namespace `{ns}`"),
        Construct::Include(n) => format!("included template `{n}` not found"),
    }
}

/// The candidate closest to `word`: a likely typo (a small edit distance, a swap of two letters
/// counting one), or a longer name it
/// begins. Stricter than [`crate::base::diagnostic::did_you_mean`], since template names are
/// short (`t`, `m`) and would otherwise match inside any word.
fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (strsim::osa_distance(word, c), c))
        .filter(|(d, c)| {
            *d <= (word.len().min(c.len()) / 3).max(1) || (word.len() >= 4 && c.starts_with(word))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Names quoted `'like.html'` or after "template `" in an error message.
fn quoted_names(message: &str) -> Vec<String> {
    let mut out: Vec<String> = message
        .split(texts::NAME_QUOTE)
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    if let Some(rest) = message.split(texts::IN_TEMPLATE).nth(1) {
        out.push(rest.split('`').next().unwrap_or("").to_string());
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Byte positions in `body` where `word` stands alone (not part of a longer name or path) and
/// outside string literals.
fn occurrences(body: &str, word: &str) -> Vec<usize> {
    body.match_indices(word)
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = body[..i].chars().next_back();
            let after = body[i + word.len()..].chars().next();
            !before.is_some_and(|c| is_ident(c) || c == '.')
                && (word.ends_with(':') || !after.is_some_and(|c| is_ident(c) || c == '.'))
                && !in_string(&body[..i])
        })
        .collect()
}

/// True when the end of `before` is inside a string literal.
fn in_string(before: &str) -> bool {
    let mut open: Option<char> = None;
    for c in before.chars() {
        match open {
            Some(q) if c == q => open = None,
            None if matches!(c, '"' | '\'' | '`') => open = Some(c),
            _ => {}
        }
    }
    open.is_some()
}

/// The byte offset where `c` is written in `text`, if it is.
fn find(c: &Construct, text: &str) -> Option<usize> {
    let all = tags(text);
    let in_tag = |skip_tests: bool| {
        all.iter().find_map(|&(offset, is_tag, body)| {
            if skip_tests && is_tag && matches!(first_word(body), "if" | "elif") {
                return None;
            }
            position(c, is_tag, body).map(|at| offset + at)
        })
    };
    match c {
        // A variable tested by `if` is not an error there; look elsewhere first.
        Construct::Variable(_) => in_tag(true).or_else(|| in_tag(false)),
        _ => in_tag(false),
    }
}

/// Where `c` is in the content of one tag or expression.
fn position(c: &Construct, is_tag: bool, body: &str) -> Option<usize> {
    let before = |i: usize| body[..i].trim_end();
    let after = |i: usize, n: &str| body[i + n.len()..].trim_start();
    match c {
        Construct::Variable(path) => occurrences(body, path).into_iter().next(),
        Construct::Filter(name) => {
            if is_tag && first_word(body) == "filter" {
                if let Some(i) = occurrences(body, name).into_iter().next() {
                    return Some(i);
                }
            }
            (occurrences(body, name).into_iter()).find(|&i| before(i).ends_with('|'))
        }
        Construct::Function(name) => (occurrences(body, name).into_iter()).find(|&i| {
            after(i, name).starts_with('(')
                && !before(i).ends_with('|')
                && !before(i).ends_with("::")
                && first_word(body) != "macro"
        }),
        Construct::Test(name) => (occurrences(body, name).into_iter()).find(|&i| {
            let b = before(i);
            b.ends_with(" is") || b.ends_with(" is not")
        }),
        Construct::Macro(ns, name) => occurrences(body, &format!("{ns}::{name}"))
            .into_iter()
            .next(),
        Construct::Namespace(ns) => occurrences(body, &format!("{ns}::")).into_iter().next(),
        Construct::Include(name) => (is_tag && first_word(body) == "include")
            .then(|| body.find(name.as_str()))
            .flatten(),
    }
}

/// What makes `name` a local variable of `text`, if something does: a loop, a `set`, a macro
/// argument.
fn local(text: &str, name: &str) -> Option<String> {
    tags(text).into_iter().find_map(|(_, is_tag, body)| {
        let words: Vec<&str> = body.split_whitespace().collect();
        if !is_tag {
            return None;
        }
        match words.first().copied() {
            Some("for")
                if (words[1..].iter())
                    .take_while(|w| **w != "in")
                    .any(|w| w.trim_end_matches(',') == name) =>
            {
                Some("a loop variable".to_string())
            }
            Some("set" | "set_global") if words.get(1) == Some(&name) => {
                Some("set by `set`".to_string())
            }
            Some("macro") => {
                let (head, args) = body.split_once('(').unwrap_or((body, ""));
                let macro_name = head.trim_start_matches("macro").trim();
                (args.split([',', ')']))
                    .any(|a| a.split('=').next().unwrap_or("").trim() == name)
                    .then(|| format!("an argument of macro `{macro_name}`"))
            }
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnose(files: &[(&str, &str)], template: &str, context: &Context) -> Diagnostic {
        let owned: Vec<(String, String)> = files
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let sources = TemplateSources::new(&owned);
        let mut tera = Tera::default();
        tera.add_raw_templates(owned.clone()).unwrap();
        let error = tera.render(template, context).unwrap_err();
        let origins = [Origin {
            variable: "t".into(),
            holds: "the UI strings".into(),
            declared_in: vec!["strings.zh".into(), "strings.en".into()],
        }];
        Failure {
            tera: &tera,
            sources: &sources,
            template,
            context: Some(context),
            origins: &origins,
        }
        .diagnose(&error, "models/x.html")
    }

    fn context() -> Context {
        let mut c = Context::new();
        c.insert("t", &serde_json::json!({"home": "Home", "skip": "Skip"}));
        c.insert("page", &serde_json::json!({"title": "X", "prev": null}));
        c.insert("list", &serde_json::json!([{"title": "A"}]));
        c
    }

    const BASE: &str =
        "<html>\n<body>\n  <a>{{ t.hme }}</a>\n{% block main %}{% endblock main %}\n</body>";

    #[test]
    fn an_error_in_a_parent_is_located_there() {
        let d = diagnose(
            &[
                ("base.html", BASE),
                (
                    "page.html",
                    "{% extends \"base.html\" %}{% block main %}x{% endblock main %}",
                ),
            ],
            "page.html",
            &context(),
        );
        assert_eq!(
            d.to_string(),
            "templates/base.html:3:9: error: variable `t.hme` not found (rendering models/x.html)\n \
             3 |   <a>{{ t.hme }}</a>\n   |         ^\n  = help: did you mean `t.home`? `t` holds \
             the UI strings; or add `hme` under `strings.zh` and `strings.en` in site.yaml"
        );
    }

    #[test]
    fn filters_macros_and_includes_are_found_with_suggestions() {
        let macros = "{% macro card(w) %}\n<li>{{ w.title | upperr }}</li>\n{% endmacro card %}";
        let page = "{% import \"macros.html\" as m %}\n{% for w in list %}{{ m::card(w=w) }}{% endfor %}\n{{ m::cards(w=1) }}";
        let files = [("macros.html", macros), ("page.html", page)];
        let d = diagnose(&files, "page.html", &context());
        assert_eq!(
            (d.path.to_str(), d.line, d.col),
            (Some("templates/macros.html"), 2, 18)
        );
        assert_eq!(d.message, "unknown filter `upperr`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `upper`?"));

        let fixed = macros.replace("upperr", "upper");
        let files = [("macros.html", fixed.as_str()), ("page.html", page)];
        let d = diagnose(&files, "page.html", &context());
        assert_eq!(
            (d.path.to_str(), d.line, d.col),
            (Some("templates/page.html"), 3, 4)
        );
        assert_eq!(d.message, "unknown macro `m::cards`");
        assert_eq!(
            d.hint.as_deref(),
            Some("`m` is macros.html; did you mean `card`?")
        );

        let d = diagnose(
            &[
                ("page.html", "a\n{% include \"bsae.html\" %}"),
                ("base.html", ""),
            ],
            "page.html",
            &context(),
        );
        assert_eq!(
            (d.line, d.col, d.message.as_str()),
            (2, 13, "included template `bsae.html` not found")
        );
        assert_eq!(d.hint.as_deref(), Some("did you mean `base.html`?"));
    }

    /// The texts `construct` recognises are the ones Tera writes: one real error for each (the
    /// Tera these tests cover is pinned in Cargo.toml; a new Tera that rewords one fails here).
    #[test]
    fn every_tera_message_recognised_is_one_tera_writes() {
        let m = "{% macro card() %}{% endmacro card %}";
        let import = "{% import \"m.html\" as m %}";
        let cases = [
            (
                "{{ nope }}",
                "Variable `",
                Construct::Variable("nope".into()),
            ),
            (
                "{{ n::card() }}",
                "Macro namespace `",
                Construct::Namespace("n".into()),
            ),
            (
                "{{ m::cards() }}",
                "Macro `",
                Construct::Macro("m".into(), "cards".into()),
            ),
        ];
        for (body, prefix, expected) in cases {
            let mut tera = Tera::default();
            let page = format!("{import}{body}");
            tera.add_raw_templates([("m.html", m), ("p.html", page.as_str())])
                .unwrap();
            let error = tera.render("p.html", &context()).unwrap_err();
            let links = chain(&error);
            assert!(links[0].1.starts_with("Failed to render"), "{links:?}");
            let link = links.iter().find(|(_, text)| text.starts_with(prefix));
            let link = link.unwrap_or_else(|| panic!("no `{prefix}` in {links:?}"));
            assert_eq!(construct(link, false), Some(expected), "{body}");
        }
    }

    #[test]
    fn other_errors_keep_tera_words_and_are_located_by_what_they_name() {
        let d = diagnose(
            &[("p.html", "a\n{% for k, v in page.title %}{% endfor %}")],
            "p.html",
            &context(),
        );
        assert_eq!((d.line, d.col), (2, 16), "{d}");
        assert!(!d.message.starts_with("variable"), "{d}");
        assert!(d.message.contains("page.title"), "{d}");
    }

    #[test]
    fn variables_say_what_the_page_has() {
        let d = diagnose(
            &[(
                "p.html",
                "{% if page.prev %}{% endif %}{{ page.prev.title }}",
            )],
            "p.html",
            &context(),
        );
        assert_eq!(d.col, 33);
        assert!(d
            .hint
            .unwrap()
            .starts_with("`page.prev` is empty on this page"));
        let d = diagnose(&[("p.html", "{{ page.titel }}")], "p.html", &context());
        assert!(d
            .hint
            .unwrap()
            .starts_with("did you mean `page.title`? `medfm schema"));
        let d = diagnose(&[("p.html", "{{ page.summary }}")], "p.html", &context());
        assert!(d
            .hint
            .unwrap()
            .starts_with("`page` has no `summary`; it has prev, title;"));
        let d = diagnose(&[("p.html", "{{ pgae.title }}")], "p.html", &context());
        assert!(d
            .hint
            .unwrap()
            .starts_with("no variable `pgae` on this page; did you mean `page`?"));
        let d = diagnose(
            &[("p.html", "{% for x in list %}{{ x.url }}{% endfor %}")],
            "p.html",
            &context(),
        );
        assert!(d
            .hint
            .unwrap()
            .starts_with("`x` is a loop variable in p.html; the value given to it has no `url`"));
    }
}
