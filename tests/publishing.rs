//! Publishing outputs of the real site and of small fixtures: the Atom feeds, the sitemap and
//! robots.txt, JSON-LD and social metadata, `models.json` / `models.csv`, BibTeX, the data page,
//! the print view, the 404 page and the deterministic offline zip. Every format is read back with
//! a real parser (roxmltree, serde_json, csv, biblatex, zip, scraper).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::Work as WorkMeta;
use crate::common::{build_real_site, check_links, files, medfm, repo_root, select, TestProject};
use serde_json::Value;

const ATOM_NS: &str = "http://www.w3.org/2005/Atom";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

/// The real site, built once for this test binary.
fn site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &SITE.get_or_init(build_real_site).1
}

fn read(rel: &str) -> String {
    fs::read_to_string(site().join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
}

fn html(rel: &str) -> scraper::Html {
    scraper::Html::parse_document(&read(rel))
}

/// `base_url` from the real site.yaml.
fn base_url() -> String {
    let config: serde_yaml::Value =
        serde_yaml::from_str(&fs::read_to_string(repo_root().join("site.yaml")).unwrap()).unwrap();
    config["base_url"]
        .as_str()
        .unwrap()
        .trim_end_matches('/')
        .to_string()
}

/// Every work's front matter, parsed from content/models/<slug>.md, by slug.
fn front_matter() -> BTreeMap<String, WorkMeta> {
    let dir = repo_root().join("content/models");
    let mut works = BTreeMap::new();
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(slug) = name.strip_suffix(".md") else {
            continue;
        };
        if slug.contains('.') {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let text = medfm::strip_bom(&text);
        let split = medfm::split_front_matter(&name, text).unwrap();
        let meta: WorkMeta = medfm::parse_front_matter(&name, text, &split).unwrap();
        works.insert(slug.to_string(), meta);
    }
    works
}

/// The site-root-relative file an absolute URL of the site points at.
fn local(url: &str) -> String {
    url.strip_prefix(&format!("{}/", base_url()))
        .unwrap_or_else(|| panic!("{url} is not under the base URL"))
        .to_string()
}

fn is_rfc3339_utc(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && s.ends_with('Z')
}

fn child<'a>(
    node: roxmltree::Node<'a, 'a>,
    ns: &str,
    name: &str,
) -> Option<roxmltree::Node<'a, 'a>> {
    node.children().find(|c| c.has_tag_name((ns, name)))
}

fn child_text(node: roxmltree::Node<'_, '_>, ns: &str, name: &str) -> String {
    child(node, ns, name)
        .and_then(|c| c.text())
        .unwrap_or_default()
        .to_string()
}

mod feed {
    use super::*;

    #[test]
    fn atom_feeds_are_valid_and_list_dated_works_newest_first() {
        let dated = front_matter().values().filter(|w| w.date.is_some()).count();
        assert!(dated > 40, "the real site has dated works");
        for (rel, lang) in [("atom.xml", "zh"), ("en/atom.xml", "en")] {
            let text = read(rel);
            let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let feed = doc.root_element();
            assert!(
                feed.has_tag_name((ATOM_NS, "feed")),
                "{rel}: root is atom:feed"
            );
            assert_eq!(
                feed.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
                Some(lang)
            );
            assert_eq!(
                child_text(feed, ATOM_NS, "id"),
                format!("{}/{rel}", base_url())
            );
            assert!(!child_text(feed, ATOM_NS, "title").is_empty());
            assert!(is_rfc3339_utc(&child_text(feed, ATOM_NS, "updated")));
            assert!(child(feed, ATOM_NS, "author")
                .and_then(|a| child(a, ATOM_NS, "name"))
                .is_some());
            let self_link = feed
                .children()
                .find(|c| c.has_tag_name((ATOM_NS, "link")) && c.attribute("rel") == Some("self"))
                .unwrap();
            assert_eq!(
                self_link.attribute("href").unwrap(),
                format!("{}/{rel}", base_url())
            );
            let entries: Vec<_> = feed
                .children()
                .filter(|c| c.has_tag_name((ATOM_NS, "entry")))
                .collect();
            assert_eq!(entries.len(), dated, "{rel}: one entry per dated work");
            let mut ids = HashSet::new();
            let mut previous = String::from("9999");
            for e in entries {
                let id = child_text(e, ATOM_NS, "id");
                assert!(ids.insert(id.clone()), "{rel}: duplicate id {id}");
                assert!(
                    site().join(local(&id)).is_file(),
                    "{rel}: entry {id} is not a page of the site"
                );
                let updated = child_text(e, ATOM_NS, "updated");
                assert!(is_rfc3339_utc(&updated), "{rel}: {updated}");
                assert!(updated <= previous, "{rel}: entries are newest first");
                previous = updated;
                assert!(
                    !child_text(e, ATOM_NS, "title").is_empty()
                        && !child_text(e, ATOM_NS, "summary").is_empty()
                );
                let link = child(e, ATOM_NS, "link").unwrap();
                assert_eq!(link.attribute("href"), Some(id.as_str()));
                if lang == "en" {
                    assert!(id.contains("/en/models/"), "{id}");
                }
            }
        }
    }

