//! An entry's original publication, read through its collection's `citation` declaration: the
//! facts BibTeX entries and JSON-LD descriptions are made of, whatever the fields are called;
//! and the site's own citation, from `CITATION.cff`.

use serde::Deserialize;

use crate::base::date::PartialDate;
use crate::base::diagnostic::Diagnostic;
use crate::base::frontmatter::{self, Split};
use crate::model::page::Page;
use crate::model::schema::{CitationDecl, Collection, FieldPath};
use crate::model::value::{FieldValue, Link};

/// How a venue is cited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VenueKind<'a> {
    /// A journal: `@article`.
    Journal,
    /// A conference: `@inproceedings`, with its full name.
    Conference(&'a str),
    /// A preprint server, or no venue: `@misc`.
    Other,
}

/// The publication facts of one entry (default-language values, trimmed where they are text).
#[derive(Debug, Clone)]
pub(crate) struct Publication<'a> {
    /// The declaration (conference and preprint lists).
    pub(crate) decl: &'a CitationDecl,
    /// The entry's title.
    pub(crate) page_title: &'a str,
    /// The publication's title.
    pub(crate) title: &'a str,
    /// The work's expanded name.
    pub(crate) name: &'a str,
    /// Venue.
    pub(crate) venue: &'a str,
    /// Volume.
    pub(crate) volume: &'a str,
    /// Issue number.
    pub(crate) number: &'a str,
    /// Pages or article number.
    pub(crate) pages: &'a str,
    /// DOI.
    pub(crate) doi: &'a str,
    /// arXiv id.
    pub(crate) arxiv: &'a str,
    /// External links.
    pub(crate) links: &'a [Link],
    /// Organisations behind it.
    pub(crate) organizations: &'a [String],
    /// Authors in order, each `Given Family`.
    pub(crate) authors: &'a [String],
    /// True when `authors` are only the first authors of a longer list.
    pub(crate) more_authors: bool,
    /// Publication date.
    pub(crate) date: Option<PartialDate>,
    /// The entry's kind.
    pub(crate) kind: &'a str,
}

/// The publication of entry `page` of `collection`, or `None` when the collection declares no
/// citations.
pub(crate) fn publication<'a>(
    collection: &'a Collection,
    page: &'a Page,
) -> Option<Publication<'a>> {
    let decl = collection.citation.as_ref()?;
    let p = &decl.paths;
    let text = |path: Option<FieldPath>| path.map_or("", |path| text_at(page, path).trim());
    let values = &page.values;
    Some(Publication {
        decl,
        page_title: values[collection.schema.title].as_str().trim(),
        title: text(p.title),
        name: text(p.name),
        venue: text(p.venue),
        volume: text(p.volume),
        number: text(p.number),
        pages: text(p.pages),
        doi: text(p.doi),
        arxiv: text(p.arxiv),
        links: p.links.map_or(&[], |l| values[l.field].as_links()),
        organizations: p.organizations.map_or(&[], |o| values[o.field].as_list()),
        authors: p.authors.map_or(&[], |a| values[a.field].as_list()),
        more_authors: p.more_authors.is_some_and(|m| values[m.field].is_true()),
        date: collection.roles.date.and_then(|d| values[d].as_date()),
        kind: collection.roles.kind.map_or("", |k| values[k].as_str()),
    })
}

/// `Given Family` split into (family, given): the last word is the family name.
pub(crate) fn split_name(name: &str) -> (&str, &str) {
    let name = name.trim();
    match name.rsplit_once(' ') {
        Some((given, family)) => (family, given.trim()),
        None => (name, ""),
    }
}

/// The text at `path` of `page` (a group's sub-field, or a text-like field).
pub(crate) fn text_at(page: &Page, path: FieldPath) -> &str {
    match (&page.values[path.field], path.sub) {
        (FieldValue::Group(subs), Some(sub)) => subs.get(sub).map_or("", String::as_str),
        (value, _) => value.as_str(),
    }
}

