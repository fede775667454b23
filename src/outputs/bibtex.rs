//! BibTeX: one entry per entry of a collection that declares citations, for its original
//! publication, built only from the declared fields (there is no author field, so entries have
//! none), `references.bib` with all of them, and the "cite this site" entry from `CITATION.cff`.
//!
//! Entry types: `@inproceedings` (with `booktitle`) when the venue is a declared conference,
//! `@misc` for a declared preprint server or no venue, `@article` (with `journal`) for every
//! other venue. Keys are the slug followed by the year (`medsam2024`, `gpt-4-2023` after a final
//! digit), or the slug alone for undated entries.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::base::date::PartialDate;
use crate::base::diagnostic::Diagnostic;
use crate::model::citation::{publication, CffAuthor, Citation, Publication, VenueKind};
use crate::model::id::{CollectionId, PageId};
use crate::model::site::Site;

/// BibTeX month macros.
const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A field value: braced (escaped text, or verbatim) or a bare macro such as a month.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    /// Text: TeX specials escaped, the whole value in an extra pair of braces to keep its case.
    Title(String),
    /// Text: TeX specials escaped.
    Text(String),
    /// Verbatim (DOI, URL, eprint): only braces, backslashes and spaces are percent-encoded.
    Verbatim(String),
    /// Already escaped text (author lists).
    Escaped(String),
    /// A macro name written without braces (`jan`).
    Macro(&'static str),
}

/// One BibTeX entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// `article`, `inproceedings` or `misc`.
    pub(crate) kind: &'static str,
    /// Citation key.
    pub(crate) key: String,
    fields: Vec<(&'static str, Value)>,
}

impl Entry {
    fn push(&mut self, name: &'static str, value: Value) {
        let empty = match &value {
            Value::Title(s) | Value::Text(s) | Value::Verbatim(s) | Value::Escaped(s) => {
                s.trim().is_empty()
            }
            Value::Macro(_) => false,
        };
        if !empty {
            self.fields.push((name, value));
        }
    }

    /// The entry as BibTeX source, fields one per line, ending with a newline.
    pub(crate) fn to_bibtex(&self) -> String {
        let mut out = format!("@{}{{{},\n", self.kind, self.key);
        for (name, value) in &self.fields {
            let _ = writeln!(out, "  {name} = {},", render_value(value));
        }
        out.push_str("}\n");
        out
    }
}

fn render_value(value: &Value) -> String {
    match value {
        Value::Title(s) => format!("{{{{{}}}}}", escape_text(s)),
        Value::Text(s) => format!("{{{}}}", escape_text(s)),
        Value::Verbatim(s) => format!("{{{}}}", escape_verbatim(s)),
        Value::Escaped(s) => format!("{{{s}}}"),
        Value::Macro(m) => (*m).to_string(),
    }
}

/// Escapes TeX specials in a text field; whitespace runs (including newlines) become one space.
pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '\\' => out.push_str("\\textbackslash{}"),
                '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                    out.push('\\');
                    out.push(c);
                }
                '~' => out.push_str("\\textasciitilde{}"),
                '^' => out.push_str("\\textasciicircum{}"),
                other => out.push(other),
            }
        }
    }
    out
}

/// Makes a DOI, URL or eprint id safe inside braces: `{`, `}`, `\` and whitespace are
/// percent-encoded (they never occur in real DOIs or URLs).
pub(crate) fn escape_verbatim(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            c if c.is_whitespace() => out.push_str("%20"),
            other => out.push(other),
        }
    }
    out
}

/// `850-862` → `850--862` (a single hyphen between page numbers becomes an en dash).
fn page_range(pages: &str) -> String {
    match pages.split_once('-') {
        Some((a, b))
            if !a.is_empty()
                && !b.starts_with('-')
                && a.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            format!("{a}--{b}")
        }
        _ => pages.to_string(),
    }
}

/// The citation key of an entry: slug plus year (`medsam2024`; `gpt-4-2023` when the slug ends in
/// a digit, so the year stays readable), or the slug alone when the date is unknown.
pub(crate) fn key(slug: &str, date: Option<PartialDate>) -> String {
    match date {
        Some(d) if slug.ends_with(|c: char| c.is_ascii_digit()) => format!("{slug}-{}", d.year),
        Some(d) => format!("{slug}{}", d.year),
        None => slug.to_string(),
    }
}

/// The entry for a publication, or `None` when there is nothing to cite.
pub(crate) fn entry(slug: &str, p: &Publication<'_>) -> Option<Entry> {
    if !p.exists() {
        return None;
    }
    let venue = p.venue_kind();
    let kind = match venue {
        VenueKind::Journal => "article",
        VenueKind::Conference(_) => "inproceedings",
        VenueKind::Other => "misc",
    };
    let mut e = Entry {
        kind,
        key: key(slug, p.date),
        fields: Vec::new(),
    };
    e.push("author", Value::Escaped(authors(p)));
    e.push("title", Value::Title(p.cited_title().to_string()));
    match venue {
        VenueKind::Journal => e.push("journal", Value::Text(p.venue.to_string())),
        VenueKind::Conference(full) => e.push("booktitle", Value::Text(full.to_string())),
        VenueKind::Other if !p.venue.is_empty() && p.arxiv.is_empty() => {
            e.push("howpublished", Value::Text(p.venue.to_string()))
        }
        VenueKind::Other => {}
    }
    push_date(&mut e, p.date);
    e.push("volume", Value::Text(p.volume.to_string()));
    e.push("number", Value::Text(p.number.to_string()));
    e.push("pages", Value::Text(page_range(p.pages)));
    e.push("doi", Value::Verbatim(p.doi.to_string()));
    push_eprint(&mut e, p);
    Some(e)
}