    #[test]
    fn feed_dates_fill_unknown_month_and_day_with_01() {
        let text = read("atom.xml");
        let doc = roxmltree::Document::parse(&text).unwrap();
        let works = front_matter();
        for e in doc
            .descendants()
            .filter(|n| n.has_tag_name((ATOM_NS, "entry")))
        {
            let id = child_text(e, ATOM_NS, "id");
            let slug = id.rsplit('/').next().unwrap().trim_end_matches(".html");
            let date = works[slug].date.unwrap();
            let expected = format!(
                "{:04}-{:02}-{:02}T00:00:00Z",
                date.year,
                date.month.unwrap_or(1),
                date.day.unwrap_or(1)
            );
            assert_eq!(child_text(e, ATOM_NS, "updated"), expected, "{slug}");
        }
    }

    #[test]
    fn pages_link_their_feed() {
        for (page, feed) in [
            ("index.html", "atom.xml"),
            ("en/models/medsam.html", "en/atom.xml"),
            ("en/index.html", "en/atom.xml"),
        ] {
            let doc = html(page);
            let links = select(&doc, "link[rel=alternate][type='application/atom+xml']");
            assert_eq!(links.len(), 1, "{page}");
            assert_eq!(
                resolve(page, links[0].value().attr("href").unwrap()),
                feed,
                "{page}"
            );
        }
    }
}

mod sitemap {
    use super::*;

    #[test]
    fn sitemap_lists_every_page_with_hreflang_alternates() {
        let text = read("sitemap.xml");
        let doc = roxmltree::Document::parse(&text).unwrap();
        let root = doc.root_element();
        assert!(root.has_tag_name((SITEMAP_NS, "urlset")));
        let mut locs = BTreeSet::new();
        for url in root
            .children()
            .filter(|c| c.has_tag_name((SITEMAP_NS, "url")))
        {
            let loc = child_text(url, SITEMAP_NS, "loc");
            let rel = local(&loc);
            assert!(site().join(&rel).is_file(), "{loc} does not exist");
            let alternates: BTreeMap<String, String> = url
                .children()
                .filter(|c| c.has_tag_name((XHTML_NS, "link")))
                .map(|l| {
                    (
                        l.attribute("hreflang").unwrap().to_string(),
                        l.attribute("href").unwrap().to_string(),
                    )
                })
                .collect();
            let other = rel
                .strip_prefix("en/")
                .map_or_else(|| format!("en/{rel}"), str::to_string);
            if site().join(&other).is_file() {
                assert_eq!(alternates.len(), 2, "{loc} exists in both languages");
                assert!(alternates.values().any(|h| *h == loc), "{loc} lists itself");
                assert!(alternates.values().all(|h| site().join(local(h)).is_file()));
                assert_eq!(
                    local(&alternates["en"]),
                    if rel.starts_with("en/") {
                        rel.clone()
                    } else {
                        other.clone()
                    }
                );
            }
            assert!(locs.insert(rel), "{loc} listed twice");
        }
        let expected: BTreeSet<String> = files(site())
            .into_iter()
            .filter(|f| f.ends_with(".html"))
            .filter(|f| {
                !["404.html", "print.html", "search.html"].contains(&f.trim_start_matches("en/"))
            })
            .collect();
        assert_eq!(locs, expected);
        assert!(locs.len() > 400, "real site: {} pages", locs.len());
    }

    #[test]
    fn robots_points_at_the_absolute_sitemap() {
        let robots = read("robots.txt");
        assert!(robots.lines().any(|l| l == "User-agent: *"));
        assert!(
            robots
                .lines()
                .any(|l| l == format!("Sitemap: {}/sitemap.xml", base_url())),
            "{robots}"
        );
    }
}

/// The feeds, the sitemap and robots.txt come from templates medfm embeds; a site's template
/// of the same name replaces one, and is checked like every other template.
mod overrides {
    use super::*;

