//! Quality gates in a real browser (issue #9): each site — the [`REAL`] one, the [`EXAMPLE`]
//! site of another domain (`tests/fixtures/legal-ai`, issue 18) and the user [`GUIDE`]
//! (`docs/guide`, issue 27) — is built into a
//! temporary folder and opened from `file://` in Debian's headless Chromium (see
//! `tests/common/browser.rs`). Each gate is one function shared by both sites, with one test per
//! site.
//!
//! - [`crawl`]: every page, reached from `index.html` through its links (both languages), loads
//!   with no request leaving the site folder, no console error or warning, no horizontal
//!   scrolling at 390 px; every internal link and `#anchor` resolves.
//! - [`a11y`]: axe-core finds no WCAG 2.1 A/AA violation on each kind of page (light and dark),
//!   and the keyboard reaches every control with a visible focus ring.
//! - [`html`]: the Nu HTML Checker finds no error in any generated page.
//! - [`layout`]: screenshots at 1280 and 390 px land in `target/browser-artifacts/`.
//! - [`scholarly`]: footnote references, their back-links and figure references land.
//! - [`harness`]: the browser harness itself.
//! - [`citations`]: a citation, its reference and the entry's back-link, followed from `file://`.
//!
//! Each gate also has a self-test on a small site with planted problems ([`planted_site`]), so a
//! gate that stopped seeing anything would fail rather than pass.
//!
//! Without `CI` set, a test whose tools (Chromium, axe-core, java and vnu.jar) were not found
//! when the tests were built is *ignored*: `build.rs` looks for them and sets `medfm_no_*` flags,
//! each such test carries `#[cfg_attr(medfm_no_…, ignore = "why")]`, and `cargo test` lists it
//! as ignored, with the reason, and counts it in its summary. With `CI` set nothing is ignored
//! and a missing tool fails the test. `.ci/run` installs all of them.

mod a11y;
mod charts;
mod citations;
mod crawl;
mod harness;
mod html;
mod layout;
mod scholarly;

use std::path::{Path, PathBuf};
use std::time::Instant;

use tempfile::TempDir;

use crate::common::browser::{missing, Tab, Visit};

/// A site the gates check, and which of its pages are of which kind.
pub(super) struct Site {
    /// Its name in reports.
    pub name: &'static str,
    /// Builds it into a fresh temporary folder: (the folder, the built site).
    pub build: fn() -> (TempDir, PathBuf),
    /// The language of the pages at the root (any other language is in a `<code>/` folder).
    pub root_lang: &'static str,
    /// What its entry pages are called, and their folder.
    pub entry: (&'static str, &'static str),
    /// What the pages of its listing layout are called, and their folder.
    pub listing: (&'static str, &'static str),
    /// A search query (`?q=…`) with results.
    pub query: &'static str,
    /// More pages axe and the keyboard visit besides the six kinds of [`kinds`]: (name, file).
    pub more: &'static [(&'static str, &'static str)],
}

/// The real site (MedFM Atlas, bilingual).
pub(super) const REAL: Site = Site {
    name: "real site",
    build: crate::common::build_real_site,
    root_lang: "zh",
    entry: ("work", "models"),
    listing: ("trend", "trends"),
    query: "?q=SAM",
    more: &[("bibliography", "bibliography.html")],
};

/// The example site of another domain, in English only (`tests/fixtures/legal-ai`).
pub(super) const EXAMPLE: Site = Site {
    name: "example site",
    build: build_example_site,
    root_lang: "en",
    entry: ("system", "systems"),
    listing: ("jurisdiction", "jurisdictions"),
    query: "?q=contract",
    // Its own templates of every other kind of page.
    more: &[
        ("list", "systems/index.html"),
        ("taxonomies", "taxonomies/index.html"),
        ("taxonomy", "taxonomies/jurisdiction/index.html"),
        ("term", "taxonomies/task/judgment-summarisation.html"),
        ("page", "about.html"),
        ("data", "data.html"),
        ("print view", "print.html"),
        ("not found", "404.html"),
    ],
};