impl Publication<'_> {
    /// True when there is a publication to cite: a title, DOI, arXiv id or venue.
    pub(crate) fn exists(&self) -> bool {
        [self.title, self.doi, self.arxiv, self.venue]
            .iter()
            .any(|s| !s.is_empty())
    }

    /// The title to cite: the publication's, else the expanded name, else the entry's title.
    pub(crate) fn cited_title(&self) -> &str {
        [self.title, self.name, self.page_title]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or("")
    }

    /// How the venue is cited.
    pub(crate) fn venue_kind(&self) -> VenueKind<'_> {
        venue_kind(self.decl, self.venue)
    }

    /// The main address of the publication: its DOI, else its arXiv page, else its first link.
    pub(crate) fn primary_url(&self) -> Option<String> {
        if !self.doi.is_empty() {
            Some(format!("https://doi.org/{}", self.doi))
        } else if !self.arxiv.is_empty() {
            Some(format!("https://arxiv.org/abs/{}", self.arxiv))
        } else {
            self.links.first().map(|l| l.url.clone())
        }
    }

    /// True when the entry is described as a dataset rather than an article.
    pub(crate) fn is_dataset(&self) -> bool {
        self.decl.dataset_kinds.iter().any(|k| k == self.kind)
    }
}

/// Classifies a venue by the declared conferences and preprint servers.
pub(crate) fn venue_kind<'a>(decl: &'a CitationDecl, venue: &str) -> VenueKind<'a> {
    let venue = venue.trim();
    if venue.is_empty() || (decl.preprint_servers.iter()).any(|p| p.eq_ignore_ascii_case(venue)) {
        return VenueKind::Other;
    }
    decl.conferences
        .iter()
        .find(|(short, _)| short.eq_ignore_ascii_case(venue))
        .map_or(VenueKind::Journal, |(_, full)| VenueKind::Conference(full))
}

/// Name of the citation file at the project root.
pub(crate) const CITATION_FILE: &str = "CITATION.cff";

/// The parts of `CITATION.cff` (Citation File Format 1.2) used to cite the site.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Citation {
    /// Title of the work.
    pub(crate) title: String,
    /// Authors: persons (`family-names`, `given-names`) or entities (`name`).
    pub(crate) authors: Vec<CffAuthor>,
    /// Version string. Default: none.
    #[serde(default)]
    pub(crate) version: Option<String>,
    /// Release date `YYYY-MM-DD`. Default: none.
    #[serde(default)]
    pub(crate) date_released: Option<String>,
    /// Where the work lives. Default: none.
    #[serde(default)]
    pub(crate) url: Option<String>,
    /// What to tell users. Default: none.
    #[serde(default)]
    pub(crate) message: Option<String>,
    /// The licence: an SPDX identifier (`CC-BY-4.0`) or a list of them. Default: none.
    #[serde(default)]
    pub(crate) license: Licenses,
    /// Where a licence without an SPDX identifier is stated. Default: none.
    #[serde(default)]
    pub(crate) license_url: Option<String>,
}

/// `license` of `CITATION.cff`: one identifier or a list of them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(untagged)]
pub(crate) enum Licenses {
    /// No licence stated.
    #[default]
    None,
    /// One identifier.
    One(String),
    /// Several identifiers (the work may be used under any of them).
    Many(Vec<String>),
}

impl Licenses {
    /// The identifiers, in order.
    pub(crate) fn ids(&self) -> &[String] {
        match self {
            Licenses::None => &[],
            Licenses::One(id) => std::slice::from_ref(id),
            Licenses::Many(ids) => ids,
        }
    }
}

impl Citation {
    /// The page stating licence `id`: `license-url` when given, else the SPDX list's page of
    /// the identifier (empty for something that is not an identifier).
    pub(crate) fn license_url_of(&self, id: &str) -> String {
        if let Some(url) = &self.license_url {
            return url.clone();
        }
        let spdx = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+');
        match !id.is_empty() && id.chars().all(spdx) {
            true => format!("https://spdx.org/licenses/{id}.html"),
            false => String::new(),
        }
    }
}

/// An author in `CITATION.cff`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct CffAuthor {
    /// Entity name (an organisation or a group). Default: none.
    #[serde(default)]
    pub(crate) name: Option<String>,
    /// Family names of a person. Default: none.
    #[serde(default)]
    pub(crate) family_names: Option<String>,
    /// Given names of a person. Default: none.
    #[serde(default)]
    pub(crate) given_names: Option<String>,
}

impl Citation {
    /// Parses `CITATION.cff` text; `path` is used in diagnostics.
    pub(crate) fn parse(path: &str, text: &str) -> Result<Citation, Diagnostic> {
        let text = frontmatter::strip_bom(text);
        let split = Split {
            yaml: text,
            yaml_line: 1,
            body: "",
            body_line: 0,
        };
        frontmatter::parse(path, text, &split)
    }
}