    #[test]
    fn a_template_of_the_same_name_replaces_the_default() {
        let project = TestProject::fixture("minimal");
        project.write(
            "templates/robots.txt",
            "User-agent: *\nDisallow: /drafts/\n\nSitemap: {{ sitemap }}\n",
        );
        project.write(
            "templates/atom.xml",
            "<feed>{% for e in entries %}<e>{{ e.title | escape_xml }}</e>{% endfor %}</feed>\n",
        );
        project.build().assert_ok();
        assert_eq!(
            project.read("robots.txt"),
            "User-agent: *\nDisallow: /drafts/\n\nSitemap: https://example.org/sitemap.xml\n"
        );
        let feed = project.read("en/atom.xml");
        assert!(feed.starts_with("<feed><e>"), "{feed}");
        assert!(feed.contains("<e>MedSAM</e>"), "{feed}");
        // The sitemap the site did not replace is the default's.
        assert!(project
            .read("sitemap.xml")
            .contains("<xhtml:link rel=\"alternate\""));
    }

    #[test]
    fn a_static_file_replaces_the_stylesheets_and_scripts_medfm_ships() {
        let project = TestProject::fixture("minimal");
        project.write("static/highlight.css", "/* the site's own */\n");
        project.write("static/medfm.css", "/* the site's own markup styles */\n");
        project.write("static/search.js", "// the site's own search\n");
        project.build().assert_ok();
        assert_eq!(project.read("highlight.css"), "/* the site's own */\n");
        assert_eq!(
            project.read("medfm.css"),
            "/* the site's own markup styles */\n"
        );
        assert_eq!(project.read("search.js"), "// the site's own search\n");
        assert!(project.read("table.js").len() > 100, "the others stay");
        let page = project.html("models/medsam.html");
        assert_eq!(select(&page, "link[href=\"../medfm.css\"]").len(), 1);
    }

    #[test]
    fn a_broken_override_is_an_error_located_in_it_that_check_finds() {
        let project = TestProject::fixture("minimal");
        project.write(
            "templates/sitemap.xml",
            "<urlset>\n{% for u in urls %}\n  <loc>{{ u.lco }}</loc>{% endfor %}\n</urlset>\n",
        );
        let run = project.run(&["check"]);
        run.assert_error("templates/sitemap.xml:3:11: error: variable `u.lco` not found");
        assert!(
            run.stderr.contains("`u` is a loop variable"),
            "{}",
            run.stderr
        );
        project.build().assert_error("templates/sitemap.xml:3:11");
        project.write("templates/robots.txt", "Sitemap: {{ sitemap }\n");
        project
            .run(&["check"])
            .assert_error("templates/robots.txt:1:");
    }
}

mod head {
    use super::*;

    fn json_ld(doc: &scraper::Html, page: &str) -> Value {
        let scripts = select(doc, "script[type='application/ld+json']");
        assert_eq!(scripts.len(), 1, "{page}: one JSON-LD script");
        let raw: String = scripts[0].text().collect();
        assert!(
            !raw.contains("</") && !raw.contains("<!--"),
            "{page}: JSON-LD must not hold `</` or `<!--`"
        );
        let value: Value = serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert_eq!(value["@context"], "https://schema.org", "{page}");
        value
    }

    fn meta(doc: &scraper::Html, attr: &str, name: &str) -> String {
        let found = select(doc, &format!("meta[{attr}='{name}']"));
        assert_eq!(found.len(), 1, "one {name}");
        found[0].value().attr("content").unwrap().to_string()
    }

    #[test]
    fn every_page_has_title_description_canonical_and_social_tags() {
        for page in files(site()).into_iter().filter(|f| f.ends_with(".html")) {
            let doc = html(&page);
            assert_eq!(select(&doc, "head > title").len(), 1, "{page}");
            assert!(!meta(&doc, "name", "description").is_empty(), "{page}");
            let canonical = select(&doc, "link[rel=canonical]")[0]
                .value()
                .attr("href")
                .unwrap()
                .to_string();
            assert_eq!(local(&canonical), page);
            assert_eq!(meta(&doc, "property", "og:url"), canonical, "{page}");
            assert!(!meta(&doc, "property", "og:title").is_empty(), "{page}");
            assert!(
                !meta(&doc, "property", "og:description").is_empty(),
                "{page}"
            );
            assert_eq!(meta(&doc, "name", "twitter:card"), "summary", "{page}");
            let ld = json_ld(&doc, &page);
            assert!(ld["@type"].is_string(), "{page}");
        }
    }

    #[test]
    fn home_page_is_a_website_with_a_search_action() {
        for page in ["index.html", "en/index.html"] {
            let ld = json_ld(&html(page), page);
            assert_eq!(ld["@type"], "WebSite");
            assert_eq!(ld["url"], format!("{}/{page}", base_url()));
            if site().join("search.html").is_file() {
                let action = &ld["potentialAction"];
                assert_eq!(action["@type"], "SearchAction");
                let template = action["target"]["urlTemplate"].as_str().unwrap();
                assert!(template.contains("{search_term_string}"), "{template}");
                assert!(
                    site()
                        .join(local(template.split('?').next().unwrap()))
                        .is_file(),
                    "{template}"
                );
                assert_eq!(action["query-input"], "required name=search_term_string");
            }
        }
    }