/// The user guide (`docs/guide`), in English only, with the starter theme of `medfm init`.
pub(super) const GUIDE: Site = Site {
    name: "user guide",
    build: build_guide,
    root_lang: "en",
    entry: ("chapter", "chapters"),
    // The guide has no listing layout: the gates skip that kind, with a notice.
    listing: ("listing", "no-listing-layout"),
    query: "?q=translation",
    more: &[("list", "chapters/index.html"), ("not found", "404.html")],
};

/// Builds the user guide from a copy in a fresh temporary folder (its cache stays out of the
/// source tree).
fn build_guide() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("guide");
    crate::common::copy_dir(&crate::common::repo_root().join("docs/guide"), &root);
    let out = dir.path().join("site");
    let output = crate::common::medfm()
        .arg("--root")
        .arg(&root)
        .args(["build", "--quiet", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    crate::common::Run::from(output).assert_ok();
    (dir, out)
}

fn build_example_site() -> (TempDir, PathBuf) {
    crate::common::build_fixture_site("legal-ai")
}

/// A tool file found through an environment variable or under `.ci/node_modules`.
fn ci_tool(env: &str, rel: &str, what: &str) -> Option<PathBuf> {
    let path = std::env::var_os(env).map(PathBuf::from).unwrap_or_else(|| {
        crate::common::repo_root()
            .join(".ci/node_modules")
            .join(rel)
    });
    if path.is_file() {
        Some(path)
    } else {
        missing(
            what,
            format!("no file {} (set {env} to override)", path.display()),
        )
    }
}

/// Where screenshots and other artifacts go: `target/browser-artifacts/`.
fn artifacts_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().unwrap_or(tmp).join("browser-artifacts");
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

/// The language prefixes present in a built site: `""` (the root language) and `"en/"` (English
/// beside Chinese on the real site).
fn languages(site: &Path) -> Vec<&'static str> {
    ["", "en/"]
        .into_iter()
        .filter(|p| site.join(p).join("index.html").is_file())
        .collect()
}

/// One kind of page named by the issue, and how to show it.
struct Kind {
    /// Its name in reports.
    name: &'static str,
    /// Its file, relative to a language root; `None` when the build has none yet.
    file: Option<String>,
    /// Appended to the URL (a search query).
    query: &'static str,
    /// A script that is true once the page has finished drawing what it shows.
    ready: Option<&'static str>,
}

/// The kinds of page that axe and the keyboard test visit: home, an entry page (the largest), a
/// page of the listing layout (the largest), the table, the lineage graph and search results,
/// then the site's `more`.
fn kinds(s: &Site, site: &Path) -> Vec<Kind> {
    let present = |rel: &str| site.join(rel).is_file().then(|| rel.to_string());
    vec![
        Kind {
            name: "home",
            file: present("index.html"),
            query: "",
            ready: None,
        },
        Kind {
            name: s.entry.0,
            file: largest(site, s.entry.1),
            query: "",
            ready: None,
        },
        Kind {
            name: s.listing.0,
            file: largest(site, s.listing.1),
            query: "",
            ready: None,
        },
        Kind {
            name: "table",
            file: present("table.html"),
            query: "",
            ready: None,
        },
        Kind {
            name: "lineage graph",
            file: present("lineage.html"),
            query: "",
            ready: None,
        },
        Kind {
            name: "search results",
            file: present("search.html"),
            query: s.query,
            ready: Some("document.querySelectorAll('#search-results a').length > 0"),
        },
    ]
    .into_iter()
    .chain(s.more.iter().map(|&(name, file)| Kind {
        name,
        file: present(file),
        query: "",
        ready: None,
    }))
    .collect()
}

/// The largest `*.html` file in `dir` other than `index.html` (most content to check).
fn largest(site: &Path, dir: &str) -> Option<String> {
    let entries = std::fs::read_dir(site.join(dir)).ok()?;
    let mut pages: Vec<(u64, String)> = entries
        .filter_map(Result::ok)
        .map(|e| {
            (
                e.metadata().map_or(0, |m| m.len()),
                e.file_name().to_string_lossy().into_owned(),
            )
        })
        .filter(|(_, name)| name.ends_with(".html") && name != "index.html")
        .collect();
    pages.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    pages.first().map(|(_, name)| format!("{dir}/{name}"))
}

