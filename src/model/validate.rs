//! Checks pages against the declared model: vocabulary terms, reference targets, external URLs,
//! dates, required fields (also those a kind requires), the layout of the other pages and the
//! field a listing layout needs, leftover `TODO` placeholders and missing or incomplete
//! translations ([`translation`]). Every finding is a positioned diagnostic; nothing stops at the
//! first.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::base::date::PartialDate;
use crate::base::diagnostic::{did_you_mean, Diagnostic, Severity};
use crate::base::frontmatter::{self, Split};
use crate::model::config::{SiteConfig, Vocabulary};
use crate::model::cycles;
use crate::model::id::{CollectionId, FieldId, IdVec};
use crate::model::limits;
use crate::model::page::Page;
use crate::model::schema::{Field, Schema};
use crate::model::translation;
use crate::model::value::FieldValue;

/// The marker of unfinished text (as left by `medfm new`); reported as a warning.
pub(crate) const PLACEHOLDER: &str = "TODO";

/// Slugs of the entries of each collection, each with the source path of the entry when it is a
/// draft the build leaves out (a published page may not refer to it).
type Slugs<'a> = IdVec<CollectionId, HashMap<&'a str, Option<&'a str>>>;

/// All findings for `pages`. `today` bounds dates (a date after it is an error).
pub(crate) fn validate(pages: &[Page], config: &SiteConfig, today: PartialDate) -> Vec<Diagnostic> {
    validate_beside(pages, &Beside::default(), config, today)
}

/// What surrounds the pages that parsed when other files have problems of their own.
#[derive(Debug, Default)]
pub(crate) struct Beside<'a> {
    /// Collection and slug of each entry whose file has problems: a reference to one of them is
    /// not reported.
    pub(crate) failed: &'a [(CollectionId, String)],
    /// Pages made of the fields of a front matter that have no problem, with the names of those
    /// that have: their other values are checked (not their translations, which were not paired).
    pub(crate) flawed: &'a [(Page, Vec<String>)],
    /// Source path and language of each translation whose file has problems.
    pub(crate) unread: &'a [(String, String)],
    /// Whether drafts are built (`--drafts`): when they are not, a published page may not
    /// refer to one.
    pub(crate) drafts_built: bool,
}

/// [`validate`] for the pages that parsed, `beside` the files that have problems.
pub(crate) fn validate_beside(
    pages: &[Page],
    beside: &Beside<'_>,
    config: &SiteConfig,
    today: PartialDate,
) -> Vec<Diagnostic> {
    let mut slugs: Slugs<'_> = config
        .model
        .collections
        .iter()
        .map(|_| HashMap::new())
        .collect();
    for page in pages {
        if let Some(c) = page.collection {
            let left_out = !beside.drafts_built && page.is_draft(config.schema_of(page));
            let draft = left_out.then_some(page.source.as_str());
            slugs[c].insert(page.slug.as_str(), draft);
        }
    }
    for (c, slug) in beside.failed {
        slugs[*c].insert(slug.as_str(), None);
    }
    let whole = pages.iter().map(|page| (page, None));
    let flawed = (beside.flawed.iter()).map(|(page, left_out)| (page, Some(left_out.as_slice())));
    let all: Vec<(&Page, Option<&[String]>)> = whole.chain(flawed).collect();
    // Pages are checked in parallel; their findings keep the page order.
    let mut out: Vec<Diagnostic> = all
        .par_iter()
        .flat_map_iter(|&(page, left_out)| {
            let unread: Vec<&str> = (beside.unread.iter())
                .filter(|(source, _)| *source == page.source)
                .map(|(_, lang)| lang.as_str())
                .collect();
            let whole = left_out.is_none().then_some(unread.as_slice());
            check_page(
                page,
                left_out.unwrap_or_default(),
                whole,
                &slugs,
                config,
                today,
            )
        })
        .collect();
    out.extend(
        cycles::find(pages, config)
            .iter()
            .filter_map(|c| cycle(pages, c, config)),
    );
    out
}

