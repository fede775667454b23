//! Head metadata of every page: Open Graph and Twitter card values and JSON-LD —
//! `ScholarlyArticle` for an entry's publication, `Dataset` for the kinds a collection declares
//! as datasets, `WebSite` (with a search action when the site has a search page) for the home
//! page, `WebPage` elsewhere. The JSON-LD is typed structs serialised with serde (their fields in
//! alphabetical order, so objects read the same as sorted maps), made safe to embed in
//! `<script>`: `<`, `>` and `&` are written as `\u` escapes.

use serde::Serialize;

use crate::model::citation::{publication, Publication, VenueKind};
use crate::model::id::PageId;
use crate::view::Views;

/// What a page is about, for its structured data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// The home page.
    Home,
    /// An entry page (index into `Site::pages`).
    Entry(PageId),
    /// Any other page.
    Page,
}

/// Head values a template writes into `<meta>` tags and a JSON-LD script.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Head {
    /// `og:title` / `twitter:title`: the page title, or the site title on the home page.
    pub(crate) title: String,
    /// `og:type`: `article` for entry pages, `website` otherwise.
    pub(crate) og_type: &'static str,
    /// `og:locale` of the page language, e.g. `zh_CN`.
    pub(crate) locale: String,
    /// `og:locale:alternate` of the other languages.
    pub(crate) locale_alternates: Vec<String>,
    /// Title of this language's Atom feed.
    pub(crate) feed_title: String,
    /// Path of the site root on its server (`/` or `/sub/`), for the 404 page's `<base>`.
    pub(crate) base_path: String,
    /// JSON-LD, escaped for a `<script type="application/ld+json">` element.
    pub(crate) json_ld: String,
}

/// What the head of one page is made of.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HeadInput<'a> {
    /// The page title ("" for the home page).
    pub(crate) title: &'a str,
    /// The meta description.
    pub(crate) description: &'a str,
    /// The absolute URL of the page.
    pub(crate) canonical: &'a str,
    /// The site title in the page language.
    pub(crate) site_title: &'a str,
    /// The site description in the page language.
    pub(crate) site_description: &'a str,
    /// True when the site has a `search.html?q=` results page.
    pub(crate) has_search: bool,
}

/// Head metadata of a page about `subject`.
pub(crate) fn head(views: &Views<'_>, page: &HeadInput<'_>, subject: Subject) -> Head {
    let site = views.site;
    let title = if page.title.is_empty() {
        page.site_title
    } else {
        page.title
    };
    let ld = match subject {
        Subject::Home => script_safe(&website(views, page)),
        Subject::Entry(i) => entry_ld(views, page, i),
        Subject::Page => script_safe(&webpage(views, page)),
    };
    let locale = |code: &str| {
        (site.config.languages.iter())
            .find(|l| l.code == code)
            .map_or_else(|| code.replace('-', "_"), |l| l.og_locale())
    };
    Head {
        title: title.to_string(),
        og_type: if matches!(subject, Subject::Entry(_)) {
            "article"
        } else {
            "website"
        },
        locale: locale(views.lang),
        locale_alternates: site
            .config
            .language_codes()
            .filter(|l| *l != views.lang)
            .map(locale)
            .collect(),
        feed_title: format!("{} (Atom)", page.site_title),
        base_path: base_path(&site.config.base_url),
        json_ld: ld,
    }
}

/// The path part of a base URL, with a trailing slash: `https://a.org/x` → `/x/`.
pub(crate) fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    format!("{}/", path.trim_end_matches('/'))
}

/// Serialises JSON for a `<script>` element: `<`, `>` and `&` become `\u003c` etc., so neither
/// `</script>` nor `<!--` can appear, and the text is still the same JSON.
pub(crate) fn script_safe<T: Serialize>(value: &T) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

const CONTEXT: &str = "https://schema.org";

/// A schema.org `WebSite`: the home page, or what another page is part of.
#[derive(Debug, Serialize)]
struct WebSite<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "inLanguage", skip_serializing_if = "Option::is_none")]
    in_language: Option<&'a str>,
    name: &'a str,
    #[serde(rename = "potentialAction", skip_serializing_if = "Option::is_none")]
    potential_action: Option<SearchAction>,
    url: String,
}

#[derive(Debug, Serialize)]
struct SearchAction {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "query-input")]
    query_input: &'static str,
    target: EntryPoint,
}

#[derive(Debug, Serialize)]
struct EntryPoint {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "urlTemplate")]
    url_template: String,
}

