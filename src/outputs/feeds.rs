//! Syndication and crawling: an Atom 1.0 feed of works per language, `sitemap.xml` with
//! `hreflang` alternates, and `robots.txt`. Each is rendered from a typed context through its
//! template — the default embedded in medfm ([`crate::templates::defaults`]), or the site's
//! `templates/` file of the same name. URLs are absolute, from the configured base URL.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::base::date::PartialDate;
use crate::base::diagnostic::Diagnostic;
use crate::model::id::PageId;
use crate::model::schema::Feed;
use crate::model::site::Site;
use crate::templates::defaults::{ATOM, ROBOTS, SITEMAP};
use crate::templates::guard::TemplateGuard;
use crate::templates::{Call, Context, Templates};
use crate::view::Views;

/// File name of the feed in each language folder.
pub(crate) const FEED_FILE: &str = ATOM;
/// File name of the sitemap at the site root.
pub(crate) const SITEMAP_FILE: &str = SITEMAP;
/// File name of `robots.txt` at the site root.
pub(crate) const ROBOTS_FILE: &str = ROBOTS;
/// Pages left out of the sitemap: not content of their own.
pub(crate) const SITEMAP_EXCLUDED: [&str; 3] = ["404.html", "print.html", "search.html"];

/// The variables of the generated files' templates: (template, variable, what it holds).
/// `medfm schema --templates` prints them; a test checks that each context has exactly these.
pub(crate) const DOCUMENTED: &[(&str, &str, &str)] = &[
    (ATOM, "lang", "language code of the feed"),
    (ATOM, "title", "site title in the feed's language (also the feed's author)"),
    (ATOM, "subtitle", "site description in the feed's language"),
    (ATOM, "url", "absolute URL of the feed, also its id"),
    (ATOM, "home", "absolute URL of the language's home page"),
    (ATOM, "updated", "the newest entry's timestamp (1970-01-01T00:00:00Z when there is none)"),
    (ATOM, "entries", "the dated entries, newest first: `url` (absolute), `title`, `summary`, `updated` (an Atom timestamp), `categories` (each `term`, `label`)"),
    (SITEMAP, "urls", "every page but 404, print and search, sorted: `loc` (absolute URL), `alternates` (each `lang`, `href`; empty when the page is in one language only)"),
    (ROBOTS, "sitemap", "absolute URL of the sitemap"),
];

/// An Atom timestamp for a date known to some precision: unknown month and day count as 01,
/// the time as midnight UTC.
pub(crate) fn atom_timestamp(d: &PartialDate) -> String {
    format!("{}T00:00:00Z", d.full())
}

/// Renders the generated files through the site's templates, timed by the watchdog.
pub(crate) struct FileRenderer<'a> {
    /// The templates, the defaults among them.
    pub(crate) templates: &'a Templates,
    /// Bounds each render.
    pub(crate) guard: &'a TemplateGuard,
}

impl FileRenderer<'_> {
    /// Template `template` rendered from `context` for the file `path`.
    fn render(
        &self,
        template: &str,
        path: &str,
        context: &impl Serialize,
    ) -> Result<String, Diagnostic> {
        let context = Context::from_serialize(context).map_err(|e| {
            let message = format!("cannot render {path}: {e}");
            Diagnostic::error(format!("templates/{template}"), 0, 0, message)
        })?;
        let call = Call {
            template,
            page: path,
            guard: self.guard,
            origins: &Vec::new,
        };
        self.templates.render(&call, &context)
    }
}

/// What the template of an Atom feed receives.
#[derive(Debug, Serialize)]
pub(crate) struct FeedContext<'a> {
    /// Language code of the feed.
    pub(crate) lang: &'a str,
    /// Site title in that language (also the feed's author).
    pub(crate) title: &'a str,
    /// Site description in that language.
    pub(crate) subtitle: &'a str,
    /// Absolute URL of the feed (also its id).
    pub(crate) url: String,
    /// Absolute URL of the language's home page.
    pub(crate) home: String,
    /// Timestamp of the newest entry (1970-01-01T00:00:00Z when there is none).
    pub(crate) updated: String,
    /// The entries, newest first.
    pub(crate) entries: Vec<FeedEntry>,
}

