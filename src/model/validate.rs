//! Checks pages against the site: vocabulary terms, lineage targets, external URLs, dates, the
//! fields each kind of work requires, trend pages' strand, leftover `TODO` placeholders and
//! missing translations. Every finding is a positioned diagnostic; nothing stops at the first.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::base::diagnostic::{did_you_mean, Diagnostic};
use crate::base::frontmatter::{self, Split};
use crate::load::content::{Page, PageMetaKind, WORKS_DIR};
use crate::model::config::SiteConfig;
use crate::model::schema::{Layout, PageMeta, PartialDate, WorkMeta};

/// Fields a work page must fill (non-empty) for its `kind`, besides those every work requires
/// (`title`, `kind`, `strand`, `theme`, `summary`). Kinds not listed require nothing more.
pub const KIND_REQUIREMENTS: &[(&str, &[&str])] = &[
    ("dataset", &["data_scale"]),
    ("benchmark", &["data_scale"]),
    ("method", &["headline"]),
    ("perspective", &["venue"]),
];

/// The marker of unfinished text (as left by `medfm new`); reported as a warning.
pub const PLACEHOLDER: &str = "TODO";

/// All findings for `pages`. `today` bounds dates (a date after it is an error).
pub fn validate(pages: &[Page], config: &SiteConfig, today: PartialDate) -> Vec<Diagnostic> {
    let works: HashMap<&str, &WorkMeta> = pages
        .iter()
        .filter_map(|p| p.work().map(|w| (p.slug.as_str(), w)))
        .collect();
    // Pages are checked in parallel; their findings keep the page order.
    pages
        .par_iter()
        .flat_map_iter(|page| {
            let mut out = Vec::new();
            let text = &page.texts[&config.default_language];
            let Ok(split) = frontmatter::split(&text.file.to_string_lossy(), &text.file_text)
            else {
                return out;
            };
            let at = Locator {
                page,
                split: &split,
                config,
            };
            match &page.meta {
                PageMetaKind::Work(work) => {
                    out.extend(check_work(&at, work, &works, today));
                    out.extend(kind_requirements(&at, work));
                }
                PageMetaKind::Section(meta) => out.extend(check_section(&at, meta)),
            }
            out.extend(missing_translations(page, config));
            out.extend(
                page.texts
                    .values()
                    .flat_map(|t| placeholders(&t.file, &t.file_text)),
            );
            out
        })
        .collect()
}

struct Locator<'a> {
    page: &'a Page,
    split: &'a Split<'a>,
    config: &'a SiteConfig,
}

impl Locator<'_> {
    fn error(&self, field: &str, value: &str, message: String) -> Diagnostic {
        let text = &self.page.texts[&self.config.default_language];
        let (line, col) = frontmatter::locate_value(self.split, field, value).unwrap_or((1, 1));
        Diagnostic::error(&text.file, line, col, message).with_source(&text.file_text)
    }

    /// Checks that `value` of front-matter `field` is a term of `vocabulary`.
    fn term(&self, field: &str, vocabulary: &str, value: &str) -> Option<Diagnostic> {
        let vocab = self.config.vocabularies.get(vocabulary)?;
        if vocab.contains_key(value) {
            return None;
        }
        let allowed: Vec<&str> = vocab.keys().map(String::as_str).collect();
        let message = match did_you_mean(value, allowed.iter().copied()) {
            Some(best) => format!("unknown {vocabulary} \"{value}\" (did you mean \"{best}\"?)"),
            None => format!("unknown {vocabulary} \"{value}\""),
        };
        Some(
            self.error(field, value, message)
                .with_hint(format!("allowed: {}", allowed.join(", "))),
        )
    }

    /// An error pointing at top-level `key`, or at `fallback` when the key is absent.
    fn at_key(&self, key: &str, fallback: &str, message: String) -> Diagnostic {
        let text = &self.page.texts[&self.config.default_language];
        let (line, col) = frontmatter::locate_key(self.split, key)
            .or_else(|| frontmatter::locate_key(self.split, fallback))
            .unwrap_or((1, 1));
        Diagnostic::error(&text.file, line, col, message).with_source(&text.file_text)
    }
}

/// The fields of `KIND_REQUIREMENTS` that `work` leaves empty.
fn kind_requirements(at: &Locator<'_>, work: &WorkMeta) -> Vec<Diagnostic> {
    let Some((_, fields)) = KIND_REQUIREMENTS
        .iter()
        .find(|(kind, _)| *kind == work.kind)
    else {
        return Vec::new();
    };
    let Ok(serde_yaml::Value::Mapping(values)) = serde_yaml::to_value(work) else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|field| values.get(**field).is_none_or(is_empty_value))
        .map(|field| {
            at.at_key(
                field,
                "kind",
                format!("`{field}` is required for a work of kind `{}`", work.kind),
            )
            .with_hint(format!(
                "fill in `{field}`; `medfm schema` describes every field"
            ))
        })
        .collect()
}

fn is_empty_value(value: &serde_yaml::Value) -> bool {
    match value {
        serde_yaml::Value::Null => true,
        serde_yaml::Value::String(s) => s.trim().is_empty(),
        serde_yaml::Value::Sequence(items) => items.is_empty(),
        _ => false,
    }
}