/// The error for a reference cycle of the lineage, at the reference leaving its first page.
fn cycle(pages: &[Page], steps: &[cycles::Step], config: &SiteConfig) -> Option<Diagnostic> {
    let first = steps.first()?;
    let page = &pages[first.from];
    let file = &page.files[&config.default_language];
    let split = frontmatter::split(&file.file.to_string_lossy(), &file.file_text).ok()?;
    let at = Locator {
        page,
        split: &split,
        config,
    };
    let fields = &config.schema_of(page).fields;
    let slug = |i: usize| pages[i].slug.as_str();
    let path: Vec<&str> = (std::iter::once(first.from))
        .chain(steps.iter().map(|s| s.to))
        .map(slug)
        .collect();
    let names: Vec<String> = (steps.iter())
        .map(|s| {
            format!(
                "{} names {} in `{}`",
                slug(s.from),
                slug(s.to),
                fields[s.field].name
            )
        })
        .collect();
    let message = format!("reference cycle: {}", path.join(" → "));
    let hint = format!(
        "an entry cannot come before itself in the lineage: {}; remove the reference that is wrong",
        names.join(", ")
    );
    Some(
        at.error(&fields[first.field].name, slug(first.to), message)
            .with_hint(hint),
    )
}

/// The findings for one page but for its fields `left_out` (which have problems of their own).
/// The checks of the page as a whole (kind requirements, layout, translations but those
/// `unread`) are made when `whole` gives the unread translations.
fn check_page(
    page: &Page,
    left_out: &[String],
    whole: Option<&[&str]>,
    slugs: &Slugs<'_>,
    config: &SiteConfig,
    today: PartialDate,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let file = &page.files[&config.default_language];
    let Ok(split) = frontmatter::split(&file.file.to_string_lossy(), &file.file_text) else {
        return out;
    };
    let at = Locator {
        page,
        split: &split,
        config,
    };
    let schema = config.schema_of(page);
    for (field, value) in schema.fields.iter().zip(&page.values) {
        if !left_out.contains(&field.name) {
            out.extend(check_value(&at, field, value, slugs, today));
        }
    }
    if let Some(unread) = whole {
        match page.collection {
            Some(c) => out.extend(kind_requirements(&at, c)),
            None => out.extend(check_layout(&at, schema)),
        }
        // A draft is unfinished: its translations are not asked for until it is published.
        if !page.is_draft(schema) {
            out.extend(translation::check(page, config, unread));
        }
    }
    out.extend(
        page.files
            .values()
            .flat_map(|f| placeholders(&f.file, &f.file_text)),
    );
    out
}

/// Positions findings in the default-language file of one page.
struct Locator<'a> {
    page: &'a Page,
    split: &'a Split<'a>,
    config: &'a SiteConfig,
}

impl Locator<'_> {
    /// An error at `value` inside the block of field `field`.
    fn error(&self, field: &str, value: &str, message: String) -> Diagnostic {
        let file = &self.page.files[&self.config.default_language];
        let (line, col) = frontmatter::locate_value(self.split, field, value).unwrap_or((1, 1));
        Diagnostic::error(&file.file, line, col, message).with_source(&file.file_text)
    }

    /// An error pointing at top-level `key`, or at `fallback` when the key is absent.
    fn at_key(&self, key: &str, fallback: &str, message: String) -> Diagnostic {
        let file = &self.page.files[&self.config.default_language];
        let (line, col) = frontmatter::locate_key(self.split, key)
            .or_else(|| frontmatter::locate_key(self.split, fallback))
            .unwrap_or((1, 1));
        Diagnostic::error(&file.file, line, col, message).with_source(&file.file_text)
    }

    /// Checks that `value` of `field` is a term of the field's vocabulary.
    fn term(&self, field: &Field, value: &str) -> Option<Diagnostic> {
        let name = field.vocabulary.as_deref()?;
        let vocab = self.config.vocabularies.get(name)?;
        if vocab.contains_key(value) {
            return None;
        }
        let schema = self.config.schema_of(self.page);
        let (message, hint) = unknown_term(self.config, schema, name, value);
        Some(self.error(&field.name, value, message).with_hint(hint))
    }
}

