//! Lists never lose an entry: grouped lists (a collection's list, a layout with `group_by`, the
//! print edition) put the entries without a term of the grouping field under the UI string
//! `group_other`, so the count and the cards agree; and a layout whose `lists` has no `field`
//! lists every entry of the collection.

use crate::common::{select, TestProject};

/// The contributor project with `strand` (its group field) and `theme` optional, an entry
/// without either, and a page of a
/// layout listing every entry grouped by theme.
fn project() -> TestProject {
    let p = TestProject::fixture("contributor");
    let config = p
        .read_source("site.yaml")
        .replace(
            "theme: { type: term, vocabulary: theme, required: true,",
            "theme: { type: term, vocabulary: theme,",
        )
        .replace(
            "strand: { type: term, vocabulary: strand, required: true,",
            "strand: { type: term, vocabulary: strand,",
        )
        .replace(
            "    page: { template: page.html }\n",
            "    page: { template: page.html }\n    \
             everything: { template: page.html, lists: { collection: models }, group_by: theme }\n",
        );
    p.write("site.yaml", config);
    p.write(
        "content/models/untagged.md",
        "---\ntitle: Untagged\nkind: benchmark\nsummary: 没有子主题的基准。\n---\n\n## 概述\n\n正文。\n",
    );
    p.write(
        "content/models/untagged.en.md",
        "---\nsummary: A benchmark without a sub-theme.\n---\n\n## Overview\n\nText.\n",
    );
    p.write(
        "content/everything.md",
        "---\ntitle: 全部\nsummary: 全部条目。\nlayout: everything\n---\n\n## 概述\n\n正文。\n",
    );
    p.write(
        "content/everything.en.md",
        "---\ntitle: Everything\nsummary: Every entry.\n---\n\n## Overview\n\nText.\n",
    );
    p
}

/// The slugs of the entry cards in `doc`'s main content, by their links.
fn card_titles(doc: &scraper::Html, within: &str) -> Vec<String> {
    select(doc, &format!("{within} .card a"))
        .iter()
        .map(|a| a.text().collect::<String>().trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

#[test]
fn entries_without_a_group_term_are_listed_under_other_and_counts_agree() {
    let p = project();
    let run = p.run(&["check", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    p.build().assert_ok();
    for (list, other) in [
        ("models/index.html", "其他"),
        ("en/models/index.html", "Other"),
    ] {
        let doc = p.html(list);
        let count: usize = select(&doc, "h1 .count")[0]
            .text()
            .collect::<String>()
            .trim()
            .parse()
            .unwrap();
        let sections = select(&doc, "main section");
        let cards: usize = sections
            .iter()
            .map(|s| {
                s.select(&scraper::Selector::parse("li.card").unwrap())
                    .count()
            })
            .sum();
        assert_eq!((count, cards), (3, 3), "{list}");
        let last = sections.last().unwrap();
        let heading: String = last
            .select(&scraper::Selector::parse("h2").unwrap())
            .next()
            .unwrap()
            .text()
            .collect();
        assert!(heading.starts_with(other), "{list}: {heading}");
        assert!(last.html().contains("untagged.html"), "{list}");
    }
    let print = p.html("print.html");
    let groups = select(&print, "section[id^=strand-]");
    let last = groups.last().expect("print groups");
    assert_eq!(last.value().attr("id"), Some("strand--none"));
    assert!(
        last.html().contains("Untagged"),
        "the print edition leaves the entry out"
    );
}

#[test]
fn a_layout_listing_without_a_field_lists_every_entry() {
    let p = project();
    p.build().assert_ok();
    let doc = p.html("everything.html");
    let cards = card_titles(&doc, "main");
    for title in ["MedSAM", "SAM", "Untagged"] {
        assert!(
            cards.iter().any(|c| c == title),
            "{title} missing from {cards:?}"
        );
    }
    let headings: Vec<String> = select(&doc, "main section h2")
        .iter()
        .map(|h| h.text().collect())
        .collect();
    assert_eq!(
        headings.last().map(String::as_str),
        Some("其他"),
        "{headings:?}"
    );
}