/// A schema.org `WebPage`.
#[derive(Debug, Serialize)]
struct WebPage<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    description: &'a str,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    #[serde(rename = "isPartOf")]
    is_part_of: WebSite<'a>,
    name: &'a str,
    url: &'a str,
}

/// A schema.org `ScholarlyArticle` or `Dataset` describing an entry's publication.
#[derive(Debug, Serialize)]
struct Described<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName", skip_serializing_if = "Option::is_none")]
    alternate_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    citation: Option<CitedArticle<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    creator: Vec<Organization<'a>>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    headline: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    identifier: Vec<PropertyValue<'a>>,
    #[serde(rename = "isPartOf", skip_serializing_if = "Option::is_none")]
    is_part_of: Option<Venue<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<&'a str>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity_of_page: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pagination: Option<&'a str>,
    #[serde(rename = "sameAs", skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<&'a str>,
    #[serde(rename = "sourceOrganization", skip_serializing_if = "Vec::is_empty")]
    source_organization: Vec<Organization<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Debug, Serialize)]
struct CitedArticle<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Debug, Serialize)]
struct Organization<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Debug, Serialize)]
struct PropertyValue<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "propertyID")]
    property_id: &'static str,
    value: &'a str,
}

/// Where a publication appeared: a periodical or a conference's proceedings, inside a volume
/// and an issue when they are known.
#[derive(Debug, Serialize)]
struct Venue<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "alternateName", skip_serializing_if = "Option::is_none")]
    alternate_name: Option<&'a str>,
    #[serde(rename = "isPartOf", skip_serializing_if = "Option::is_none")]
    is_part_of: Option<Box<Venue<'a>>>,
    #[serde(rename = "issueNumber", skip_serializing_if = "Option::is_none")]
    issue_number: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(rename = "volumeNumber", skip_serializing_if = "Option::is_none")]
    volume_number: Option<&'a str>,
}

fn site_ref<'a>(views: &Views<'_>, page: &HeadInput<'a>) -> WebSite<'a> {
    let home = format!("{}index.html", views.site.lang_prefix(views.lang));
    WebSite {
        context: None,
        kind: "WebSite",
        description: None,
        in_language: None,
        name: page.site_title,
        potential_action: None,
        url: crate::base::url::absolute(&views.site.config.base_url, &home),
    }
}

fn website<'a, 'v: 'a>(views: &Views<'v>, page: &HeadInput<'a>) -> WebSite<'a> {
    let search = page.has_search.then(|| {
        let target = format!(
            "{}search.html?q={{search_term_string}}",
            views.site.lang_prefix(views.lang)
        );
        SearchAction {
            kind: "SearchAction",
            query_input: "required name=search_term_string",
            target: EntryPoint {
                kind: "EntryPoint",
                url_template: crate::base::url::absolute(&views.site.config.base_url, &target),
            },
        }
    });
    WebSite {
        context: Some(CONTEXT),
        kind: "WebSite",
        description: Some(page.site_description),
        in_language: Some(views.lang),
        name: page.site_title,
        potential_action: search,
        url: page.canonical.to_string(),
    }
}

fn webpage<'a, 'v: 'a>(views: &Views<'v>, page: &HeadInput<'a>) -> WebPage<'a> {
    WebPage {
        context: CONTEXT,
        kind: "WebPage",
        description: page.description,
        in_language: views.lang,
        is_part_of: site_ref(views, page),
        name: if page.title.is_empty() {
            page.site_title
        } else {
            page.title
        },
        url: page.canonical,
    }
}

/// The description of entry `i`: a dataset, an article about its publication, or a plain page.
fn entry_ld(views: &Views<'_>, page: &HeadInput<'_>, i: PageId) -> String {
    let site = views.site;
    let p = site
        .collection_of(i)
        .and_then(|c| publication(c, &site.pages[i]));
    match p {
        Some(p) if p.is_dataset() => script_safe(&dataset(views, page, i, &p)),
        Some(p) if p.exists() => script_safe(&article(views, page, i, &p)),
        _ => script_safe(&webpage(views, page)),
    }
}

/// Fields shared by the article and dataset descriptions.
fn described<'a, 'v: 'a>(
    views: &Views<'v>,
    page: &HeadInput<'a>,
    i: PageId,
    p: &'a Publication<'a>,
) -> Described<'a> {
    let identifier = [("DOI", p.doi), ("arXiv", p.arxiv)]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(id, value)| PropertyValue {
            kind: "PropertyValue",
            property_id: id,
            value,
        })
        .collect();
    Described {
        context: CONTEXT,
        kind: "",
        alternate_name: None,
        citation: None,
        creator: Vec::new(),
        date_published: p.date.map(|d| d.iso()),
        description: page.description,
        headline: None,
        identifier,
        is_part_of: None,
        keywords: keywords(views, i),
        main_entity_of_page: page.canonical,
        name: "",
        pagination: None,
        same_as: p.links.iter().map(|l| l.url.as_str()).collect(),
        source_organization: Vec::new(),
        url: p.primary_url(),
    }
}