/// The authors in BibTeX form: `Family, Given and …`, `and others` when the list is cut.
fn authors(p: &Publication<'_>) -> String {
    let mut names: Vec<String> = (p.authors.iter())
        .map(|a| match crate::model::citation::split_name(a) {
            (family, "") => escape_text(family),
            (family, given) => format!("{}, {}", escape_text(family), escape_text(given)),
        })
        .collect();
    if p.more_authors && !names.is_empty() {
        names.push("others".to_string());
    }
    names.join(" and ")
}

/// The entry of page `i`, when its collection declares citations and it has a publication.
pub(crate) fn page_entry(site: &Site, i: PageId) -> Option<Entry> {
    let c = site.collection_of(i)?;
    let page = &site.pages[i];
    entry(&page.slug, &publication(c, page)?)
}

fn push_date(e: &mut Entry, date: Option<PartialDate>) {
    if let Some(d) = date {
        e.push("year", Value::Text(d.year.to_string()));
        if let Some(m) = d.month {
            e.push("month", Value::Macro(MONTHS[usize::from(m) - 1]));
        }
    }
}

fn push_eprint(e: &mut Entry, p: &Publication<'_>) {
    if !p.arxiv.is_empty() {
        e.push("eprint", Value::Verbatim(p.arxiv.to_string()));
        e.push("archiveprefix", Value::Text("arXiv".into()));
    }
    if p.doi.is_empty() {
        let url = if p.arxiv.is_empty() {
            p.links.first().map(|l| l.url.clone())
        } else {
            Some(format!("https://arxiv.org/abs/{}", p.arxiv))
        };
        e.push("url", Value::Verbatim(url.unwrap_or_default()));
    }
}

/// Every entry's BibTeX entry in collection `c`, keyed by slug, plus a diagnostic for each key
/// used twice.
pub(crate) fn site_entries(
    site: &Site,
    c: CollectionId,
) -> (BTreeMap<String, Entry>, Vec<Diagnostic>) {
    let mut by_slug = BTreeMap::new();
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    let mut problems = Vec::new();
    for &i in &site.collections[c].order {
        let page = &site.pages[i];
        let Some(entry) = page_entry(site, i) else {
            continue;
        };
        if let Some(other) = owner.insert(entry.key.clone(), page.slug.clone()) {
            let file = &page.files[site.default_lang()].file;
            problems.push(Diagnostic::error(
                file,
                0,
                0,
                format!("BibTeX key `{}` is also the key of `{other}`", entry.key),
            ));
        }
        by_slug.insert(page.slug.clone(), entry);
    }
    (by_slug, problems)
}

/// `references.bib`: a header comment, then every entry sorted by key.
pub(crate) fn references(entries: &BTreeMap<String, Entry>, site_title: &str) -> String {
    let mut sorted: Vec<&Entry> = entries.values().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    let mut out = format!(
        "% {} — the original publications of the works reviewed ({} entries).\n% Generated by medfm from the front matter; only fields the catalogue records.\n\n",
        site_title.replace('\n', " "),
        sorted.len()
    );
    for e in sorted {
        out.push_str(&e.to_bibtex());
        out.push('\n');
    }
    out
}

/// The author in BibTeX form: `Family, Given` for persons, `{Entity}` for entities.
fn author(a: &CffAuthor) -> String {
    match (&a.family_names, &a.given_names, &a.name) {
        (Some(f), Some(g), _) => format!("{}, {}", escape_text(f), escape_text(g)),
        (Some(f), None, _) => escape_text(f),
        (None, _, Some(n)) => format!("{{{}}}", escape_text(n)),
        _ => String::new(),
    }
}

