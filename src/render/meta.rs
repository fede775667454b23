//! Head metadata of every page: Open Graph and Twitter card values and JSON-LD —
//! `ScholarlyArticle` for a work's publication, `Dataset` for datasets, `WebSite` (with a
//! search action when the site has a search page) for the home page, `WebPage` elsewhere.
//! The JSON-LD is made safe to embed in `<script>`: `<`, `>` and `&` are written as `\u` escapes.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::model::schema::WorkMeta;
use crate::model::site::{work_terms, Site};
use crate::outputs::bibtex;
use crate::render::Frame;
use crate::view::{lang_prefix, Views};

/// What a page is about, for its structured data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// The home page.
    Home,
    /// A work page (index into `Site::pages`).
    Work(usize),
    /// Any other page.
    Page,
}

/// Head values a template writes into `<meta>` tags and a JSON-LD script.
#[derive(Debug, Clone, Serialize)]
pub struct Head {
    /// `og:title` / `twitter:title`: the page title, or the site title on the home page.
    pub title: String,
    /// `og:type`: `article` for work pages, `website` otherwise.
    pub og_type: &'static str,
    /// `og:locale` of the page language, e.g. `zh_CN`.
    pub locale: String,
    /// `og:locale:alternate` of the other languages.
    pub locale_alternates: Vec<String>,
    /// Title of this language's Atom feed.
    pub feed_title: String,
    /// Path of the site root on its server (`/` or `/sub/`), for the 404 page's `<base>`.
    pub base_path: String,
    /// JSON-LD, escaped for a `<script type="application/ld+json">` element.
    pub json_ld: String,
}

/// Options that depend on the whole build, not on one page.
#[derive(Debug, Clone, Copy, Default)]
pub struct HeadOptions {
    /// True when the site has a `search.html?q=` results page.
    pub has_search: bool,
}

/// The Open Graph locale of a language code.
pub fn og_locale(lang: &str) -> String {
    match lang {
        "zh" => "zh_CN".into(),
        "en" => "en_US".into(),
        other => other.replace('-', "_"),
    }
}

/// Head metadata of the page described by `frame`.
pub fn head(views: &Views<'_>, frame: &Frame, subject: Subject, options: HeadOptions) -> Head {
    let site = views.site;
    let title = if frame.title.is_empty() {
        frame.site_title.clone()
    } else {
        frame.title.clone()
    };
    let ld = match subject {
        Subject::Home => website(views, frame, options),
        Subject::Work(i) => work_ld(views, frame, i),
        Subject::Page => webpage(views, frame),
    };
    Head {
        title,
        og_type: if matches!(subject, Subject::Work(_)) {
            "article"
        } else {
            "website"
        },
        locale: og_locale(views.lang),
        locale_alternates: site
            .config
            .language_codes()
            .filter(|l| *l != views.lang)
            .map(og_locale)
            .collect(),
        feed_title: format!("{} (Atom)", frame.site_title),
        base_path: base_path(&site.config.base_url),
        json_ld: script_safe(&ld),
    }
}

/// The path part of a base URL, with a trailing slash: `https://a.org/x` → `/x/`.
pub fn base_path(base_url: &str) -> String {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    format!("{}/", path.trim_end_matches('/'))
}

/// Serialises JSON for a `<script>` element: `<`, `>` and `&` become `\u003c` etc., so neither
/// `</script>` nor `<!--` can appear, and the text is still the same JSON.
pub fn script_safe(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn site_ref(views: &Views<'_>, frame: &Frame) -> Value {
    let home = format!(
        "{}/{}index.html",
        views.site.config.base_url.trim_end_matches('/'),
        lang_prefix(views.site, views.lang)
    );
    json!({ "@type": "WebSite", "name": frame.site_title, "url": home })
}

fn website(views: &Views<'_>, frame: &Frame, options: HeadOptions) -> Value {
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": frame.site_title,
        "description": frame.site_description,
        "url": frame.canonical,
        "inLanguage": views.lang,
    });
    if options.has_search {
        let base = views.site.config.base_url.trim_end_matches('/');
        let target = format!(
            "{base}/{}search.html?q={{search_term_string}}",
            lang_prefix(views.site, views.lang)
        );
        ld["potentialAction"] = json!({
            "@type": "SearchAction",
            "target": { "@type": "EntryPoint", "urlTemplate": target },
            "query-input": "required name=search_term_string",
        });
    }
    ld
}

fn webpage(views: &Views<'_>, frame: &Frame) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": if frame.title.is_empty() { &frame.site_title } else { &frame.title },
        "description": frame.description,
        "url": frame.canonical,
        "inLanguage": views.lang,
        "isPartOf": site_ref(views, frame),
    })
}