/// The pages of each kind that the build of `s` (in `site`) produced, in every language, as
/// `(label, url, ready)`; a kind the build does not produce is skipped with a notice.
fn kind_pages(s: &Site, site: &Path) -> Vec<(String, String, Option<&'static str>)> {
    let mut out = Vec::new();
    for kind in kinds(s, site) {
        let Some(file) = &kind.file else {
            eprintln!("NOTICE: the build has no {} page yet; skipped", kind.name);
            continue;
        };
        for lang in languages(site) {
            let path = site.join(lang).join(file);
            if !path.is_file() {
                eprintln!("NOTICE: no {lang}{file} ({}); skipped", kind.name);
                continue;
            }
            let url = format!("{}{}", crate::common::browser::file_url(&path), kind.query);
            out.push((
                format!("{}: {} ({lang}{file}{})", s.name, kind.name, kind.query),
                url,
                kind.ready,
            ));
        }
    }
    out
}

/// Opens `url` and waits (up to 10 s) until `ready` is true; returns everything the browser did
/// meanwhile (requests, console), or panics when the page never becomes ready.
fn open_ready(tab: &Tab, label: &str, url: &str, ready: Option<&str>) -> Visit {
    let mut visit = tab.open(url);
    let Some(ready) = ready else { return visit };
    let start = Instant::now();
    while tab.eval(ready) != serde_json::Value::Bool(true) {
        assert!(
            start.elapsed().as_secs() < 10,
            "{label}: never became ready ({ready})"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let later = tab.flush();
    visit.console.extend(later.console);
    visit.requests.extend(later.requests);
    visit.failed.extend(later.failed);
    visit
}

/// Prints a measurement line (visible with `--nocapture`, and in CI logs of failing runs).
fn report(test: &str, start: Instant, what: impl std::fmt::Display) {
    eprintln!("[{test}] {what} in {:.1} s", start.elapsed().as_secs_f64());
}

/// A tiny site (in `site/` of the returned folder) with one planted instance of each problem the
/// gates look for, so that the self-tests can prove they catch it: a request leaving the site, a
/// console error, links to a missing page, a missing anchor and a file outside the folder, an
/// image without `alt`, faint text, a link whose focus is invisible and a box wider than a phone.
fn planted_site() -> tempfile::TempDir {
    const HEAD: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
        <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Planted</title>";
    let dir = tempfile::tempdir().expect("tempdir");
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).expect("site dir");
    let index = format!(
        "{HEAD}<link rel=\"stylesheet\" href=\"https://cdn.invalid/x.css\">\
        <style>.no-ring:focus {{ outline: none; }} .faint {{ color: #ddd; background: #fff; }} .wide {{ width: 1200px; }}</style>\
        </head><body><main><h1>Planted problems</h1><p class=\"faint\">Faint text</p>\
        <p><a href=\"b.html#here\">fine</a> <a href=\"missing.html\">missing page</a> \
        <a href=\"b.html#nope\">missing anchor</a> <a href=\"../outside.html\">outside</a> \
        <a class=\"no-ring\" href=\"b.html\">invisible focus</a></p>\
        <img src=\"data:image/gif;base64,R0lGODlhAQABAAAAACw=\"><div class=\"wide\">wide</div>\
        <script>console.error('planted error');</script></main></body></html>\n"
    );
    let b = format!(
        "{HEAD}</head><body><main><h1>B</h1><h2 id=\"here\">Here</h2></main></body></html>\n"
    );
    for (path, text) in [
        (site.join("index.html"), index.as_str()),
        (site.join("b.html"), &b),
        (dir.path().join("outside.html"), &b),
    ] {
        std::fs::write(path, text).expect("writing planted page");
    }
    dir
}