/// The labels of the entry's keyword terms, in the page language.
fn keywords<'v>(views: &Views<'v>, i: PageId) -> Vec<&'v str> {
    let site = views.site;
    let Some(c) = site.collection_of(i) else {
        return Vec::new();
    };
    let Some(decl) = &c.citation else {
        return Vec::new();
    };
    let page = &site.pages[i];
    decl.paths
        .keywords
        .iter()
        .flat_map(|&f| {
            let field = &c.schema.fields[f];
            page.values[f]
                .terms()
                .iter()
                .map(move |k| match &field.vocabulary {
                    Some(v) => site.config.term_label(v, k, views.lang),
                    None => k.as_str(),
                })
        })
        .collect()
}

fn organizations<'a>(p: &'a Publication<'a>) -> Vec<Organization<'a>> {
    p.organizations
        .iter()
        .map(|name| Organization {
            kind: "Organization",
            name,
        })
        .collect()
}

fn article<'a, 'v: 'a>(
    views: &Views<'v>,
    page: &HeadInput<'a>,
    i: PageId,
    p: &'a Publication<'a>,
) -> Described<'a> {
    let name = p.cited_title();
    Described {
        kind: "ScholarlyArticle",
        name,
        headline: Some(truncate(name, 110)),
        is_part_of: (!p.venue.is_empty()).then(|| venue(p)),
        pagination: (!p.pages.is_empty()).then_some(p.pages),
        source_organization: organizations(p),
        ..described(views, page, i, p)
    }
}

fn venue<'a>(p: &'a Publication<'a>) -> Venue<'a> {
    let plain = |kind| Venue {
        kind,
        alternate_name: None,
        is_part_of: None,
        issue_number: None,
        name: None,
        volume_number: None,
    };
    let mut v = match p.venue_kind() {
        VenueKind::Conference(full) => Venue {
            name: Some(full),
            alternate_name: Some(p.venue),
            ..plain("Book")
        },
        _ => Venue {
            name: Some(p.venue),
            ..plain("Periodical")
        },
    };
    if !p.volume.is_empty() {
        v = Venue {
            volume_number: Some(p.volume),
            is_part_of: Some(Box::new(v)),
            ..plain("PublicationVolume")
        };
    }
    if !p.number.is_empty() {
        v = Venue {
            issue_number: Some(p.number),
            is_part_of: Some(Box::new(v)),
            ..plain("PublicationIssue")
        };
    }
    v
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

fn dataset<'a, 'v: 'a>(
    views: &Views<'v>,
    page: &HeadInput<'a>,
    i: PageId,
    p: &'a Publication<'a>,
) -> Described<'a> {
    let citation = (!p.title.is_empty()).then(|| CitedArticle {
        kind: "ScholarlyArticle",
        name: p.title,
        url: p.primary_url(),
    });
    Described {
        kind: "Dataset",
        name: page.title,
        alternate_name: (!p.name.is_empty()).then_some(p.name),
        creator: organizations(p),
        citation,
        ..described(views, page, i, p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_escapes_markup() {
        let v = serde_json::json!({ "a": "</script><!-- & -->" });
        let s = script_safe(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://medfm-atlas.github.io"), "/");
        assert_eq!(base_path("https://a.org/atlas/"), "/atlas/");
    }

    #[test]
    fn venues_nest_volume_and_issue_in_sorted_key_order() {
        let decl = crate::model::schema::CitationDecl::default();
        let p = Publication {
            decl: &decl,
            page_title: "T",
            title: "A",
            name: "",
            venue: "Nature",
            volume: "7",
            number: "2",
            pages: "",
            doi: "",
            arxiv: "",
            links: &[],
            organizations: &[],
            authors: &[],
            more_authors: false,
            date: None,
            kind: "",
        };
        assert_eq!(
            serde_json::to_string(&venue(&p)).unwrap(),
            r#"{"@type":"PublicationIssue","isPartOf":{"@type":"PublicationVolume","isPartOf":{"@type":"Periodical","name":"Nature"},"volumeNumber":"7"},"issueNumber":"2"}"#
        );
    }
}
