//! The real site's content: every work the review article names has a page in both languages,
//! front matter is complete and consistent, links resolve, and every work is close to the home page.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fs;
use std::path::Path;

use crate::common::{build_real_site, check_links, files, repo_root, select};

/// Slugs of the works the review article names (issue #3's list), plus the reference pages
/// their lineage needs.
const ARTICLE_WORKS: &[&str] = &[
    "med-palm-m",
    "multimedbench",
    "biomedparse",
    "biomedgpt",
    "prov-gigapath",
    "transunet",
    "swin-umamba",
    "pneumollm",
    "3dsam-adapter",
    "ma-sam",
    "mmgpl",
    "ept",
    "pathotune",
    "cxr-lt",
    "medical-cxr-vqa",
    "abdomenatlas",
    "medlam",
    "usfm",
    "deblurring-mim",
    "pathoduet",
    "uni",
    "chief",
    "virchow",
    "musk",
    "medim",
    "kse-report-refinement",
    "picg-pirads",
    "universal-model",
    "fastglioma",
    "medsam",
    "gi-anomaly-detection",
    "vip",
    "brainsegfounder",
    "rudolfv",
    "visionfm",
    "maco",
    "pathchat",
    "echoclip",
    "mmed-llama-3",
    "mmedc",
    "mmedbench",
    "med-unic",
    "sensetime-dayi",
];
const REFERENCE_WORKS: &[&str] = &["vit", "clip", "sam"];

fn front_matter(path: &Path) -> serde_yaml::Mapping {
    let text = fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let yaml = text
        .strip_prefix("---\n")
        .and_then(|t| t.split_once("\n---"))
        .map(|(y, _)| y)
        .unwrap_or_else(|| panic!("{} has no front matter", path.display()));
    serde_yaml::from_str(yaml).unwrap()
}

fn work_pages() -> BTreeMap<String, serde_yaml::Mapping> {
    let dir = repo_root().join("content/models");
    files(&dir)
        .into_iter()
        .filter(|f| f.ends_with(".md") && !f.ends_with(".en.md"))
        .map(|f| {
            (
                f.trim_end_matches(".md")
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                front_matter(&dir.join(&f)),
            )
        })
        .collect()
}

fn str_field<'a>(m: &'a serde_yaml::Mapping, key: &str) -> &'a str {
    m.get(key).and_then(|v| v.as_str()).unwrap_or("")
}