    #[test]
    fn works_are_scholarly_articles_or_datasets() {
        let works = front_matter();
        let (mut articles, mut datasets) = (0, 0);
        for (slug, w) in &works {
            for prefix in ["", "en/"] {
                let page = format!("{prefix}models/{slug}.html");
                let doc = html(&page);
                let ld = json_ld(&doc, &page);
                assert_eq!(meta(&doc, "property", "og:type"), "article");
                let publication = !(w.paper.title.is_empty()
                    && w.paper.doi.is_empty()
                    && w.arxiv.is_empty()
                    && w.venue.is_empty());
                match ld["@type"].as_str().unwrap() {
                    "Dataset" => {
                        assert_eq!(w.kind, "dataset", "{page}");
                        assert!(
                            ld["name"].is_string()
                                && ld["description"].as_str().is_some_and(|d| !d.is_empty())
                        );
                        datasets += 1;
                    }
                    "ScholarlyArticle" => {
                        assert!(w.kind != "dataset" && publication, "{page}");
                        assert!(ld["name"].as_str().is_some_and(|n| !n.is_empty()), "{page}");
                        assert!(
                            ld["headline"]
                                .as_str()
                                .is_some_and(|h| h.chars().count() <= 110),
                            "{page}"
                        );
                        if !w.paper.doi.is_empty() {
                            assert_eq!(
                                ld["url"],
                                format!("https://doi.org/{}", w.paper.doi),
                                "{page}"
                            );
                        }
                        if let Some(d) = w.date {
                            assert_eq!(ld["datePublished"], d.iso());
                        }
                        articles += 1;
                    }
                    "WebPage" => assert!(!publication, "{page} has a publication"),
                    other => panic!("{page}: unexpected @type {other}"),
                }
                assert_eq!(
                    ld["mainEntityOfPage"]
                        .as_str()
                        .map(local)
                        .as_deref()
                        .unwrap_or(page.as_str()),
                    page
                );
            }
        }
        assert!(
            articles > 80 && datasets >= 6,
            "{articles} articles, {datasets} datasets"
        );
    }

    #[test]
    fn json_ld_escapes_markup_from_content() {
        let p = TestProject::fixture("minimal");
        p.write(
            "content/models/sam.md",
            p.read_source("content/models/sam.md").replace(
                "summary:",
                "full_name: \"</script><!-- x & y -->\"\nsummary:",
            ),
        );
        p.build().assert_ok();
        let text = p.read("models/sam.html");
        let start = text.find("application/ld+json\">").unwrap();
        let script = &text[start..start + text[start..].find("</script>").unwrap()];
        assert!(
            !script.contains("<!--") && !script[1..].contains("</"),
            "{script}"
        );
        let doc = p.html("models/sam.html");
        let raw: String = select(&doc, "script[type='application/ld+json']")[0]
            .text()
            .collect();
        let _: Value = serde_json::from_str(&raw).unwrap();
    }
}

mod exports {
    use super::*;

    fn catalogue() -> Value {
        serde_json::from_str(&read("models.json")).unwrap()
    }

    #[test]
    fn models_json_round_trips_to_the_front_matter() {
        let json = catalogue();
        assert_eq!(json["format"], "medfm-models");
        assert_eq!(json["version"], 1);
        let works = front_matter();
        let records = json["works"].as_array().unwrap();
        assert_eq!(records.len(), works.len());
        assert_eq!(json["count"], works.len());
        for record in records {
            let slug = record["slug"].as_str().unwrap();
            let back: WorkMeta = serde_json::from_value(record["front_matter"].clone())
                .unwrap_or_else(|e| panic!("{slug}: {e}"));
            assert_eq!(back, works[slug], "{slug}");
            assert_eq!(
                local(record["urls"]["zh"].as_str().unwrap()),
                format!("models/{slug}.html")
            );
            assert_eq!(
                local(record["urls"]["en"].as_str().unwrap()),
                format!("en/models/{slug}.html")
            );
            assert!(record["translations"]["en"]["summary"]
                .as_str()
                .is_some_and(|s| !s.is_empty()));
        }
        let slugs: Vec<&str> = records
            .iter()
            .map(|r| r["slug"].as_str().unwrap())
            .collect();
        assert!(
            slugs.windows(2).all(|w| w[0] < w[1]),
            "works are sorted by slug"
        );
    }