/// One entry of a feed, already in the feed's language.
#[derive(Debug, Serialize)]
pub(crate) struct FeedEntry {
    /// Absolute URL of the entry's page (also its id).
    pub(crate) url: String,
    /// Title.
    pub(crate) title: String,
    /// Summary.
    pub(crate) summary: String,
    /// Its date as an Atom timestamp.
    pub(crate) updated: String,
    /// Its terms of the feed's category fields.
    pub(crate) categories: Vec<FeedCategory>,
}

/// A term of an entry, as an Atom category.
#[derive(Debug, Serialize)]
pub(crate) struct FeedCategory {
    /// The term's key.
    pub(crate) term: String,
    /// Its label in the feed's language.
    pub(crate) label: String,
}

/// Dated entries of the feed's collection, newest first (then by slug); undated entries are
/// not in the feed.
fn feed_entries(views: &Views<'_>, decl: &Feed) -> Vec<FeedEntry> {
    let site = views.site;
    let mut dated: Vec<(PartialDate, PageId)> = (site.collections[decl.at].order.iter())
        .filter_map(|&i| site.date(i).map(|d| (d, i)))
        .collect();
    dated.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| site.pages[a.1].slug.cmp(&site.pages[b.1].slug))
    });
    dated
        .into_iter()
        .map(|(date, i)| {
            let page = &site.pages[i];
            let categories = (decl.category_fields().iter())
                .filter(|&&f| !page.values[f].as_str().is_empty())
                .map(|&f| {
                    let term = views.term(decl.at, f, page.values[f].as_str());
                    FeedCategory {
                        term: term.key,
                        label: term.label,
                    }
                })
                .collect();
            FeedEntry {
                url: absolute(site, &views.url(&page.output)),
                title: site.title(i, views.lang).to_string(),
                summary: site.summary(i, views.lang).to_string(),
                updated: atom_timestamp(&date),
                categories,
            }
        })
        .collect()
}

/// `base_url` joined with a site-root-relative path.
pub(crate) fn absolute(site: &Site, rel: &str) -> String {
    crate::base::url::absolute(&site.config.base_url, rel)
}

/// What the feed of `views.lang` holds.
pub(crate) fn feed_context<'a>(views: &Views<'a>, decl: &Feed) -> FeedContext<'a> {
    let site = views.site;
    let (config, lang) = (&site.config, views.lang);
    let prefix = site.lang_prefix(lang);
    let entries = feed_entries(views, decl);
    FeedContext {
        lang,
        title: config.localized(&config.title, lang),
        subtitle: config.localized(&config.description, lang),
        url: absolute(site, &format!("{prefix}{FEED_FILE}")),
        home: absolute(site, &format!("{prefix}index.html")),
        updated: (entries.first())
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| e.updated.clone()),
        entries,
    }
}

/// The Atom feed of `views.lang` (`atom.xml` in that language's folder) and its number of
/// entries.
pub(crate) fn atom(
    out: &FileRenderer<'_>,
    views: &Views<'_>,
    decl: &Feed,
) -> Result<(String, usize), Diagnostic> {
    let context = feed_context(views, decl);
    let path = format!("{}{FEED_FILE}", views.site.lang_prefix(views.lang));
    let text = out.render(ATOM, &path, &context)?;
    Ok((text, context.entries.len()))
}

/// What the template of `sitemap.xml` receives.
#[derive(Debug, Serialize)]
pub(crate) struct SitemapContext {
    /// Every page listed, sorted by URL.
    pub(crate) urls: Vec<SitemapUrl>,
}

/// One page of the sitemap.
#[derive(Debug, Serialize)]
pub(crate) struct SitemapUrl {
    /// Its absolute URL.
    pub(crate) loc: String,
    /// The page in every language, when it exists in more than one.
    pub(crate) alternates: Vec<SitemapAlternate>,
}

/// The page in one language.
#[derive(Debug, Serialize)]
pub(crate) struct SitemapAlternate {
    /// Language code.
    pub(crate) lang: String,
    /// Absolute URL.
    pub(crate) href: String,
}

/// The language of a site-root-relative path and the path inside that language's folder.
fn split_lang<'a>(site: &'a Site, path: &'a str) -> (&'a str, &'a str) {
    site.config
        .language_codes()
        .filter(|l| *l != site.default_lang())
        .find_map(|l| path.strip_prefix(&format!("{l}/")).map(|rest| (l, rest)))
        .unwrap_or((site.default_lang(), path))
}

