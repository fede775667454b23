//! BibTeX: one entry per work for its original publication, built only from the front matter
//! (there is no author field, so entries have none), `references.bib` with all of them, and the
//! "cite this site" entry read from the project's `CITATION.cff`.
//!
//! Entry types: `@inproceedings` (with `booktitle`) when the venue is a known conference,
//! `@misc` for preprint servers or no venue, `@article` (with `journal`) for every other venue.
//! Keys are the slug followed by the year (`medsam2024`, `gpt-4-2023` after a final digit), or the
//! slug alone for undated works.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::Result;
use serde::Deserialize;

use crate::base::diagnostic::{display_path, Diagnostic};
use crate::base::frontmatter::{self, Split};
use crate::model::schema::WorkMeta;
use crate::model::site::Site;
use crate::write::staging;

/// Name of the citation file at the project root.
pub const CITATION_FILE: &str = "CITATION.cff";

/// Conferences recognised in `venue` (case-insensitive short name) and their `booktitle`.
const CONFERENCES: [(&str, &str); 17] = [
    ("AAAI", "AAAI Conference on Artificial Intelligence (AAAI)"),
    ("ACL", "Annual Meeting of the Association for Computational Linguistics (ACL)"),
    ("COLM", "Conference on Language Modeling (COLM)"),
    ("CVPR", "IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"),
    ("ECCV", "European Conference on Computer Vision (ECCV)"),
    ("EMNLP", "Conference on Empirical Methods in Natural Language Processing (EMNLP)"),
    ("ICCV", "IEEE/CVF International Conference on Computer Vision (ICCV)"),
    ("ICLR", "International Conference on Learning Representations (ICLR)"),
    ("ICML", "International Conference on Machine Learning (ICML)"),
    ("IPMI", "Information Processing in Medical Imaging (IPMI)"),
    ("ISBI", "IEEE International Symposium on Biomedical Imaging (ISBI)"),
    ("KDD", "ACM SIGKDD Conference on Knowledge Discovery and Data Mining (KDD)"),
    ("MICCAI", "Medical Image Computing and Computer Assisted Intervention (MICCAI)"),
    ("MIDL", "Medical Imaging with Deep Learning (MIDL)"),
    ("NAACL", "Conference of the North American Chapter of the Association for Computational Linguistics (NAACL)"),
    ("NeurIPS", "Advances in Neural Information Processing Systems (NeurIPS)"),
    ("WACV", "IEEE/CVF Winter Conference on Applications of Computer Vision (WACV)"),
];