    #[test]
    fn models_csv_has_one_row_per_work_and_keeps_cjk() {
        let bytes = fs::read(site().join("models.csv")).unwrap();
        assert!(
            bytes.starts_with("\u{feff}".as_bytes()),
            "UTF-8 byte-order mark"
        );
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(text.contains("\r\n"), "RFC 4180 line ends");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("no column {name}"))
        };
        let works = front_matter();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), works.len());
        for row in &rows {
            let w = &works[&row[col("slug")]];
            assert_eq!(row.len(), header.len());
            assert_eq!(&row[col("title")], w.title);
            assert_eq!(&row[col("summary")], w.summary, "CJK text intact");
            assert_eq!(&row[col("venue_detail")], w.venue_detail);
            for (name, list) in [
                ("institutions", &w.institutions),
                ("aliases", &w.aliases),
                ("tasks", &w.tasks),
            ] {
                let joined = &row[col(name)];
                let split: Vec<&str> = if joined.is_empty() {
                    Vec::new()
                } else {
                    joined.split("; ").collect()
                };
                assert_eq!(split, *list, "{name} of {}", &row[0]);
            }
            assert!(!row[col("summary_en")].is_empty());
        }
    }

    #[test]
    fn csv_escapes_commas_quotes_and_newlines() {
        let p = TestProject::fixture("minimal");
        let tricky = "A \"quoted\", comma-separated\nmulti-line summary";
        let source = p.read_source("content/models/sam.md");
        let start = source.find("summary:").unwrap();
        let end = start + source[start..].find('\n').unwrap();
        let yaml = "summary: \"A \\\"quoted\\\", comma-separated\\nmulti-line summary\"";
        p.write(
            "content/models/sam.md",
            format!("{}{yaml}{}", &source[..start], &source[end..]),
        );
        p.build().assert_ok();
        let bytes = fs::read(p.out().join("models.csv")).unwrap();
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(
            text.contains("\"A \"\"quoted\"\", comma-separated\nmulti-line summary\""),
            "{text}"
        );
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2, "two works in the fixture");
        let summary = header.iter().position(|h| h == "summary").unwrap();
        let sam = rows.iter().find(|r| &r[0] == "sam").unwrap();
        assert_eq!(&sam[summary], tricky);
    }

    #[test]
    fn exports_are_linked_from_the_works_list_and_the_table() {
        for page in [
            "models/index.html",
            "en/models/index.html",
            "table.html",
            "en/table.html",
            "data.html",
            "en/data.html",
        ] {
            if !site().join(page).is_file() {
                assert!(page.contains("table"), "{page} must exist");
                continue;
            }
            let doc = html(page);
            let hrefs: Vec<String> = select(&doc, "main a[href]")
                .iter()
                .map(|a| a.value().attr("href").unwrap().to_string())
                .collect();
            for export in ["models.csv", "models.json", "references.bib"] {
                let link = hrefs
                    .iter()
                    .find(|h| h.ends_with(export))
                    .unwrap_or_else(|| panic!("{page} lacks a link to {export}"));
                assert_eq!(resolve(page, link), export, "{page}: {link}");
            }
        }
    }
}

/// The site-root-relative path a relative `href` on `page` points at.
fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop().expect("link climbs above the site root");
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

mod bibtex {
    use super::*;

