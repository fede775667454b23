//! Loading: the site's templates parsed into one Tera instance, once recursion is refused
//! ([`super::recursion`]). Syntax errors (every file's, where Tera stops at the first), a missing
//! parent or macro file, and cycles of `extends` are diagnostics located at the line of the
//! template.

use std::path::Path;

use tera::Tera;

use super::defaults::DEFAULTS;
use super::escape::{escape_html, EscapeXml};
use super::recursion::check_recursion;
use super::source::{first_word, quoted, tags, TemplateSource, TemplateSources};
use super::texts;
use crate::base::diagnostic::{did_you_mean, error_chain, line_col, Diagnostic};

/// Parses `files` into one Tera instance (autoescaping HTML, XML and SVG), with the default
/// templates ([`super::defaults`]) the files do not replace; `dir` names the folder in
/// diagnostics.
pub(crate) fn parse(dir: &Path, files: &[TemplateSource]) -> Result<Tera, Vec<Diagnostic>> {
    let cycles = check_recursion(files);
    if !cycles.is_empty() {
        return Err(cycles);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    tera.set_escape_fn(escape_html);
    tera.register_filter("escape_xml", EscapeXml);
    let defaults = (DEFAULTS.iter())
        .filter(|(name, _)| !files.iter().any(|(file, _)| file == name))
        .map(|(name, text)| (name.to_string(), text.to_string()));
    match tera.add_raw_templates(files.iter().cloned().chain(defaults)) {
        Ok(()) => Ok(tera),
        Err(e) => Err(parse_problems(dir, files, &e)),
    }
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
        tera::ErrorKind::Msg(m) if m.contains(texts::LOADS_MACROS) => {
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
        _ => Diagnostic::error(dir, 0, 0, format!("template error: {}", error_chain(e))),
    };
    vec![problem]
}

/// A Tera syntax error (pest's report: `--> line:col`, the line, `= expected …`) as a
/// diagnostic of `path`.
fn syntax_problem(path: &Path, text: &str, report: &str) -> Diagnostic {
    let position = report
        .lines()
        .find_map(|l| l.trim_start().strip_prefix(texts::SYNTAX_AT))
        .and_then(|p| p.trim().split_once(':'))
        .and_then(|(l, c)| Some((l.parse().ok()?, c.parse().ok()?)));
    let said = report
        .lines()
        .find_map(|l| l.trim_start().strip_prefix(texts::SYNTAX_SAID))
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
    let kind = (texts::CLOSED_BLOCKS.iter()).find(|k| said.contains(&texts::end_tag(k)))?;
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
}
