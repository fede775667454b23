//! The bilingual site: every page exists in both languages, the language switch leads to the same
//! page in the other language, and template strings never leak from one language into the other.

use std::collections::HashSet;
use std::fs;

use crate::common::{build_real_site, files, repo_root, select};

fn ui_strings(lang: &str) -> HashSet<String> {
    let config: serde_yaml::Mapping =
        serde_yaml::from_str(&fs::read_to_string(repo_root().join("site.yaml")).unwrap()).unwrap();
    config["strings"][lang]
        .as_mapping()
        .unwrap()
        .values()
        .filter_map(|v| v.as_str())
        .map(|s| s.trim().to_string())
        .collect()
}

#[test]
fn every_page_exists_in_both_languages() {
    let (_dir, site) = build_real_site();
    let all = files(&site);
    let html: Vec<&String> = all.iter().filter(|f| f.ends_with(".html")).collect();
    let en: HashSet<&str> = html.iter().filter_map(|f| f.strip_prefix("en/")).collect();
    let zh: HashSet<&str> = html
        .iter()
        .filter(|f| !f.starts_with("en/"))
        .map(|f| f.as_str())
        .collect();
    assert!(zh.len() > 100);
    assert_eq!(
        zh.difference(&en).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "pages without English version"
    );
    assert_eq!(
        en.difference(&zh).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "pages without Chinese version"
    );
}

#[test]
fn language_switch_and_hreflang_lead_to_the_same_page() {
    let (_dir, site) = build_real_site();
    for page in files(&site).into_iter().filter(|f| f.ends_with(".html")) {
        let doc = scraper::Html::parse_document(&fs::read_to_string(site.join(&page)).unwrap());
        let is_en = page.starts_with("en/");
        let lang = select(&doc, "html")[0]
            .value()
            .attr("lang")
            .unwrap()
            .to_string();
        assert_eq!(
            lang,
            if is_en { "en" } else { "zh" },
            "{page}: wrong <html lang>"
        );
        let switch = select(&doc, "nav.lang a[hreflang]");
        assert_eq!(switch.len(), 1, "{page}: one language switch link expected");
        let href = switch[0].value().attr("href").unwrap();
        let depth = page.matches('/').count();
        let target = href
            .strip_prefix(&"../".repeat(depth))
            .unwrap_or_else(|| panic!("{page}: switch {href} not relative to root"));
        let expected = if is_en {
            page.strip_prefix("en/").unwrap().to_string()
        } else {
            format!("en/{page}")
        };
        assert_eq!(target, expected, "{page}: switch leads elsewhere");
        assert!(site.join(target).is_file());
        let hreflangs: Vec<&str> = select(&doc, "link[rel=alternate][hreflang]")
            .iter()
            .map(|l| l.value().attr("hreflang").unwrap())
            .collect();
        assert!(
            hreflangs.contains(&"zh") && hreflangs.contains(&"en"),
            "{page}: hreflang alternates missing"
        );
    }
}

#[test]
fn template_strings_do_not_leak_across_languages() {
    let (_dir, site) = build_real_site();
    let zh = ui_strings("zh");
    let en = ui_strings("en");
    let zh_only: HashSet<&String> = zh
        .difference(&en)
        .filter(|s| s.chars().count() > 1)
        .collect();
    let en_only: HashSet<&String> = en
        .difference(&zh)
        .filter(|s| s.chars().count() > 2)
        .collect();
    let mut leaks = Vec::new();
    for page in files(&site).into_iter().filter(|f| f.ends_with(".html")) {
        let doc = scraper::Html::parse_document(&fs::read_to_string(site.join(&page)).unwrap());
        let foreign = if page.starts_with("en/") {
            &zh_only
        } else {
            &en_only
        };
        let prose: HashSet<_> = select(&doc, ".prose")
            .iter()
            .flat_map(|p| p.descendants().map(|n| n.id()))
            .collect();
        for node in doc.tree.nodes() {
            if let scraper::Node::Text(text) = node.value() {
                let t = text.trim();
                if !t.is_empty() && !prose.contains(&node.id()) && foreign.contains(&t.to_string())
                {
                    leaks.push(format!("{page}: {t:?}"));
                }
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "UI strings from the other language: {leaks:#?}"
    );
}