/// Preprint servers: a work whose venue is one of these is cited as `@misc`.
const PREPRINT_SERVERS: [&str; 4] = ["arXiv", "bioRxiv", "medRxiv", "SSRN"];

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
pub struct Entry {
    /// `article`, `inproceedings` or `misc`.
    pub kind: &'static str,
    /// Citation key.
    pub key: String,
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
    pub fn to_bibtex(&self) -> String {
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
pub fn escape_text(s: &str) -> String {
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
pub fn escape_verbatim(s: &str) -> String {
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

/// How a venue is cited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VenueKind {
    /// A journal: `@article`.
    Journal,
    /// A conference: `@inproceedings`, with its full name.
    Conference(&'static str),
    /// A preprint server, or no venue: `@misc`.
    Other,
}

/// Classifies a `venue` value.
pub fn venue_kind(venue: &str) -> VenueKind {
    let venue = venue.trim();
    if venue.is_empty()
        || PREPRINT_SERVERS
            .iter()
            .any(|p| p.eq_ignore_ascii_case(venue))
    {
        return VenueKind::Other;
    }
    CONFERENCES
        .iter()
        .find(|(short, _)| short.eq_ignore_ascii_case(venue))
        .map_or(VenueKind::Journal, |(_, full)| VenueKind::Conference(full))
}

/// True when the front matter names a publication we can cite (a paper title, DOI, arXiv id
/// or venue). Works without one get no entry.
pub fn has_publication(w: &WorkMeta) -> bool {
    [&w.paper.title, &w.paper.doi, &w.arxiv, &w.venue]
        .iter()
        .any(|s| !s.trim().is_empty())
}

/// The citation key of a work: slug plus year (`medsam2024`; `gpt-4-2023` when the slug ends in
/// a digit, so the year stays readable), or the slug alone when the date is unknown.
pub fn key(slug: &str, w: &WorkMeta) -> String {
    match w.date {
        Some(d) if slug.ends_with(|c: char| c.is_ascii_digit()) => format!("{slug}-{}", d.year),
        Some(d) => format!("{slug}{}", d.year),
        None => slug.to_string(),
    }
}

/// The entry for a work's original publication, or `None` when it has none.
pub fn work_entry(slug: &str, w: &WorkMeta) -> Option<Entry> {
    if !has_publication(w) {
        return None;
    }
    let venue = venue_kind(&w.venue);
    let kind = match venue {
        VenueKind::Journal => "article",
        VenueKind::Conference(_) => "inproceedings",
        VenueKind::Other => "misc",
    };
    let mut e = Entry {
        kind,
        key: key(slug, w),
        fields: Vec::new(),
    };
    e.push(
        "title",
        Value::Title(first_nonempty(&[&w.paper.title, &w.full_name, &w.title])),
    );
    match venue {
        VenueKind::Journal => e.push("journal", Value::Text(w.venue.clone())),
        VenueKind::Conference(full) => e.push("booktitle", Value::Text(full.to_string())),
        VenueKind::Other if !w.venue.trim().is_empty() && w.arxiv.trim().is_empty() => {
            e.push("howpublished", Value::Text(w.venue.clone()))
        }
        VenueKind::Other => {}
    }
    push_date(&mut e, w);
    e.push("volume", Value::Text(w.paper.volume.clone()));
    e.push("number", Value::Text(w.paper.number.clone()));
    e.push("pages", Value::Text(page_range(w.paper.pages.trim())));
    e.push("doi", Value::Verbatim(w.paper.doi.clone()));
    push_eprint(&mut e, w);
    Some(e)
}

fn first_nonempty(candidates: &[&String]) -> String {
    candidates
        .iter()
        .find(|s| !s.trim().is_empty())
        .map_or_else(String::new, |s| s.trim().to_string())
}

fn push_date(e: &mut Entry, w: &WorkMeta) {
    if let Some(d) = w.date {
        e.push("year", Value::Text(d.year.to_string()));
        if let Some(m) = d.month {
            e.push("month", Value::Macro(MONTHS[usize::from(m) - 1]));
        }
    }
}

fn push_eprint(e: &mut Entry, w: &WorkMeta) {
    let arxiv = w.arxiv.trim();
    if !arxiv.is_empty() {
        e.push("eprint", Value::Verbatim(arxiv.to_string()));
        e.push("archiveprefix", Value::Text("arXiv".into()));
    }
    if w.paper.doi.trim().is_empty() {
        let url = if arxiv.is_empty() {
            w.links.first().map(|l| l.url.clone())
        } else {
            Some(format!("https://arxiv.org/abs/{arxiv}"))
        };
        e.push("url", Value::Verbatim(url.unwrap_or_default()));
    }
}

/// Every work's entry keyed by slug, plus a diagnostic for each key used twice.
pub fn site_entries(site: &Site) -> (BTreeMap<String, Entry>, Vec<Diagnostic>) {
    let mut by_slug = BTreeMap::new();
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    let mut problems = Vec::new();
    for &i in &site.works {
        let page = &site.pages[i];
        let Some(entry) = work_entry(&page.slug, site.work(i)) else {
            continue;
        };
        if let Some(other) = owner.insert(entry.key.clone(), page.slug.clone()) {
            let file = &page.texts[site.default_lang()].file;
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
pub fn references(entries: &BTreeMap<String, Entry>, site_title: &str) -> String {
    let mut sorted: Vec<&Entry> = entries.values().collect();
    sorted.sort_by(|a, b| a.key.cmp(&b.key));
    let mut out = format!(
        "% {} — the original publications of the works reviewed ({} entries).\n% Generated by medfm from the front matter; only fields the catalogue records (no authors).\n\n",
        site_title.replace('\n', " "),
        sorted.len()
    );
    for e in sorted {
        out.push_str(&e.to_bibtex());
        out.push('\n');
    }
    out
}

/// The parts of `CITATION.cff` (Citation File Format 1.2) used to cite the site.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Citation {
    /// Title of the work.
    pub title: String,
    /// Authors: persons (`family-names`, `given-names`) or entities (`name`).
    pub authors: Vec<CffAuthor>,
    /// Version string. Default: none.
    #[serde(default)]
    pub version: Option<String>,
    /// Release date `YYYY-MM-DD`. Default: none.
    #[serde(default)]
    pub date_released: Option<String>,
    /// Where the work lives. Default: none.
    #[serde(default)]
    pub url: Option<String>,
    /// What to tell users. Default: none.
    #[serde(default)]
    pub message: Option<String>,
}

/// An author in `CITATION.cff`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CffAuthor {
    /// Entity name (an organisation or a group). Default: none.
    #[serde(default)]
    pub name: Option<String>,
    /// Family names of a person. Default: none.
    #[serde(default)]
    pub family_names: Option<String>,
    /// Given names of a person. Default: none.
    #[serde(default)]
    pub given_names: Option<String>,
}

impl CffAuthor {
    /// The author in BibTeX form: `Family, Given` for persons, `{Entity}` for entities.
    fn bibtex(&self) -> String {
        match (&self.family_names, &self.given_names, &self.name) {
            (Some(f), Some(g), _) => format!("{}, {}", escape_text(f), escape_text(g)),
            (Some(f), None, _) => escape_text(f),
            (None, _, Some(n)) => format!("{{{}}}", escape_text(n)),
            _ => String::new(),
        }
    }
}

impl Citation {
    /// Parses `CITATION.cff` text; `path` is used in diagnostics.
    pub fn parse(path: &str, text: &str) -> Result<Citation, Diagnostic> {
        let text = frontmatter::strip_bom(text);
        let split = Split {
            yaml: text,
            yaml_line: 1,
            body: "",
            body_line: 0,
        };
        frontmatter::parse(path, text, &split)
    }

    /// The "cite this site" entry; `base_url` is used when the file gives no `url`.
    pub fn entry(&self, base_url: &str) -> Entry {
        let year = self
            .date_released
            .as_deref()
            .and_then(|d| d.get(..4))
            .unwrap_or_default()
            .to_string();
        let slug = crate::base::slug::slugify(self.title.split(':').next().unwrap_or(&self.title));
        let mut e = Entry {
            kind: "misc",
            key: format!("{slug}{year}"),
            fields: Vec::new(),
        };
        let authors: Vec<String> = self
            .authors
            .iter()
            .map(CffAuthor::bibtex)
            .filter(|a| !a.is_empty())
            .collect();
        e.push("author", Value::Escaped(authors.join(" and ")));
        e.push("title", Value::Title(self.title.clone()));
        e.push("year", Value::Text(year));
        e.push(
            "version",
            Value::Text(self.version.clone().unwrap_or_default()),
        );
        e.push(
            "url",
            Value::Verbatim(self.url.clone().unwrap_or_else(|| base_url.to_string())),
        );
        e
    }
}

/// Reads `CITATION.cff` from the project root; `Ok(None)` when there is none.
pub fn load_citation(root: &Path) -> Result<Option<Citation>> {
    let path = root.join(CITATION_FILE);
    match staging::read(&path) {
        Ok(text) => {
            let shown = display_path(root, &path).to_string_lossy().into_owned();
            Citation::parse(&shown, &text)
                .map(Some)
                .map_err(|d| anyhow::Error::new(crate::base::diagnostic::Diagnostics(vec![d])))
        }
        Err(err) if staging::is_not_found(&err) => Ok(None),
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn work(yaml: &str) -> WorkMeta {
        let base = "title: T\nkind: model\nstrand: s\ntheme: t\nsummary: S\n";
        serde_yaml::from_str(&format!("{base}{yaml}")).unwrap()
    }

    #[test]
    fn journal_article_with_escapes() {
        let w = work("date: 2024-03\nvenue: Medical Image Analysis\npaper: {title: \"A & B: 100% of H_2 {x}\", volume: \"97\", pages: \"850-862\", doi: 10.1016/j.media.2024.103285}\n");
        let bib = work_entry("abc", &w).unwrap().to_bibtex();
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
        let w = work("date: \"2023\"\nvenue: iccv\narxiv: \"2304.02643\"\npaper: {title: Segment Anything}\n");
        let bib = work_entry("sam", &w).unwrap().to_bibtex();
        assert!(bib.starts_with("@inproceedings{sam2023,"));
        assert!(bib.contains(
            "booktitle = {IEEE/CVF International Conference on Computer Vision (ICCV)},"
        ));
        assert!(
            bib.contains("eprint = {2304.02643},")
                && bib.contains("url = {https://arxiv.org/abs/2304.02643},")
        );
        let w = work("venue: arXiv\narxiv: \"2303.08774\"\n");
        let bib = work_entry("gpt-4", &w).unwrap().to_bibtex();
        assert!(
            bib.starts_with("@misc{gpt-4,") && bib.contains("title = {{T}},"),
            "{bib}"
        );
        let w = work("date: \"2023\"\nvenue: arXiv\n");
        assert_eq!(key("gpt-4", &w), "gpt-4-2023");
    }

    #[test]
    fn no_publication_no_entry() {
        assert!(work_entry("x", &work("venue_detail: Commercial product\n")).is_none());
    }

    #[test]
    fn site_citation_from_cff() {
        let cff = "cff-version: 1.2.0\nmessage: Cite it\ntitle: \"Atlas: a review\"\nauthors:\n  - name: Atlas contributors\n  - family-names: Doe\n    given-names: Jane\ndate-released: 2026-11-28\nversion: 0.1.0\n";
        let c = Citation::parse("CITATION.cff", cff).unwrap();
        let bib = c.entry("https://example.org").to_bibtex();
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
