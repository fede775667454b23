//! Snapshot tests: the outputs of a small bilingual fixture (`tests/fixtures/snapshot`: three
//! works, a home page, the fixtures' site.yaml and the starter theme), compared byte for byte
//! with the committed snapshots in `tests/snapshots/`, so that any change to an output shows up
//! in review as a diff of those files. Nothing in these outputs depends on the day or the
//! machine: dates come from the front matter, URLs from `base_url`.
//!
//! When an output changes on purpose, review the change and commit the new snapshots:
//!
//! - with `cargo-insta` installed: `cargo insta test --review -- snapshots` (or run the tests,
//!   then `cargo insta review`) and accept what is right;
//! - without it: `INSTA_UPDATE=always cargo test --release --test main snapshots`, then
//!   `git diff tests/snapshots/` to review, and commit (or `git checkout` what is wrong).
//!
//! A plain `cargo test` writes a mismatching snapshot beside the old one as `.snap.new` and
//! fails; with `CI` set (as in CI) it only fails, writing nothing.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::TestProject;

/// The fixture, built once per run into a fixed folder (so nothing is left behind in /tmp).
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let project = TestProject::fixture("snapshot");
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("snapshot-site");
        project.build_to(&out).assert_ok();
        out
    })
}

/// A file of the built fixture.
fn read(rel: &str) -> String {
    std::fs::read_to_string(site().join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
}

/// Compares `text`, the output file `rel`, with the snapshot `name`
/// (`tests/snapshots/main__snapshots__<name>.snap`, whose header names `rel`).
#[track_caller]
fn assert_output(name: &str, rel: &str, text: &str) {
    insta::with_settings!({ description => rel, omit_expression => true }, {
        insta::assert_snapshot!(name, text);
    });
}

/// Compares the output file `rel` with the snapshot `name`.
#[track_caller]
fn assert_file(name: &str, rel: &str) {
    assert_output(name, rel, &read(rel));
}

/// The default language's Atom feed: dated works, newest first, with their categories.
#[test]
fn atom_feed() {
    assert_file("atom_xml", "atom.xml");
}

/// Every page but 404, search and print, with its `hreflang` alternates.
#[test]
fn sitemap() {
    assert_file("sitemap_xml", "sitemap.xml");
}

/// An entry page in English: facts (terms, dates, tristates, references), the translated
/// body with resolved links, BibTeX, the lineage drawing and related works.
#[test]
fn entry_page() {
    assert_file("en_models_medsam_html", "en/models/medsam.html");
}

/// A chart as the English home page shows it (`by-year` of the fixtures' site.yaml): the
/// caption, the SVG (bars stacked by strand, each segment a link to the filtered table, the
/// count axis), the legend and the data table.
#[test]
fn chart() {
    let html = read("en/index.html");
    let start = html.find(r#"<figure class="chart""#).expect("a chart");
    let end = start + html[start..].find("</figure>").expect("its end") + "</figure>".len();
    assert_output("en_index_html_chart", "en/index.html", &html[start..end]);
}

/// The English lineage graph (three works on a time axis: the axis, trunk-routed edges, nodes
/// as links with their full names in titles), one element per line so that a change reads as a
/// diff of the drawing.
#[test]
fn lineage_graph() {
    let html = read("en/lineage.html");
    let start = html.find("<svg xmlns").expect("a lineage graph");
    let end = start + html[start..].find("</svg>").expect("its end") + "</svg>".len();
    let svg = html[start..end].replace("><", ">\n<");
    assert_output("en_lineage_html_svg", "en/lineage.html", &svg);
}

/// The default language's search index (pages, labels, front-coded tokens, postings) and its
/// text shard (the snippets' source).
#[test]
fn search_index() {
    assert_file("search_index_js", "search/index.js");
    assert_file("search_text_0_js", "search/text-0.js");
}

/// The JSON export (`exports.name: models`).
#[test]
fn json_export() {
    assert_file("models_json", "models.json");
}

/// The CSV export. It starts with a byte-order mark and ends its records with CRLF (a line
/// break inside a quoted field stays LF); the snapshot shows each CR as `␍`, so line ends are
/// part of the comparison whatever a checkout does to them.
#[test]
fn csv_export() {
    let text = read("models.csv");
    let text = text
        .strip_prefix('\u{feff}')
        .expect("the CSV export starts with a byte-order mark");
    assert!(text.ends_with("\r\n"), "records end with CRLF");
    assert_output("models_csv", "models.csv", &text.replace('\r', "␍"));
}

/// A page using every scholarly Markdown feature (`tests/fixtures/scholarly`): inline HTML,
/// a numbered figure, table and equation with references, math, a callout, a definition list
/// and footnotes with back-links; the body of each language.
#[test]
fn scholarly_page() {
    let project = TestProject::fixture("scholarly");
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scholarly-site");
    project.build_to(&out).assert_ok();
    for (name, rel) in [
        ("scholarly_about_html", "about.html"),
        ("scholarly_en_about_html", "en/about.html"),
    ] {
        let html = std::fs::read_to_string(out.join(rel)).unwrap();
        let start = html.find("<main").expect("a <main>");
        let end = html.find("</main>").expect("a </main>") + "</main>".len();
        assert_output(name, rel, &html[start..end]);
    }
}