/// The "cite this site" entry of `citation`; `base_url` is used when the file gives no `url`.
pub(crate) fn site_entry(citation: &Citation, base_url: &str) -> Entry {
    let year = citation
        .date_released
        .as_deref()
        .and_then(|d| d.get(..4))
        .unwrap_or_default()
        .to_string();
    let title = &citation.title;
    let slug = crate::base::slug::slugify(title.split(':').next().unwrap_or(title));
    let mut e = Entry {
        kind: "misc",
        key: format!("{slug}{year}"),
        fields: Vec::new(),
    };
    let authors: Vec<String> = (citation.authors.iter())
        .map(author)
        .filter(|a| !a.is_empty())
        .collect();
    e.push("author", Value::Escaped(authors.join(" and ")));
    e.push("title", Value::Title(title.clone()));
    e.push("year", Value::Text(year));
    e.push(
        "version",
        Value::Text(citation.version.clone().unwrap_or_default()),
    );
    e.push(
        "url",
        Value::Verbatim(citation.url.clone().unwrap_or_else(|| base_url.to_string())),
    );
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::CitationDecl;
    use crate::model::value::Link;

    fn decl() -> CitationDecl {
        let yaml = "conferences: {ICCV: IEEE/CVF International Conference on Computer Vision (ICCV)}\npreprint_servers: [arXiv]\n";
        serde_yaml::from_str(yaml).unwrap()
    }

    fn publication<'a>(decl: &'a CitationDecl, fields: &[(&str, &'a str)]) -> Publication<'a> {
        let get = |k: &str| fields.iter().find(|(n, _)| *n == k).map_or("", |(_, v)| *v);
        Publication {
            decl,
            page_title: "T",
            title: get("title"),
            name: get("name"),
            venue: get("venue"),
            volume: get("volume"),
            number: get("number"),
            pages: get("pages"),
            doi: get("doi"),
            arxiv: get("arxiv"),
            links: &[],
            organizations: &[],
            authors: &[],
            more_authors: false,
            date: (!get("date").is_empty()).then(|| PartialDate::parse(get("date")).unwrap()),
            kind: "model",
        }
    }

    #[test]
    fn journal_article_with_escapes() {
        let decl = decl();
        let p = publication(
            &decl,
            &[
                ("date", "2024-03"),
                ("venue", "Medical Image Analysis"),
                ("title", "A & B: 100% of H_2 {x}"),
                ("volume", "97"),
                ("pages", "850-862"),
                ("doi", "10.1016/j.media.2024.103285"),
            ],
        );
        let bib = entry("abc", &p).unwrap().to_bibtex();
        assert!(bib.starts_with("@article{abc2024,\n"), "{bib}");
        assert!(
            bib.contains("title = {{A \\& B: 100\\% of H\\_2 \\{x\\}}},"),
            "{bib}"
        );
        assert!(bib.contains("journal = {Medical Image Analysis},"));
        assert!(bib.contains("month = mar,"));
        assert!(bib.contains("pages = {850--862},"));
        assert!(bib.contains("doi = {10.1016/j.media.2024.103285},"));
        assert!(
            !bib.contains("url ="),
            "a DOI makes the URL redundant: {bib}"
        );
    }

    #[test]
    fn conference_and_preprint() {
        let decl = decl();
        let p = publication(
            &decl,
            &[
                ("date", "2023"),
                ("venue", "iccv"),
                ("arxiv", "2304.02643"),
                ("title", "Segment Anything"),
            ],
        );
        let bib = entry("sam", &p).unwrap().to_bibtex();
        assert!(bib.starts_with("@inproceedings{sam2023,"));
        assert!(bib.contains(
            "booktitle = {IEEE/CVF International Conference on Computer Vision (ICCV)},"
        ));
        assert!(
            bib.contains("eprint = {2304.02643},")
                && bib.contains("url = {https://arxiv.org/abs/2304.02643},")
        );
        let p = publication(&decl, &[("venue", "arXiv"), ("arxiv", "2303.08774")]);
        let bib = entry("gpt-4", &p).unwrap().to_bibtex();
        assert!(
            bib.starts_with("@misc{gpt-4,") && bib.contains("title = {{T}},"),
            "{bib}"
        );
        assert_eq!(key("gpt-4", PartialDate::parse("2023").ok()), "gpt-4-2023");
    }

    #[test]
    fn no_publication_no_entry_and_links_as_url() {
        let decl = decl();
        assert!(entry("x", &publication(&decl, &[])).is_none());
        let links = [Link {
            label: "GitHub".into(),
            url: "https://github.com/a/b".into(),
        }];
        let mut p = publication(&decl, &[("title", "A paper")]);
        p.links = &links;
        let bib = entry("x", &p).unwrap().to_bibtex();
        assert!(
            bib.starts_with("@misc{x,") && bib.contains("url = {https://github.com/a/b},"),
            "{bib}"
        );
    }

    #[test]
    fn site_citation_from_cff() {
        let cff = "cff-version: 1.2.0\nmessage: Cite it\ntitle: \"Atlas: a review\"\nauthors:\n  - name: Atlas contributors\n  - family-names: Doe\n    given-names: Jane\ndate-released: 2026-11-28\nversion: 0.1.0\n";
        let c = Citation::parse("CITATION.cff", cff).unwrap();
        let bib = site_entry(&c, "https://example.org").to_bibtex();
        assert!(bib.starts_with("@misc{atlas2026,"), "{bib}");
        assert!(
            bib.contains("author = {{Atlas contributors} and Doe, Jane},"),
            "{bib}"
        );
        assert!(bib.contains("url = {https://example.org},"));
    }

    #[test]
    fn verbatim_and_pages() {
        assert_eq!(escape_verbatim(" 10.1/a{b} c "), "10.1/a%7Bb%7D%20c");
        assert_eq!(page_range("AIoa2300138"), "AIoa2300138");
        assert_eq!(page_range("1-2"), "1--2");
        assert_eq!(page_range("1--2"), "1--2");
    }
}