/// A trend page needs a strand; other layouts ignore it.
fn check_section(at: &Locator<'_>, meta: &PageMeta) -> Vec<Diagnostic> {
    let trend = at.page.layout() == Some(Layout::Trend);
    match &meta.strand {
        Some(strand) if trend => at.term("strand", "strand", strand).into_iter().collect(),
        Some(_) => {
            let mut d = at.at_key(
                "strand",
                "title",
                "`strand` is only used by trend pages".into(),
            );
            d.severity = crate::base::diagnostic::Severity::Warning;
            vec![d.with_hint("add `layout: trend`, or remove `strand`")]
        }
        None if trend => vec![at
            .at_key(
                "layout",
                "title",
                "a trend page needs `strand`: the strand whose works it lists".into(),
            )
            .with_hint("add e.g. `strand: modality-specific`")],
        None => Vec::new(),
    }
}

/// A warning for each line of `text` that still holds the `TODO` placeholder.
pub fn placeholders(file: &std::path::Path, text: &str) -> Vec<Diagnostic> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let byte = line.find(PLACEHOLDER)?;
            let col = line[..byte].chars().count() + 1;
            Some(
                Diagnostic::warning(
                    file,
                    i + 1,
                    col,
                    "unfinished: `TODO` placeholder left in the page",
                )
                .with_hint("replace it with the real text, or delete it")
                .with_source(text),
            )
        })
        .collect()
}

fn check_work(
    at: &Locator<'_>,
    work: &WorkMeta,
    works: &HashMap<&str, &WorkMeta>,
    today: PartialDate,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = [
        ("kind", "kind", &work.kind),
        ("strand", "strand", &work.strand),
        ("theme", "theme", &work.theme),
    ]
    .into_iter()
    .filter_map(|(field, vocab, value)| at.term(field, vocab, value))
    .collect();
    for (field, vocab, values) in [
        ("modalities", "modality", &work.modalities),
        ("organs", "organ", &work.organs),
        ("tasks", "task", &work.tasks),
    ] {
        out.extend(values.iter().filter_map(|v| at.term(field, vocab, v)));
    }
    for (field, targets) in [("builds_on", &work.builds_on), ("uses", &work.uses)] {
        out.extend(
            targets
                .iter()
                .filter_map(|t| check_target(at, field, t, works)),
        );
    }
    for link in &work.links {
        if let Some(problem) = url_problem(&link.url) {
            out.push(at.error(
                "links",
                &link.url,
                format!("invalid link URL `{}`: {problem}", link.url),
            ));
        }
    }
    if work.title.trim().is_empty() {
        out.push(at.error("title", "title", "`title` must not be empty".into()));
    }
    if work.summary.trim().is_empty() {
        out.push(at.error("summary", "summary", "`summary` must not be empty".into()));
    }
    if let Some(date) = work.date.filter(|d| *d > today) {
        out.push(at.error(
            "date",
            &date.iso(),
            format!("date {} is in the future", date.iso()),
        ));
    }
    out
}

fn check_target(
    at: &Locator<'_>,
    field: &str,
    target: &str,
    works: &HashMap<&str, &WorkMeta>,
) -> Option<Diagnostic> {
    if target == at.page.slug {
        return Some(at.error(
            field,
            target,
            format!("`{field}` names the page itself (`{target}`)"),
        ));
    }
    if works.contains_key(target) {
        return None;
    }
    let hint = match did_you_mean(target, works.keys().copied()) {
        Some(best) => {
            format!("did you mean \"{best}\"? targets are slugs of pages in content/{WORKS_DIR}/")
        }
        None => format!("targets are slugs of pages in content/{WORKS_DIR}/"),
    };
    Some(
        at.error(
            field,
            target,
            format!("`{field}` target \"{target}\" has no page"),
        )
        .with_hint(hint),
    )
}

/// Why `url` is not an acceptable external link, if it is not.
pub fn url_problem(url: &str) -> Option<&'static str> {
    let Some(rest) = url.strip_prefix("https://") else {
        return Some("external links must start with https://");
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || !host.contains('.') || host.starts_with('.') || host.ends_with('.') {
        return Some("missing or malformed host name");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
    {
        return Some("contains spaces, quotes or angle brackets");
    }
    None
}

fn missing_translations(page: &Page, config: &SiteConfig) -> Vec<Diagnostic> {
    let file = &page.texts[&config.default_language].file;
    config
        .language_codes()
        .skip(1)
        .filter(|lang| !page.texts.contains_key(*lang))
        .map(|lang| {
            let expected = file.with_extension(format!("{lang}.md"));
            Diagnostic::warning(
                file,
                0,
                0,
                format!(
                    "no `{lang}` translation ({} is missing)",
                    expected.display()
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(url_problem("https://arxiv.org/abs/1"), None);
        assert!(url_problem("http://arxiv.org").is_some());
        assert!(url_problem("https://localhost/x").is_some());
        assert!(url_problem("https://a.org/x y").is_some());
        assert!(url_problem("javascript:alert(1)").is_some());
    }
}