/// What to say about `value`, which is not a key of vocabulary `name`: the key it is a label of
/// (in any language), the key it is a typo of (matching keys and labels), or the other vocabulary
/// it belongs to and the field of `schema` that takes it; with the allowed keys as help.
fn unknown_term(config: &SiteConfig, schema: &Schema, name: &str, value: &str) -> (String, String) {
    let vocab = &config.vocabularies[name];
    let keys: Vec<&str> = vocab.keys().map(String::as_str).collect();
    let allowed = format!("allowed: {}", keys.join(", "));
    let wanted = value.trim().to_lowercase();
    if let Some(keys) = config.alias_of(name, value) {
        let keys: Vec<String> = keys.iter().map(|k| format!("\"{k}\"")).collect();
        let keys = keys.join(", ");
        return (
            format!("unknown {name} \"{value}\" (did you mean {keys}? \"{value}\" is an alias in site.yaml)"),
            format!("front matter takes term keys, not aliases: write {keys}"),
        );
    }
    if let Some((key, lang)) = label_owner(vocab, &wanted) {
        return (
            format!("unknown {name} \"{value}\" (did you mean \"{key}\"? \"{value}\" is its `{lang}` label)"),
            format!("front matter takes a term's key, not its label; {allowed}"),
        );
    }
    // Typos: of a key, or of a label (which stands for its key).
    let labels: Vec<(&str, &str)> = vocab
        .iter()
        .flat_map(|(key, labels)| labels.values().map(move |l| (l.as_str(), key.as_str())))
        .collect();
    let best = did_you_mean(value, keys.iter().copied()).or_else(|| {
        let label = did_you_mean(value, labels.iter().map(|(l, _)| *l))?;
        labels.iter().find(|(l, _)| *l == label).map(|(_, k)| *k)
    });
    if let Some(best) = best {
        return (
            format!("unknown {name} \"{value}\" (did you mean \"{best}\"?)"),
            allowed,
        );
    }
    let elsewhere = config.vocabularies.iter().find_map(|(other, terms)| {
        let key = if terms.contains_key(value) {
            value.to_string()
        } else {
            label_owner(terms, &wanted)?.0.to_string()
        };
        (other != name).then_some((other, key))
    });
    if let Some((other, key)) = elsewhere {
        let field = schema
            .fields
            .iter()
            .find(|f| f.vocabulary.as_deref() == Some(other.as_str()));
        let goes = match field {
            Some(f) => format!("{other} terms go in `{}`; ", f.name),
            None => String::new(),
        };
        return (
            format!("unknown {name} \"{value}\" (\"{key}\" is a term of the {other} vocabulary)"),
            format!("{goes}{allowed}"),
        );
    }
    (format!("unknown {name} \"{value}\""), allowed)
}

/// The key of the term of `vocab` labelled `wanted` (lower-cased) in some language, and that
/// language.
fn label_owner<'v>(vocab: &'v Vocabulary, wanted: &str) -> Option<(&'v str, &'v str)> {
    vocab.iter().find_map(|(key, labels)| {
        labels
            .iter()
            .find(|(_, label)| label.trim().to_lowercase() == wanted)
            .map(|(lang, _)| (key.as_str(), lang.as_str()))
    })
}

/// Errors for a value too large to repeat on every page that shows the entry.
fn size_problems(at: &Locator<'_>, name: &str, value: &FieldValue) -> Vec<Diagnostic> {
    let texts: Vec<&str> = match value {
        FieldValue::Text(t) | FieldValue::Term(t) | FieldValue::Url(t) => vec![t],
        FieldValue::TextList(l)
        | FieldValue::Terms(l)
        | FieldValue::Refs(l)
        | FieldValue::Group(l) => l.iter().map(String::as_str).collect(),
        FieldValue::Links(l) => l
            .iter()
            .flat_map(|l| [l.label.as_str(), l.url.as_str()])
            .collect(),
        _ => Vec::new(),
    };
    let list = match value {
        FieldValue::TextList(l) | FieldValue::Terms(l) | FieldValue::Refs(l) => {
            limits::list(l.len())
        }
        FieldValue::Links(l) => limits::list(l.len()),
        _ => None,
    };
    let too_long = texts.iter().find_map(|t| limits::value(t.len()));
    (list.into_iter().chain(too_long))
        .map(|why| at.at_key(name, name, format!("`{name}`: {why}")))
        .collect()
}