fn list_field(m: &serde_yaml::Mapping, key: &str) -> Vec<String> {
    m.get(key)
        .and_then(|v| v.as_sequence())
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn every_named_work_has_a_page_in_both_languages() {
    let pages = work_pages();
    let dir = repo_root().join("content/models");
    for slug in ARTICLE_WORKS.iter().chain(REFERENCE_WORKS) {
        assert!(pages.contains_key(*slug), "no page for {slug}");
        assert!(
            dir.join(format!("{slug}.en.md")).exists(),
            "no English page for {slug}"
        );
    }
    assert!(pages.len() >= 45, "only {} work pages", pages.len());
}

#[test]
fn front_matter_is_complete_and_uses_the_vocabularies() {
    let config: serde_yaml::Mapping =
        serde_yaml::from_str(&fs::read_to_string(repo_root().join("site.yaml")).unwrap()).unwrap();
    let vocab = |name: &str| -> HashSet<String> {
        config["vocabularies"][name]
            .as_mapping()
            .unwrap()
            .keys()
            .map(|k| k.as_str().unwrap().to_string())
            .collect()
    };
    let pages = work_pages();
    for (slug, m) in &pages {
        for field in ["title", "summary", "kind", "strand", "theme"] {
            assert!(
                !str_field(m, field).trim().is_empty(),
                "{slug}: empty {field}"
            );
        }
        for (field, name) in [("kind", "kind"), ("strand", "strand"), ("theme", "theme")] {
            assert!(
                vocab(name).contains(str_field(m, field)),
                "{slug}: {field} not in vocabulary"
            );
        }
        for (field, name) in [
            ("modalities", "modality"),
            ("organs", "organ"),
            ("tasks", "task"),
        ] {
            for term in list_field(m, field) {
                assert!(
                    vocab(name).contains(&term),
                    "{slug}: {field} term {term} not in vocabulary"
                );
            }
        }
        for target in list_field(m, "builds_on")
            .iter()
            .chain(&list_field(m, "uses"))
        {
            assert!(
                pages.contains_key(target),
                "{slug}: lineage target {target} has no page"
            );
        }
        for open in ["open_code", "open_weights"] {
            let v = m
                .get(open)
                .cloned()
                .unwrap_or(serde_yaml::Value::String("unknown".into()));
            assert!(
                v.as_bool().is_some() || v.as_str() == Some("unknown"),
                "{slug}: {open} must be true/false/unknown"
            );
        }
    }
}

#[test]
fn external_links_are_well_formed_https() {
    for (slug, m) in work_pages() {
        for link in m
            .get("links")
            .and_then(|l| l.as_sequence())
            .cloned()
            .unwrap_or_default()
        {
            let url = link["url"].as_str().unwrap();
            let host = url
                .strip_prefix("https://")
                .unwrap_or_else(|| panic!("{slug}: not https: {url}"))
                .split('/')
                .next()
                .unwrap();
            assert!(
                host.contains('.') && !url.contains(' '),
                "{slug}: malformed {url}"
            );
            assert!(
                !link["label"].as_str().unwrap_or("").trim().is_empty(),
                "{slug}: link without label"
            );
        }
    }
}

#[test]
fn chinese_bodies_have_substance() {
    let dir = repo_root().join("content/models");
    for slug in ARTICLE_WORKS {
        let text = fs::read_to_string(dir.join(format!("{slug}.md"))).unwrap();
        let body = text.split("\n---").nth(1).unwrap();
        let han = body
            .chars()
            .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
            .count();
        assert!(
            han >= 200,
            "{slug}: only {han} Chinese characters in the body"
        );
    }
}

#[test]
fn real_site_links_resolve_and_every_work_is_within_three_clicks() {
    let (_dir, site) = build_real_site();
    let (checked, broken) = check_links(&site);
    assert!(
        broken.is_empty(),
        "{} broken links of {checked}: {:#?}",
        broken.len(),
        &broken[..broken.len().min(20)]
    );
    for lang_root in ["", "en/"] {
        let depth = click_depths(&site, &format!("{lang_root}index.html"));
        for slug in ARTICLE_WORKS.iter().chain(REFERENCE_WORKS) {
            let page = format!("{lang_root}models/{slug}.html");
            let d = depth.get(&page).copied();
            assert!(
                d.is_some_and(|d| d <= 3),
                "{page} is {d:?} clicks from the home page"
            );
        }
    }
}

/// Breadth-first click distance from `start` to every reachable page.
fn click_depths(site: &Path, start: &str) -> HashMap<String, usize> {
    let mut depth = HashMap::from([(start.to_string(), 0)]);
    let mut queue = VecDeque::from([start.to_string()]);
    while let Some(page) = queue.pop_front() {
        let d = depth[&page];
        let Ok(html) = fs::read_to_string(site.join(&page)) else {
            continue;
        };
        let doc = scraper::Html::parse_document(&html);
        for a in select(&doc, "a[href]") {
            let href = a
                .value()
                .attr("href")
                .unwrap()
                .split('#')
                .next()
                .unwrap()
                .split('?')
                .next()
                .unwrap();
            if href.is_empty() || href.contains("://") || !href.ends_with(".html") {
                continue;
            }
            let target = resolve(&page, &crate::common::percent_decode(href));
            if !depth.contains_key(&target) {
                depth.insert(target.clone(), d + 1);
                queue.push_back(target);
            }
        }
    }
    depth
}

fn resolve(from: &str, href: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// Each trend page says how many works its strand holds and how many of them the review article
/// names or the site adds, each count linking to the table filtered the same way.
#[test]
fn trend_pages_count_their_works_by_provenance() {
    let works = work_pages();
    let (_dir, site) = build_real_site();
    for strand in [
        "general-to-medical",
        "modality-specific",
        "application-specific",
    ] {
        let of_strand: Vec<_> = works
            .values()
            .filter(|m| str_field(m, "strand") == strand)
            .collect();
        for lang in ["", "en/"] {
            let html =
                fs::read_to_string(site.join(format!("{lang}trends/{strand}.html"))).unwrap();
            let doc = scraper::Html::parse_document(&html);
            let line = select(&doc, "header p.provenance");
            assert_eq!(line.len(), 1, "{lang}trends/{strand}.html");
            let links: Vec<_> = select(&doc, "header p.provenance a")
                .into_iter()
                .map(|a| a.value().attr("href").unwrap().to_string())
                .collect();
            let counts: Vec<usize> = select(&doc, "header p.provenance .count")
                .into_iter()
                .map(|c| c.text().collect::<String>().parse().unwrap())
                .collect();
            let total = line[0].text().collect::<String>();
            assert!(
                total.starts_with(&of_strand.len().to_string()),
                "{lang}{strand}: {total:?} should start with {}",
                of_strand.len()
            );
            assert_eq!(
                links[0],
                format!("../{lang}table.html?strand={strand}").replace("../en/", "../../en/")
            );
            for (href, count) in links[1..].iter().zip(&counts) {
                let key = href.rsplit("provenance=").next().unwrap();
                let expected = of_strand
                    .iter()
                    .filter(|m| str_field(m, "provenance") == key)
                    .count();
                assert_eq!(*count, expected, "{lang}{strand}: provenance {key}");
                assert!(
                    href.contains(&format!("strand={strand}&provenance={key}")),
                    "{href}"
                );
            }
            assert_eq!(
                counts.iter().sum::<usize>(),
                of_strand.len(),
                "{lang}{strand}"
            );
        }
    }
}

/// Generated text follows each language's punctuation (the `colon` and `list_sep` strings):
/// a term page's title and a lineage node's facts in Chinese use `：` and `、`.
#[test]
fn generated_text_uses_each_languages_punctuation() {
    let (_dir, site) = build_real_site();
    let title = |path: &str| {
        let html = fs::read_to_string(site.join(path)).unwrap();
        let doc = scraper::Html::parse_document(&html);
        select(&doc, "head title")[0].text().collect::<String>()
    };
    assert!(title("taxonomies/modality/ct.html").starts_with("模态：CT · "));
    assert!(title("en/taxonomies/modality/ct.html").starts_with("Modality: CT · "));
    let uni = fs::read_to_string(site.join("models/uni.html")).unwrap();
    assert!(
        uni.contains("<title>UNI (模型、2024年3月19日)</title>"),
        "lineage node facts"
    );
    let en = fs::read_to_string(site.join("en/models/uni.html")).unwrap();
    assert!(
        en.contains("<title>UNI (Model, 19 Mar 2024)</title>"),
        "lineage node facts"
    );
}