    fn raw_keys(text: &str) -> Vec<String> {
        text.lines()
            .filter_map(|l| l.strip_prefix('@'))
            .map(|l| {
                l.split_once('{')
                    .unwrap()
                    .1
                    .trim_end_matches(',')
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn references_bib_parses_with_unique_keys_matching_the_catalogue() {
        let text = read("references.bib");
        let bib = biblatex::Bibliography::parse(&text)
            .unwrap_or_else(|e| panic!("references.bib: {e:?}"));
        let keys = raw_keys(&text);
        let unique: BTreeSet<&String> = keys.iter().collect();
        assert_eq!(unique.len(), keys.len(), "keys are unique");
        assert_eq!(bib.len(), keys.len());
        let json: Value = serde_json::from_str(&read("models.json")).unwrap();
        let expected: BTreeSet<String> = json["works"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|w| w["bibtex_key"].as_str().map(str::to_string))
            .collect();
        assert_eq!(
            unique.into_iter().cloned().collect::<BTreeSet<_>>(),
            expected
        );
        assert!(keys.len() >= 50, "{} entries", keys.len());
        for entry in bib.iter() {
            assert!(entry.title().is_ok(), "{} has a title", entry.key);
            // Authors come only from the entries' `authors` field: none are invented.
            let recorded = (json["works"].as_array().unwrap().iter())
                .find(|w| w["bibtex_key"].as_str() == Some(entry.key.as_str()))
                .is_some_and(|w| {
                    (w["front_matter"]["authors"].as_array()).is_some_and(|a| !a.is_empty())
                });
            assert_eq!(entry.author().is_ok(), recorded, "{}: authors", entry.key);
            match entry.entry_type.to_string().as_str() {
                "article" => assert!(entry.journal().is_ok(), "{}", entry.key),
                "inproceedings" => assert!(entry.book_title().is_ok(), "{}", entry.key),
                "misc" => {}
                other => panic!("{}: unexpected type {other}", entry.key),
            }
        }
    }

    #[test]
    fn work_pages_show_their_entry_and_it_parses() {
        let works = front_matter();
        let json: Value = serde_json::from_str(&read("models.json")).unwrap();
        for record in json["works"].as_array().unwrap() {
            let slug = record["slug"].as_str().unwrap();
            for prefix in ["", "en/"] {
                let doc = html(&format!("{prefix}models/{slug}.html"));
                let blocks = select(&doc, &format!("pre#bibtex-{slug}"));
                match record["bibtex_key"].as_str() {
                    Some(key) => {
                        assert_eq!(blocks.len(), 1, "{slug}");
                        let text: String = blocks[0].text().collect();
                        let bib = biblatex::Bibliography::parse(&text).unwrap();
                        assert!(bib.get(key).is_some(), "{slug}: key {key}");
                        let button =
                            select(&doc, &format!("button.copy[data-copy='bibtex-{slug}']"));
                        assert_eq!(button.len(), 1, "{slug}: copy button");
                    }
                    None => {
                        assert!(blocks.is_empty(), "{slug} has no publication");
                        assert!(works[slug].paper.title.is_empty());
                    }
                }
            }
        }
    }

    #[test]
    fn tex_specials_are_escaped() {
        let p = TestProject::fixture("minimal");
        let source = p.read_source("content/models/sam.md");
        p.write(
            "content/models/sam.md",
            source.replace(
                "summary:",
                "paper: {title: \"50% of {A} & B_1 #2 $x$ ~ ^\"}\nsummary:",
            ),
        );
        p.build().assert_ok();
        let text = p.read("references.bib");
        let bib = biblatex::Bibliography::parse(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
        assert_eq!(bib.len(), 2);
        assert!(
            text.contains("\\% of \\{A\\} \\& B\\_1 \\#2 \\$x\\$"),
            "{text}"
        );
    }

    #[test]
    fn the_site_can_be_cited() {
        let cff: serde_yaml::Value =
            serde_yaml::from_str(&fs::read_to_string(repo_root().join("CITATION.cff")).unwrap())
                .unwrap();
        for field in ["cff-version", "message", "title", "authors"] {
            assert!(!cff[field].is_null(), "CITATION.cff needs `{field}`");
        }
        for page in ["data.html", "en/data.html"] {
            let doc = html(page);
            let block = select(&doc, "section[aria-labelledby=cite-site] pre");
            assert_eq!(block.len(), 1, "{page}");
            let text: String = block[0].text().collect();
            let bib = biblatex::Bibliography::parse(&text).unwrap();
            let entry = bib.iter().next().unwrap();
            assert_eq!(entry.url().unwrap(), cff["url"].as_str().unwrap());
            assert!(text.contains(cff["title"].as_str().unwrap()));
        }
    }
}

mod pages {
    use super::*;

    #[test]
    fn print_view_holds_trends_then_works_with_in_page_links() {
        let works = front_matter();
        for page in ["print.html", "en/print.html"] {
            let doc = html(page);
            let ids: Vec<String> = select(&doc, "[id]")
                .iter()
                .map(|e| e.value().attr("id").unwrap().to_string())
                .collect();
            let unique: HashSet<&String> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "{page}: ids are unique");
            for slug in works.keys() {
                assert!(
                    unique.contains(&format!("p-models-{slug}")),
                    "{page}: {slug}"
                );
            }
            let mut in_page = 0;
            for a in select(&doc, "a[href^='#']") {
                let target = crate::common::percent_decode(&a.value().attr("href").unwrap()[1..]);
                assert!(unique.contains(&target), "{page}: #{target} has no target");
                in_page += 1;
            }
            assert!(
                in_page > works.len() * 2,
                "{page}: table of contents and cross-links are in-page ({in_page})"
            );
            let text = read(page);
            let trends = text.find("id=\"trends\"").unwrap();
            assert!(
                works
                    .keys()
                    .all(|slug| text.find(&format!("id=\"p-models-{slug}\"")).unwrap() > trends),
                "trends come first"
            );
            assert!(select(&doc, "meta[name=robots][content=noindex]").len() == 1);
        }
    }

    /// Past `print.full_text_up_to` entries the print view prints each entry's facts, summary
    /// and link but not its body, and says so (a string `check` asks for); the trend pages and
    /// the entry pages keep their text. At the limit, nothing is left out.
    #[test]
    fn a_print_view_past_its_full_text_limit_is_abridged() {
        let p = TestProject::fixture("contributor");
        let config = p.read_source("site.yaml");
        let limited = |n: usize| {
            config.replace(
                "print:\n  layout: trend\n",
                &format!("print:\n  layout: trend\n  full_text_up_to: {n}\n"),
            )
        };
        p.write("site.yaml", limited(1));
        p.run(&["check"]).assert_error("print_abridged");
        let notes = [
            ("print.html", "正文见各自页面。"),
            ("en/print.html", "Full text on each page."),
        ];
        let with_note = limited(1)
            .replace(
                "    print_title: 打印版\n",
                "    print_title: 打印版\n    print_abridged: 正文见各自页面。\n",
            )
            .replace(
                "    print_title: Print edition\n",
                "    print_title: Print edition\n    print_abridged: Full text on each page.\n",
            );
        p.write("site.yaml", &with_note);
        p.build().assert_ok();
        for (page, note) in notes {
            let doc = p.html(page);
            let works = select(&doc, ".print-work");
            assert_eq!(works.len(), 2, "{page}");
            for w in &works {
                assert!(
                    !w.html().contains("class=\"prose\""),
                    "{page}: a body is printed"
                );
                assert!(
                    w.html().contains("models/"),
                    "{page}: no link to the entry page"
                );
            }
            assert!(
                !select(&doc, ".print-section .prose").is_empty(),
                "{page}: trends"
            );
            assert!(p.read(page).contains(note), "{page}: the note is missing");
        }
        assert!(p.read("models/medsam.html").contains("class=\"prose\""));
        p.write(
            "site.yaml",
            with_note.replace("full_text_up_to: 1", "full_text_up_to: 2"),
        );
        p.build().assert_ok();
        for (page, note) in notes {
            let doc = p.html(page);
            assert_eq!(select(&doc, ".print-work .prose").len(), 2, "{page}");
            assert!(!p.read(page).contains(note), "{page}: a note without cause");
        }
    }

    #[test]
    fn not_found_page_is_not_indexed_and_finds_its_root_on_a_server() {
        let doc = html("404.html");
        assert_eq!(select(&doc, "meta[name=robots][content=noindex]").len(), 1);
        let text = read("404.html");
        let base = text
            .find("createElement(\"base\")")
            .expect("base element script");
        assert!(
            base < text.find("medfm.css").unwrap(),
            "the base is set before any relative URL"
        );
        assert!(select(&doc, "main a[href]").len() >= 3);
    }

    #[test]
    fn footer_states_the_release_of_citation_cff_in_each_language() {
        let cff: serde_yaml::Value =
            serde_yaml::from_str(&fs::read_to_string(repo_root().join("CITATION.cff")).unwrap())
                .unwrap();
        let (date, version) = (
            cff["date-released"].as_str().unwrap(),
            cff["version"].as_str().unwrap(),
        );
        let (y, m, d) = (&date[..4], &date[5..7], &date[8..]);
        let zh = format!(
            "最近更新：{y}年{}月{}日",
            m.trim_start_matches('0'),
            d.trim_start_matches('0')
        );
        for (page, shown) in [
            ("index.html", zh.as_str()),
            ("en/models/medsam.html", "Last updated: "),
        ] {
            let doc = html(page);
            let time = select(&doc, "footer .footer-release time");
            assert_eq!(time.len(), 1, "{page}");
            assert_eq!(time[0].value().attr("datetime"), Some(date));
            let text: String = time[0].text().collect();
            assert!(text.starts_with(shown), "{page}: {text}");
            let release: String = select(&doc, "footer .footer-release")[0].text().collect();
            assert!(release.contains(version), "{page}: {release}");
            // The real site declares no licence: none is claimed.
            assert!(select(&doc, "footer a[rel=license]").is_empty(), "{page}");
        }
    }

    #[test]
    fn footer_links_each_declared_licence() {
        let p = TestProject::real_copy();
        let cff = p.read_source("CITATION.cff");
        p.write("CITATION.cff", format!("{cff}license: [CC-BY-4.0, MIT]\n"));
        p.build().assert_ok();
        let doc = p.html("en/about.html");
        let links: Vec<(String, String)> = select(&doc, "footer a[rel=license]")
            .iter()
            .map(|a| {
                (
                    a.text().collect(),
                    a.value().attr("href").unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            links,
            [
                (
                    "CC-BY-4.0".into(),
                    "https://spdx.org/licenses/CC-BY-4.0.html".into()
                ),
                ("MIT".into(), "https://spdx.org/licenses/MIT.html".into()),
            ]
        );
        let footer: String = select(&doc, "footer .footer-release")[0].text().collect();
        assert!(footer.contains("Content licence: CC-BY-4.0"), "{footer}");
        // A licence outside the SPDX list is linked where `license-url` says.
        let own = "https://example.org/our-licence";
        p.write(
            "CITATION.cff",
            format!("{cff}license: Our-Licence\nlicense-url: {own}\n"),
        );
        p.build().assert_ok();
        let doc = p.html("about.html");
        let links = select(&doc, "footer a[rel=license]");
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].value().attr("href"), Some(own));
        let footer: String = select(&doc, "footer .footer-release")[0].text().collect();
        assert!(footer.contains("内容许可：Our-Licence"), "{footer}");
    }

    #[test]
    fn every_page_links_the_shipped_stylesheet_before_the_site_s_own() {
        crate::common::assert_ships_medfm_css(site());
    }

    #[test]
    fn footer_links_data_print_and_feed() {
        for page in ["index.html", "en/models/medsam.html"] {
            let doc = html(page);
            let hrefs: Vec<&str> = select(&doc, "footer a[href]")
                .iter()
                .map(|a| a.value().attr("href").unwrap())
                .collect();
            for target in ["data.html", "print.html", "atom.xml"] {
                assert!(
                    hrefs.iter().any(|h| h.ends_with(target)),
                    "{page}: footer lacks {target}"
                );
            }
        }
    }
}

mod bundle {
    use super::*;

    fn build_zip(dir: &Path, name: &str) -> Vec<u8> {
        let zip = dir.join(format!("{name}.zip"));
        let out = medfm()
            .args(["build", "--quiet", "--root"])
            .arg(repo_root())
            .arg("--out")
            .arg(dir.join(name))
            .arg("--zip")
            .arg(&zip)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        fs::read(zip).unwrap()
    }

    /// `--zip` never replaces a source or a file that is not a zip, and never writes into the
    /// site or its sources (where each build would zip the previous zip).
    #[test]
    fn zip_refuses_sources_and_the_site_itself() {
        let p = TestProject::fixture("minimal");
        let out = p.out();
        let root = p.root();
        for (zip, needle) in [
            (root.join("site.yaml"), "it exists and is not a zip archive"),
            (root.join("content/models/x.zip"), "inside"),
            (root.join("static/site.zip"), "inside"),
            (out.join("site.zip"), "inside"),
            (root.join("content"), "inside"),
        ] {
            let before = fs::read(root.join("site.yaml")).unwrap();
            let out_arg = out.to_str().unwrap();
            let run = p.run(&[
                "build",
                "--quiet",
                "--out",
                out_arg,
                "--zip",
                zip.to_str().unwrap(),
            ]);
            run.assert_error(needle);
            assert_eq!(fs::read(root.join("site.yaml")).unwrap(), before);
            assert!(
                !out.exists(),
                "--zip {}: refused before building",
                zip.display()
            );
        }
        let zip = p.dir.path().join("site.zip");
        for _ in 0..2 {
            let run = p.run(&[
                "build",
                "--quiet",
                "--out",
                out.to_str().unwrap(),
                "--zip",
                zip.to_str().unwrap(),
            ]);
            run.assert_ok();
        }
        let left: Vec<String> = fs::read_dir(p.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(left.iter().all(|n| !n.contains(".tmp-")), "{left:?}");
    }

    #[test]
    fn zip_is_deterministic_and_unpacks_to_a_working_site() {
        let tmp = tempfile::tempdir().unwrap();
        let a = build_zip(tmp.path(), "a");
        let b = build_zip(tmp.path(), "b");
        assert!(
            a == b,
            "same input, same bytes ({} vs {} bytes)",
            a.len(),
            b.len()
        );
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&a)).unwrap();
        let unpacked = tmp.path().join("unpacked");
        let mut names = Vec::new();
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).unwrap();
            let name = file.name().unwrap().to_string();
            let rel = name
                .strip_prefix("medfm-site/")
                .unwrap_or_else(|| panic!("{name} is outside the top folder"));
            assert!(!rel.contains(".."));
            let modified = file.last_modified().unwrap();
            assert_eq!(
                (modified.year(), modified.month(), modified.day()),
                (1980, 1, 1)
            );
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).unwrap();
            let path = unpacked.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
            names.push(name);
        }
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted, "entries are sorted");
        let mut built = files(&tmp.path().join("a"));
        built.retain(|f| f != ".medfm-site");
        assert_eq!(files(&unpacked), built, "the zip holds the whole site");
        let (checked, broken) = check_links(&unpacked);
        assert!(
            broken.is_empty(),
            "{} broken links, e.g. {:?}",
            broken.len(),
            &broken[..broken.len().min(5)]
        );
        assert!(checked > 10_000, "{checked} links checked");
    }
}