/// What the sitemap of the HTML files `pages` (site-root-relative paths) lists: every page
/// except [`SITEMAP_EXCLUDED`], with its alternates when it exists in several languages.
pub(crate) fn sitemap_context(site: &Site, pages: &[String]) -> SitemapContext {
    let mut groups: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for page in pages {
        let (lang, rest) = split_lang(site, page);
        if !SITEMAP_EXCLUDED.contains(&rest) {
            groups.entry(rest).or_default().insert(lang, page);
        }
    }
    let mut urls: Vec<(&str, &BTreeMap<&str, &str>)> = groups
        .values()
        .flat_map(|g| g.values().map(move |p| (*p, g)))
        .collect();
    urls.sort();
    let alternates = |group: &BTreeMap<&str, &str>| match group.len() > 1 {
        true => (site.config.language_codes())
            .filter_map(|lang| {
                group.get(lang).map(|alt| SitemapAlternate {
                    lang: lang.to_string(),
                    href: absolute(site, alt),
                })
            })
            .collect(),
        false => Vec::new(),
    };
    SitemapContext {
        urls: (urls.into_iter())
            .map(|(page, group)| SitemapUrl {
                loc: absolute(site, page),
                alternates: alternates(group),
            })
            .collect(),
    }
}

/// `sitemap.xml` for the HTML files `pages`, and its number of pages.
pub(crate) fn sitemap(
    out: &FileRenderer<'_>,
    site: &Site,
    pages: &[String],
) -> Result<(String, usize), Diagnostic> {
    let context = sitemap_context(site, pages);
    let text = out.render(SITEMAP, SITEMAP_FILE, &context)?;
    Ok((text, context.urls.len()))
}

/// What the template of `robots.txt` receives.
#[derive(Debug, Serialize)]
pub(crate) struct RobotsContext {
    /// Absolute URL of the sitemap.
    pub(crate) sitemap: String,
}