/// The main link of a publication: its DOI, else its arXiv page, else its first link.
fn primary_url(w: &WorkMeta) -> Option<String> {
    if !w.paper.doi.trim().is_empty() {
        Some(format!("https://doi.org/{}", w.paper.doi.trim()))
    } else if !w.arxiv.trim().is_empty() {
        Some(format!("https://arxiv.org/abs/{}", w.arxiv.trim()))
    } else {
        w.links.first().map(|l| l.url.clone())
    }
}

fn identifiers(w: &WorkMeta) -> Vec<Value> {
    [("DOI", &w.paper.doi), ("arXiv", &w.arxiv)]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(id, v)| json!({ "@type": "PropertyValue", "propertyID": id, "value": v.trim() }))
        .collect()
}

fn keywords(views: &Views<'_>, w: &WorkMeta) -> Vec<String> {
    ["modality", "organ", "task"]
        .into_iter()
        .flat_map(|tax| {
            work_terms(w, tax)
                .into_iter()
                .map(move |k| views.site.config.term_label(tax, k, views.lang).to_string())
        })
        .collect()
}

fn organisations(w: &WorkMeta) -> Vec<Value> {
    w.institutions
        .iter()
        .map(|n| json!({ "@type": "Organization", "name": n }))
        .collect()
}

/// Fields shared by the article and dataset descriptions.
fn common(views: &Views<'_>, frame: &Frame, i: usize) -> Map<String, Value> {
    let site: &Site = views.site;
    let w = site.work(i);
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org"));
    m.insert("description".into(), json!(frame.description));
    m.insert("mainEntityOfPage".into(), json!(frame.canonical));
    if let Some(d) = w.date {
        m.insert("datePublished".into(), json!(d.iso()));
    }
    if let Some(url) = primary_url(w) {
        m.insert("url".into(), json!(url));
    }
    let same_as: Vec<&str> = w.links.iter().map(|l| l.url.as_str()).collect();
    insert_list(
        &mut m,
        "sameAs",
        same_as.into_iter().map(Value::from).collect(),
    );
    insert_list(&mut m, "identifier", identifiers(w));
    insert_list(
        &mut m,
        "keywords",
        keywords(views, w).into_iter().map(Value::from).collect(),
    );
    m
}

fn insert_list(m: &mut Map<String, Value>, key: &str, list: Vec<Value>) {
    if !list.is_empty() {
        m.insert(key.into(), Value::Array(list));
    }
}

fn work_ld(views: &Views<'_>, frame: &Frame, i: usize) -> Value {
    let w = views.site.work(i);
    if w.kind == "dataset" {
        return dataset(views, frame, i);
    }
    if !bibtex::has_publication(w) {
        return webpage(views, frame);
    }
    let mut m = common(views, frame, i);
    let name = [&w.paper.title, &w.full_name, &w.title]
        .into_iter()
        .find(|s| !s.trim().is_empty())
        .cloned()
        .unwrap_or_default();
    m.insert("@type".into(), json!("ScholarlyArticle"));
    m.insert("name".into(), json!(name));
    m.insert("headline".into(), json!(truncate(&name, 110)));
    if !w.venue.trim().is_empty() {
        m.insert("isPartOf".into(), venue(w));
    }
    if !w.paper.pages.trim().is_empty() {
        m.insert("pagination".into(), json!(w.paper.pages.trim()));
    }
    insert_list(&mut m, "sourceOrganization", organisations(w));
    Value::Object(m)
}

fn venue(w: &WorkMeta) -> Value {
    let name = w.venue.trim();
    let mut v = match bibtex::venue_kind(name) {
        bibtex::VenueKind::Conference(full) => {
            json!({ "@type": "Book", "name": full, "alternateName": name })
        }
        _ => json!({ "@type": "Periodical", "name": name }),
    };
    if !w.paper.volume.trim().is_empty() {
        v = json!({ "@type": "PublicationVolume", "volumeNumber": w.paper.volume.trim(), "isPartOf": v });
    }
    if !w.paper.number.trim().is_empty() {
        v = json!({ "@type": "PublicationIssue", "issueNumber": w.paper.number.trim(), "isPartOf": v });
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

fn dataset(views: &Views<'_>, frame: &Frame, i: usize) -> Value {
    let w = views.site.work(i);
    let mut m = common(views, frame, i);
    m.insert("@type".into(), json!("Dataset"));
    m.insert("name".into(), json!(frame.title));
    if !w.full_name.trim().is_empty() {
        m.insert("alternateName".into(), json!(w.full_name.trim()));
    }
    insert_list(&mut m, "creator", organisations(w));
    if !w.paper.title.trim().is_empty() {
        let mut paper = json!({ "@type": "ScholarlyArticle", "name": w.paper.title.trim() });
        if let Some(url) = primary_url(w) {
            paper["url"] = json!(url);
        }
        m.insert("citation".into(), paper);
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_escapes_markup() {
        let v = json!({ "a": "</script><!-- & -->" });
        let s = script_safe(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://medfm-atlas.github.io"), "/");
        assert_eq!(base_path("https://a.org/atlas/"), "/atlas/");
    }
}
