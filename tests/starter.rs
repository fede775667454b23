//! The starter theme of `medfm init`, as a stranger meets it (issue 27, item 14): the home page
//! names a `medfm new` command that works, a layout's `timeline` shows on its pages whatever
//! their template (`page.html` or `home.html`), and every page links the stylesheet medfm ships
//! before the theme's own. The search results' layout is checked in a browser in `search.rs`.

use crate::common::{select, TestProject};

/// A site made by `medfm init` (in `proj/` of a temporary folder).
pub(crate) fn starter() -> TestProject {
    let dir = tempfile::tempdir().unwrap();
    let output = crate::common::medfm()
        .args(["init", "proj"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    crate::common::Run::from(output).assert_ok();
    TestProject { dir }
}

/// The text of every element of `doc` matching `selector`.
fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    (select(doc, selector).iter())
        .map(|e| e.text().collect::<String>())
        .collect()
}

#[test]
fn the_command_the_home_page_names_makes_an_entry_that_builds() {
    let p = starter();
    p.build().assert_ok();
    let commands: Vec<String> = texts(&p.html("index.html"), ".prose code")
        .into_iter()
        .filter(|c| c.starts_with("medfm new "))
        .collect();
    assert_eq!(commands, ["medfm new article my-first-entry"]);
    let args: Vec<&str> = commands[0].split_whitespace().skip(1).collect();
    p.run(&args).assert_ok();
    p.build().assert_ok();
    let home = p.read("index.html");
    assert!(home.contains("entries/my-first-entry.html"), "{home}");
}

/// The stylesheet medfm ships for the markup it writes (callouts, footnotes, charts …) is in
/// the new site and every page links it before the starter theme's own.
#[test]
fn every_page_links_the_shipped_stylesheet_before_the_theme() {
    let p = starter();
    p.build().assert_ok();
    crate::common::assert_ships_medfm_css(&p.out());
}

/// Two dated entries and, in `site.yaml`, a `history` layout listing every entry with a
/// timeline; the home layout gets one too.
fn with_timelines(p: &TestProject) {
    let config = p
        .read_source("site.yaml")
        .replace(
            "    home: { template: home.html, newest: 10 }\n",
            "    home:\n      template: home.html\n      newest: 10\n      \
             lists: { collection: entries }\n      timeline: {}\n",
        )
        .replace(
            "    page: { template: page.html }\n",
            "    page: { template: page.html }\n    history:\n      template: page.html\n      \
             lists: { collection: entries }\n      timeline: {}\n",
        );
    p.write("site.yaml", config);
    p.write(
        "content/history.md",
        "---\ntitle: History\nlayout: history\n---\n\nEvery entry by month.\n",
    );
    for (slug, date, kind) in [("alpha", "2024-03-05", "tool"), ("beta", "2023", "dataset")] {
        p.write(
            &format!("content/entries/{slug}.md"),
            format!(
                "---\ntitle: {slug}\nkind: {kind}\ndate: {date}\nsummary: The {slug} entry.\n---\n\nText.\n"
            ),
        );
    }
}

#[test]
fn a_declared_timeline_shows_on_pages_of_every_layout() {
    let p = starter();
    with_timelines(&p);
    let check = p.run(&["check", "--strict"]);
    check.assert_ok();
    p.build().assert_ok();
    for page in ["history.html", "index.html"] {
        let doc = p.html(page);
        assert_eq!(texts(&doc, "#timeline-h"), ["Timeline"], "{page}");
        let months: Vec<String> = (select(&doc, ".timeline time").iter())
            .map(|t| t.value().attr("datetime").unwrap().to_string())
            .collect();
        assert_eq!(months, ["2023", "2024-03"], "{page}");
        assert_eq!(
            texts(&doc, ".timeline li li a"),
            ["beta", "alpha"],
            "{page}"
        );
    }
}