/// `robots.txt`: by default everything allowed, and where the sitemap is.
pub(crate) fn robots(out: &FileRenderer<'_>, site: &Site) -> Result<String, Diagnostic> {
    let context = RobotsContext {
        sitemap: absolute(site, SITEMAP_FILE),
    };
    out.render(ROBOTS, ROBOTS_FILE, &context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_fill_unknown_parts() {
        let d = PartialDate::parse("2024").unwrap();
        assert_eq!(atom_timestamp(&d), "2024-01-01T00:00:00Z");
        let d = PartialDate::parse("2024-11").unwrap();
        assert_eq!(atom_timestamp(&d), "2024-11-01T00:00:00Z");
    }

    /// The default templates, rendered as a site without overrides renders them.
    fn render_default(template: &str, context: &impl Serialize) -> String {
        let templates = Templates::load(std::path::Path::new("templates"), &[]).unwrap();
        let guard = TemplateGuard::default();
        let out = FileRenderer {
            templates: &templates,
            guard: &guard,
        };
        out.render(template, template, context).unwrap()
    }

    /// What quick-xml (which wrote these files before they had templates) wrote for the same
    /// values: its indentation, `<x></x>` for empty text, `&apos;` and `&quot;` in text too,
    /// tabs and line feeds as references in attributes only, controls dropped.
    #[test]
    fn the_default_feed_is_byte_for_byte_what_medfm_wrote_before() {
        let tricky = "A & B <i>'q' \"d\"\tt\nn\rr\u{1}\u{85}/";
        let entry = |title: &str, categories| FeedEntry {
            url: "https://x.org/a.html?p=1&q=2".into(),
            title: title.into(),
            summary: String::new(),
            updated: "2024-01-01T00:00:00Z".into(),
            categories,
        };
        let context = FeedContext {
            lang: "zh",
            title: "站点",
            subtitle: "",
            url: "https://x.org/atom.xml".into(),
            home: "https://x.org/index.html".into(),
            updated: "2024-01-01T00:00:00Z".into(),
            entries: vec![
                entry(
                    tricky,
                    vec![FeedCategory {
                        term: "t".into(),
                        label: tricky.into(),
                    }],
                ),
                entry("B", vec![]),
            ],
        };
        let text = "A &amp; B &lt;i&gt;&apos;q&apos; &quot;d&quot;\tt\nn&#13;r/";
        let attribute = "A &amp; B &lt;i&gt;&apos;q&apos; &quot;d&quot;&#9;t&#10;n&#13;r/";
        let expected = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh">
  <title>站点</title>
  <subtitle></subtitle>
  <id>https://x.org/atom.xml</id>
  <link rel="self" type="application/atom+xml" href="https://x.org/atom.xml"/>
  <link rel="alternate" type="text/html" href="https://x.org/index.html"/>
  <updated>2024-01-01T00:00:00Z</updated>
  <author>
    <name>站点</name>
  </author>
  <generator>medfm</generator>
  <entry>
    <title>{text}</title>
    <id>https://x.org/a.html?p=1&amp;q=2</id>
    <link rel="alternate" type="text/html" href="https://x.org/a.html?p=1&amp;q=2"/>
    <published>2024-01-01T00:00:00Z</published>
    <updated>2024-01-01T00:00:00Z</updated>
    <summary type="text"></summary>
    <category term="t" label="{attribute}"/>
  </entry>
  <entry>
    <title>B</title>
    <id>https://x.org/a.html?p=1&amp;q=2</id>
    <link rel="alternate" type="text/html" href="https://x.org/a.html?p=1&amp;q=2"/>
    <published>2024-01-01T00:00:00Z</published>
    <updated>2024-01-01T00:00:00Z</updated>
    <summary type="text"></summary>
  </entry>
</feed>
"#
        );
        assert_eq!(render_default(ATOM, &context), expected);
        let empty = FeedContext {
            entries: Vec::new(),
            ..context
        };
        assert!(render_default(ATOM, &empty).ends_with("<generator>medfm</generator>\n</feed>\n"));
    }

    #[test]
    fn the_default_sitemap_and_robots_are_what_medfm_wrote_before() {
        let alternate = |lang: &str, href: &str| SitemapAlternate {
            lang: lang.into(),
            href: href.into(),
        };
        let context = SitemapContext {
            urls: vec![
                SitemapUrl {
                    loc: "https://x.org/a.html".into(),
                    alternates: vec![
                        alternate("zh", "https://x.org/a.html"),
                        alternate("en", "https://x.org/en/a.html"),
                    ],
                },
                SitemapUrl {
                    loc: "https://x.org/b.html?x=1&y=2".into(),
                    alternates: vec![],
                },
            ],
        };
        let head = r#"<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">"#;
        let expected = format!(
            r#"{head}
  <url>
    <loc>https://x.org/a.html</loc>
    <xhtml:link rel="alternate" hreflang="zh" href="https://x.org/a.html"/>
    <xhtml:link rel="alternate" hreflang="en" href="https://x.org/en/a.html"/>
  </url>
  <url>
    <loc>https://x.org/b.html?x=1&amp;y=2</loc>
  </url>
</urlset>
"#
        );
        assert_eq!(render_default(SITEMAP, &context), expected);
        let none = SitemapContext { urls: Vec::new() };
        assert_eq!(
            render_default(SITEMAP, &none),
            format!("{head}\n</urlset>\n")
        );
        let robots = RobotsContext {
            sitemap: "https://x.org/sitemap.xml".into(),
        };
        assert_eq!(
            render_default(ROBOTS, &robots),
            "User-agent: *\nAllow: /\n\nSitemap: https://x.org/sitemap.xml\n"
        );
    }

    /// The top-level keys of `context` serialised, sorted.
    fn keys(context: &impl Serialize) -> Vec<String> {
        let value = serde_json::to_value(context).unwrap();
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    }

    #[test]
    fn each_context_has_exactly_the_documented_variables() {
        let documented = |template: &str| {
            let mut names: Vec<String> = (DOCUMENTED.iter())
                .filter(|(t, _, _)| *t == template)
                .map(|(_, name, _)| name.to_string())
                .collect();
            names.sort();
            names
        };
        let feed = FeedContext {
            lang: "en",
            title: "",
            subtitle: "",
            url: String::new(),
            home: String::new(),
            updated: String::new(),
            entries: Vec::new(),
        };
        assert_eq!(keys(&feed), documented(ATOM));
        let sitemap = SitemapContext { urls: Vec::new() };
        assert_eq!(keys(&sitemap), documented(SITEMAP));
        let robots = RobotsContext {
            sitemap: String::new(),
        };
        assert_eq!(keys(&robots), documented(ROBOTS));
    }
}