fn check_value(
    at: &Locator<'_>,
    field: &Field,
    value: &FieldValue,
    slugs: &Slugs<'_>,
    today: PartialDate,
) -> Vec<Diagnostic> {
    let name = field.name.as_str();
    let mut out = size_problems(at, name, value);
    if !out.is_empty() {
        return out;
    }
    if field.required && value.is_empty() {
        out.push(at.error(name, name, format!("`{name}` must not be empty")));
        return out;
    }
    match value {
        FieldValue::Term(_) | FieldValue::Terms(_) => {
            out.extend(value.terms().iter().filter_map(|t| at.term(field, t)));
        }
        FieldValue::Refs(targets) => {
            let targets_of = &slugs[field.target];
            let folder = &at.config.model.collections[field.target].folder;
            let own = at.page.collection == Some(field.target);
            out.extend(
                targets
                    .iter()
                    .filter_map(|t| check_target(at, name, t, own, targets_of, folder)),
            );
        }
        FieldValue::Links(links) => {
            for link in links {
                if let Some(problem) = url_problem(&link.url) {
                    out.push(at.error(
                        name,
                        &link.url,
                        format!("{name}: invalid link URL `{}`: {problem}", link.url),
                    ));
                }
            }
        }
        FieldValue::Url(url) if !url.trim().is_empty() => {
            if let Some(problem) = url_problem(url) {
                out.push(at.error(name, url, format!("{name}: invalid URL `{url}`: {problem}")));
            }
        }
        FieldValue::Date(Some(date)) if *date > today => {
            out.push(
                at.error(
                    name,
                    &date.iso(),
                    format!(
                        "{name}: {} is in the future (today is {})",
                        date.iso(),
                        today.iso()
                    ),
                )
                .with_hint("write the date the source gives: a date to come is not a fact yet"),
            );
        }
        _ => {}
    }
    out
}

fn check_target(
    at: &Locator<'_>,
    field: &str,
    target: &str,
    own: bool,
    slugs: &HashMap<&str, Option<&str>>,
    folder: &str,
) -> Option<Diagnostic> {
    if own && target == at.page.slug {
        return Some(at.error(
            field,
            target,
            format!("`{field}` names the page itself (`{target}`)"),
        ));
    }
    match slugs.get(target) {
        Some(Some(source)) if !at.page.is_draft(at.config.schema_of(at.page)) => {
            return Some(
                at.error(
                    field,
                    target,
                    format!("`{field}` target \"{target}\" is a draft: content/{source} says `draft: true`"),
                )
                .with_hint(
                    "a published page cannot refer to a page the build leaves out: publish it \
                     (remove `draft: true`), remove the reference, or build with `--drafts`",
                ),
            );
        }
        Some(_) => return None,
        None => {}
    }
    let hint = match did_you_mean(target, slugs.keys().copied()) {
        Some(best) => {
            format!("did you mean \"{best}\"? targets are slugs of pages in content/{folder}/")
        }
        None => format!("targets are slugs of pages in content/{folder}/"),
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

/// The fields the page's kind requires that it leaves empty.
fn kind_requirements(at: &Locator<'_>, c: CollectionId) -> Vec<Diagnostic> {
    let collection = &at.config.model.collections[c];
    let Some(kind_field) = collection.roles.kind else {
        return Vec::new();
    };
    let kind = at.page.values[kind_field].as_str();
    let kind_name = &collection.schema.fields[kind_field].name;
    let Some((_, fields)) = collection.required_fields.iter().find(|(k, _)| k == kind) else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|&&f| at.page.values[f].is_empty())
        .map(|&f| {
            let field = &collection.schema.fields[f].name;
            at.at_key(
                field,
                kind_name,
                format!("`{field}` is required when `{kind_name}` is `{kind}`"),
            )
            .with_hint(format!(
                "fill in `{field}`; `medfm schema` describes every field"
            ))
        })
        .collect()
}

/// A page's layout must be declared, and a layout that lists entries needs the page's term.
fn check_layout(at: &Locator<'_>, schema: &Schema) -> Vec<Diagnostic> {
    let pages = &at.config.model.pages;
    let layout = at.page.values[pages.layout_field].as_str();
    let mut out = Vec::new();
    let layout = if layout.is_empty() {
        default_layout(at.page)
    } else if pages.layouts.contains_key(layout) {
        layout
    } else {
        let known: Vec<&str> = pages.layouts.keys().map(String::as_str).collect();
        let hint = match did_you_mean(layout, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? layouts: {}", known.join(", ")),
            None => format!("layouts: {}", known.join(", ")),
        };
        out.push(
            at.error("layout", layout, format!("unknown layout `{layout}`"))
                .with_hint(hint),
        );
        return out;
    };
    let listing = pages
        .layouts
        .get(layout)
        .and_then(|l| l.resolved.page_field);
    // The page fields layouts list by: required on pages of such a layout, unused elsewhere.
    let mut by_field: Vec<(FieldId, &str)> = Vec::new();
    for (name, decl) in &pages.layouts {
        if let Some(f) = decl.resolved.page_field {
            if !by_field.iter().any(|(g, _)| *g == f) {
                by_field.push((f, name));
            }
        }
    }
    for (f, user) in by_field {
        let field = &schema.fields[f].name;
        let empty = at.page.values[f].is_empty();
        if listing == Some(f) && empty {
            let example = schema.fields[f]
                .vocabulary
                .as_deref()
                .and_then(|v| at.config.vocabularies.get(v))
                .and_then(|v| v.keys().next())
                .map_or_else(String::new, |k| format!(": {k}"));
            out.push(
                at.at_key(
                    "layout",
                    "title",
                    format!("a `{layout}` page needs `{field}`: the term whose entries it lists"),
                )
                .with_hint(format!("add e.g. `{field}{example}`")),
            );
        } else if listing != Some(f) && !empty {
            let mut d = at.at_key(
                field,
                "title",
                format!("`{field}` is only used by `{user}` pages"),
            );
            d.severity = Severity::Warning;
            out.push(d.with_hint(format!("add `layout: {user}`, or remove `{field}`")));
        }
    }
    out
}

/// The layout of a page that names none: `home` for the site's `_index.md`, else `page`.
pub(crate) fn default_layout(page: &Page) -> &'static str {
    if page.slug == "index" && page.collection.is_none() && !page.source.contains('/') {
        "home"
    } else {
        "page"
    }
}

