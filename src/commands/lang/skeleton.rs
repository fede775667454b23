//! The translation files `medfm lang add` writes: beside every page, a `<page>.<code>.md`
//! holding what a translation may hold — the translatable fields the schema declares
//! (`translation:` in site.yaml), then the headings of the page's body — each copied from the
//! default language and marked untranslated: `# untranslated (fr), copied from zh` after a
//! field, `<!-- untranslated (fr): … -->` under a heading. `medfm check` reports a file with
//! marks as one warning until its texts are translated and the marks removed.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Result;
use serde_yaml::Value;

use crate::base::diagnostic::Diagnostic;
use crate::base::failure::{Failure, Outcome};
use crate::load::{sorted, Project};
use crate::model::config::{SiteConfig, CONFIG_FILE};
use crate::model::languages::{body_mark, todo_mark};
use crate::model::page::{Page, PageFile};

/// A translation file to write.
#[derive(Debug)]
pub(super) struct Skeleton {
    pub(super) path: PathBuf,
    pub(super) text: String,
}

/// The translation into `code` of every page of the project, as the site.yaml `config_text`
/// (which has the language) reads them; an error when a page cannot be read.
pub(super) fn skeletons(
    project: &Project,
    config_text: &str,
    code: &str,
) -> Outcome<Vec<Skeleton>> {
    let config =
        SiteConfig::parse(CONFIG_FILE, config_text).map_err(|d| Failure::Found(sorted(d.0)))?;
    let tree = crate::load::content::read_tree(&project.root, &project.content_dir())?;
    let parsed = crate::model::parse::all_pages(&tree.files, &config);
    let errors: Vec<Diagnostic> = (parsed.problems.into_iter())
        .filter(Diagnostic::is_error)
        .collect();
    if !errors.is_empty() {
        return Err(Failure::Found(sorted(errors)));
    }
    let content = project.content_dir();
    Ok((parsed.pages.iter())
        .map(|page| Skeleton {
            path: content
                .join(&page.source)
                .with_extension(format!("{code}.md")),
            text: skeleton(page, &config, code),
        })
        .collect())
}

/// Writes each of `skeletons` whose file does not exist yet; returns how many were written.
pub(super) fn write_new(skeletons: &[Skeleton]) -> Result<usize> {
    let mut written = 0;
    for skeleton in skeletons {
        if crate::commands::new::create_new(&skeleton.path, &skeleton.text)? {
            written += 1;
        }
    }
    Ok(written)
}

/// The translation of `page` into `code`.
fn skeleton(page: &Page, config: &SiteConfig, code: &str) -> String {
    let default = config.default_language.as_str();
    let source = &page.files[default];
    let mark = format!("  {}, copied from {default}", todo_mark(code));
    let mut out = format!(
        "---\n# The `{code}` text of {}, written by `medfm lang add`. Each text marked\n\
         # `untranslated ({code})` is still the `{default}` text: translate it, then remove the mark.\n",
        source.file.display()
    );
    let schema = config.schema_of(page);
    for (at, &field) in schema.translation.iter().enumerate() {
        let text = page.values[field].as_str();
        if !text.trim().is_empty() || schema.translation_required[at] {
            out.push_str(&field_lines(&schema.fields[field].name, text, &mark));
        }
    }
    out.push_str("---\n");
    out.push_str(&body(source, code, default));
    out
}

/// The body: each heading of the source's, copied, with a mark under it; a mark alone for
/// text before the first heading.
fn body(source: &PageFile, code: &str, default: &str) -> String {
    let text = source.body();
    let lines: Vec<&str> = text.lines().collect();
    let first = source.outline.first().map_or(lines.len(), |h| h.line - 1);
    let mut out = String::new();
    if lines[..first.min(lines.len())]
        .iter()
        .any(|l| !l.trim().is_empty())
    {
        let what = match source.outline.is_empty() {
            true => "the text",
            false => "the text before the first heading",
        };
        let _ = writeln!(
            out,
            "\n{}: write here, in `{code}`, {what} of {}; then remove this line -->",
            body_mark(code),
            source.file.display()
        );
    }
    for heading in &source.outline {
        let written = lines.get(heading.line - 1).map(|l| l.trim_end());
        let line = match written {
            Some(l) if l.trim_start().starts_with('#') => l.to_string(),
            _ => heading.markdown(),
        };
        let _ = writeln!(
            out,
            "\n{line}\n\n{}: translate the `{default}` heading above and write its section \
             in `{code}`, then remove this line -->",
            body_mark(code)
        );
    }
    out
}

/// `name: text` as YAML, with `mark` (a comment) after the text: plain where that reads back
/// as `text`, else a literal block for text of several lines, else double-quoted.
fn field_lines(name: &str, text: &str, mark: &str) -> String {
    let plain = format!("{name}: {text}{mark}\n");
    let quoted = format!(
        "{name}: {}{mark}\n",
        serde_json::to_string(text).unwrap_or_default()
    );
    let candidates = match text.contains('\n') {
        true => vec![literal(name, text, mark), quoted],
        false => vec![plain, quoted],
    };
    let reads_back = |yaml: &String| {
        serde_yaml::from_str::<Value>(yaml)
            .is_ok_and(|v| v.get(name).and_then(Value::as_str) == Some(text))
    };
    let last = candidates.last().cloned().unwrap_or_default();
    candidates.into_iter().find(reads_back).unwrap_or(last)
}

/// `name: |` and the lines of `text`, indented.
fn literal(name: &str, text: &str, mark: &str) -> String {
    let chomp = match (text.ends_with("\n\n"), text.ends_with('\n')) {
        (true, _) => "+",
        (false, true) => "",
        (false, false) => "-",
    };
    let indent = if text.starts_with([' ', '\n']) {
        "2"
    } else {
        ""
    };
    let mut out = format!("{name}: |{indent}{chomp}{mark}\n");
    for line in text.lines() {
        match line.is_empty() {
            true => out.push('\n'),
            false => {
                let _ = writeln!(out, "  {line}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_written_plain_where_they_read_back() {
        let mark = "  # m";
        assert_eq!(field_lines("title", "MedSAM", mark), "title: MedSAM  # m\n");
        assert_eq!(
            field_lines("title", "a: b #c", mark),
            "title: \"a: b #c\"  # m\n"
        );
        assert_eq!(field_lines("title", "2024", mark), "title: \"2024\"  # m\n");
        assert_eq!(
            field_lines("summary", "one\n\ntwo", mark),
            "summary: |-  # m\n  one\n\n  two\n"
        );
        assert_eq!(
            field_lines("summary", " lead\n", mark),
            "summary: |2  # m\n   lead\n"
        );
    }
}
