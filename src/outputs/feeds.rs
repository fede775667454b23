//! Syndication and crawling: an Atom 1.0 feed of works per language, `sitemap.xml` with
//! `hreflang` alternates, and `robots.txt`. XML is written with quick-xml, which escapes every
//! text and attribute; URLs are absolute, from the configured base URL.

use std::collections::BTreeMap;
use std::io;

use anyhow::{Context as _, Result};
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::base::date::PartialDate;
use crate::model::schema::Feed;
use crate::model::site::Site;
use crate::view::Views;

/// File name of the feed in each language folder.
pub(crate) const FEED_FILE: &str = "atom.xml";
/// Pages left out of the sitemap: not content of their own.
pub(crate) const SITEMAP_EXCLUDED: [&str; 3] = ["404.html", "print.html", "search.html"];

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// An Atom timestamp for a date known to some precision: unknown month and day count as 01,
/// the time as midnight UTC.
pub(crate) fn atom_timestamp(d: &PartialDate) -> String {
    format!("{}T00:00:00Z", d.full())
}

/// Removes characters XML 1.0 cannot hold (C0 controls other than tab and line breaks).
fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

fn text_element<W: io::Write>(w: &mut Writer<W>, name: &str, text: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(&xml_safe(text)))?;
    Ok(())
}

fn finish(writer: Writer<Vec<u8>>, what: &str) -> Result<String> {
    let mut text =
        String::from_utf8(writer.into_inner()).with_context(|| format!("{what} is not UTF-8"))?;
    text.push('\n');
    Ok(text)
}

fn new_writer() -> io::Result<Writer<Vec<u8>>> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    Ok(w)
}

/// One entry of a feed, already in the feed's language.
struct FeedEntry {
    url: String,
    title: String,
    summary: String,
    updated: String,
    categories: Vec<(String, String)>,
}

/// Dated entries of the feed's collection, newest first (then by slug); undated entries are
/// not in the feed.
fn feed_entries(views: &Views<'_>, decl: &Feed) -> Vec<FeedEntry> {
    let site = views.site;
    let mut dated: Vec<(PartialDate, usize)> = (site.collections[decl.at].order.iter())
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
                    (term.key, term.label)
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

/// The Atom feed of `views.lang`: `atom.xml` in that language's folder.
pub(crate) fn atom(views: &Views<'_>, decl: &Feed) -> Result<String> {
    let site = views.site;
    let lang = views.lang;
    let config = &site.config;
    let prefix = site.lang_prefix(lang);
    let entries = feed_entries(views, decl);
    let feed_url = absolute(site, &format!("{prefix}{FEED_FILE}"));
    let home = absolute(site, &format!("{prefix}index.html"));
    let title = config.localized(&config.title, lang);
    let updated = entries
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |e| e.updated.clone());
    let mut w = new_writer()?;
    w.create_element("feed")
        .with_attribute(("xmlns", ATOM_NS))
        .with_attribute(("xml:lang", lang))
        .write_inner_content(|w| {
            text_element(w, "title", title)?;
            text_element(w, "subtitle", config.localized(&config.description, lang))?;
            text_element(w, "id", &feed_url)?;
            link(w, "self", "application/atom+xml", &feed_url)?;
            link(w, "alternate", "text/html", &home)?;
            text_element(w, "updated", &updated)?;
            w.create_element("author")
                .write_inner_content(|w| text_element(w, "name", title))?;
            text_element(w, "generator", "medfm")?;
            entries.iter().try_for_each(|e| entry(w, e))
        })?;
    finish(w, "atom.xml")
}

fn link<W: io::Write>(w: &mut Writer<W>, rel: &str, kind: &str, href: &str) -> io::Result<()> {
    w.create_element("link")
        .with_attribute(("rel", rel))
        .with_attribute(("type", kind))
        .with_attribute(("href", href))
        .write_empty()?;
    Ok(())
}

fn entry<W: io::Write>(w: &mut Writer<W>, e: &FeedEntry) -> io::Result<()> {
    w.create_element("entry").write_inner_content(|w| {
        text_element(w, "title", &e.title)?;
        text_element(w, "id", &e.url)?;
        link(w, "alternate", "text/html", &e.url)?;
        text_element(w, "published", &e.updated)?;
        text_element(w, "updated", &e.updated)?;
        w.create_element("summary")
            .with_attribute(("type", "text"))
            .write_text_content(BytesText::new(&xml_safe(&e.summary)))?;
        for (term, label) in &e.categories {
            w.create_element("category")
                .with_attribute(("term", term.as_str()))
                .with_attribute(("label", xml_safe(label).as_str()))
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The language of a site-root-relative path and the path inside that language's folder.
fn split_lang<'a>(site: &'a Site, path: &'a str) -> (&'a str, &'a str) {
    site.config
        .language_codes()
        .filter(|l| *l != site.default_lang())
        .find_map(|l| path.strip_prefix(&format!("{l}/")).map(|rest| (l, rest)))
        .unwrap_or((site.default_lang(), path))
}

/// `sitemap.xml` for the HTML files `pages` (site-root-relative paths): every page except
/// [`SITEMAP_EXCLUDED`], with an `xhtml:link` per language when a page exists in several.
pub(crate) fn sitemap(site: &Site, pages: &[String]) -> Result<String> {
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
    let mut w = new_writer()?;
    w.create_element("urlset")
        .with_attribute(("xmlns", SITEMAP_NS))
        .with_attribute(("xmlns:xhtml", XHTML_NS))
        .write_inner_content(|w| {
            for (page, alternates) in &urls {
                w.create_element("url").write_inner_content(|w| {
                    text_element(w, "loc", &absolute(site, page))?;
                    if alternates.len() > 1 {
                        for lang in site.config.language_codes() {
                            if let Some(alt) = alternates.get(lang) {
                                w.create_element("xhtml:link")
                                    .with_attribute(("rel", "alternate"))
                                    .with_attribute(("hreflang", lang))
                                    .with_attribute(("href", absolute(site, alt).as_str()))
                                    .write_empty()?;
                            }
                        }
                    }
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    finish(w, "sitemap.xml")
}

/// `robots.txt`: everything allowed, and where the sitemap is.
pub(crate) fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        absolute(site, "sitemap.xml")
    )
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

    #[test]
    fn xml_safe_drops_controls() {
        assert_eq!(xml_safe("a\u{1}b\tc\n"), "ab\tc\n");
    }
}