/// A warning for each line of `text` that still holds the `TODO` placeholder, naming the field
/// whose value it is when the line is in the front matter.
pub(crate) fn placeholders(file: &std::path::Path, text: &str) -> Vec<Diagnostic> {
    // One search of the whole text first: most pages have no placeholder left.
    if !text.contains(PLACEHOLDER) {
        return Vec::new();
    }
    let fields = front_matter_fields(text);
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let byte = line.find(PLACEHOLDER)?;
            let col = line[..byte].chars().count() + 1;
            let (message, hint) = match fields.get(i).copied().flatten() {
                Some(field) => (
                    format!("unfinished: `{field}` still holds a `TODO` placeholder"),
                    "replace it with the real value, and delete the `# TODO` comment if there is one",
                ),
                None => (
                    "unfinished: `TODO` placeholder left in the page".to_string(),
                    "replace it with the real text, or delete it",
                ),
            };
            Some(
                Diagnostic::warning(file, i + 1, col, message)
                    .with_hint(hint)
                    .with_source(text),
            )
        })
        .collect()
}

/// For each line of the front matter of `text` (between the opening and the closing `---`), the
/// top-level field whose value the line is part of; comment lines and lines past the front
/// matter have none.
fn front_matter_fields(text: &str) -> Vec<Option<&str>> {
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return Vec::new();
    }
    let mut out = vec![None];
    let mut field = None;
    for line in lines {
        if line.trim_end() == "---" {
            break;
        }
        let top = !line.starts_with([' ', '\t', '-', '#']);
        if let Some((key, _)) = line.split_once(':').filter(|_| top) {
            field = Some(key.trim());
        }
        out.push(field.filter(|_| !line.trim_start().starts_with('#')));
    }
    out
}

/// Why `url` is not an acceptable external link, if it is not.
pub(crate) fn url_problem(url: &str) -> Option<&'static str> {
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

    #[test]
    fn placeholders_name_their_field() {
        let text =
            "---\ntitle: TODO\n# TODO in a comment\npaper:\n  doi: TODO\n---\n\nTODO: a body\n";
        let found: Vec<String> = placeholders(std::path::Path::new("a.md"), text)
            .into_iter()
            .map(|d| format!("{}: {}", d.line, d.message))
            .collect();
        assert_eq!(
            found,
            [
                "2: unfinished: `title` still holds a `TODO` placeholder",
                "3: unfinished: `TODO` placeholder left in the page",
                "5: unfinished: `paper` still holds a `TODO` placeholder",
                "8: unfinished: `TODO` placeholder left in the page",
            ]
        );
    }
}
