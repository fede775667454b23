//! The crawl: starting at `index.html`, open every page the links reach (then any page no link
//! reaches) in a 390 px phone viewport, and check what the browser saw — links and anchors,
//! requests, console, horizontal overflow.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Deserialize;

use crate::common::browser;

/// What a page shows the crawler (collected by [`PAGE_JS`]).
#[derive(Debug, Deserialize)]
struct PageFacts {
    /// Every link target, resolved against the page.
    links: Vec<String>,
    /// Every `id` and `<a name>` on the page.
    ids: Vec<String>,
    /// `null`, or the horizontal overflow and the elements that stick out.
    overflow: Option<serde_json::Value>,
}

/// Collects [`PageFacts`] (SVG links and form actions included).
const PAGE_JS: &str = r#"(() => {
  const links = [...document.querySelectorAll('a, area')]
    .map(a => a.getAttribute('href') ?? a.getAttribute('xlink:href'))
    .filter(h => h !== null)
    .map(h => new URL(h, document.baseURI).href)
    .concat([...document.querySelectorAll('form[action]')].map(f => f.action));
  const ids = [...document.querySelectorAll('[id]')].map(e => e.id)
    .concat([...document.querySelectorAll('a[name]')].map(a => a.name));
  const root = document.documentElement, width = root.clientWidth;
  let overflow = null;
  if (root.scrollWidth > width) {
    const describe = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
    const wide = [...document.body.querySelectorAll('*')]
      .filter(e => e.getBoundingClientRect().right > width + 1)
      .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 1))
      .slice(0, 5).map(describe);
    overflow = { scrollWidth: root.scrollWidth, clientWidth: width, wide };
  }
  return { links, ids, overflow };
})()"#;

/// What the crawl found.
#[derive(Default)]
struct Crawl {
    /// Pages opened, by path, with their ids.
    ids: BTreeMap<PathBuf, BTreeSet<String>>,
    /// Pages reached through links from `index.html`.
    reached: BTreeSet<PathBuf>,
    /// `(target page, fragment, linking page)` to check once every page is known.
    anchors: BTreeSet<(PathBuf, String, String)>,
    /// Internal links checked.
    internal: usize,
    /// External links seen (not followed).
    external: usize,
    /// Everything wrong, one line each.
    problems: Vec<String>,
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn every_page_links_requests_console_and_overflow() {
    crawl_site(&super::REAL);
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn example_site_every_page_links_requests_console_and_overflow() {
    crawl_site(&super::EXAMPLE);
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn guide_every_page_links_requests_console_and_overflow() {
    crawl_site(&super::GUIDE);
}

/// The crawl of one site: every page, reached from `index.html`, without a problem.
fn crawl_site(s: &super::Site) {
    let (_dir, site) = (s.build)();
    let Some(b) = browser::Browser::launch() else {
        return;
    };
    let start = Instant::now();
    let site = std::path::absolute(&site).expect("absolute");
    let crawl = Crawl::run(&b.tab(), &site);
    let rel = |p: &PathBuf| p.strip_prefix(&site).unwrap_or(p).display().to_string();
    let orphans: Vec<String> = crawl
        .ids
        .keys()
        .filter(|p| !crawl.reached.contains(*p))
        .map(rel)
        .collect();
    super::report(
        &format!("crawl, {}", s.name),
        start,
        format!(
            "{} pages opened ({} reached from index.html; not linked: {orphans:?}), {} internal links and {} anchors checked, {} external links seen",
            crawl.ids.len(),
            crawl.reached.len(),
            crawl.internal,
            crawl.anchors.len(),
            crawl.external
        ),
    );
    for lang in super::languages(&site) {
        let home = site.join(lang).join("index.html");
        assert!(
            crawl.reached.contains(&home),
            "{} is not reachable from index.html",
            rel(&home)
        );
    }
    assert!(
        crawl.problems.is_empty(),
        "{}: {} problems:\n{}",
        s.name,
        crawl.problems.len(),
        crawl.problems.join("\n")
    );
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn crawl_catches_planted_problems() {
    let planted = super::planted_site();
    let site = planted.path().join("site");
    let Some(b) = browser::Browser::launch() else {
        return;
    };
    let crawl = Crawl::run(&b.tab(), &site);
    let found = crawl.problems.join("\n");
    let expected = [
        "index.html: external request https://cdn.invalid/x.css",
        "index.html: console error (console): planted error",
        "missing.html does not exist",
        "index.html: anchor #nope not found on b.html",
        "outside.html leaves the site folder",
        "index.html: scrolls horizontally at 390 px",
    ];
    for needle in expected {
        assert!(
            found.contains(needle),
            "the crawl missed {needle:?}; it found:\n{found}"
        );
    }
    assert!(
        !found.contains("#here"),
        "a good anchor was reported:\n{found}"
    );
}

impl Crawl {
    /// Crawls the site in `tab` at 390 px: from `index.html` through every link, then every page
    /// no link reaches.
    fn run(tab: &browser::Tab, site: &Path) -> Crawl {
        tab.set_viewport(390, 844, true);
        let mut crawl = Crawl::default();
        let mut queue = VecDeque::from([site.join("index.html")]);
        crawl.reached.insert(site.join("index.html"));
        while let Some(page) = queue.pop_front() {
            for next in crawl.visit(tab, site, &page) {
                if crawl.reached.insert(next.clone()) {
                    queue.push_back(next);
                }
            }
        }
        for page in html_files(site) {
            if !crawl.reached.contains(&page) {
                crawl.visit(tab, site, &page);
            }
        }
        crawl.check_anchors(site);
        crawl
    }

    /// Opens one page; records its problems, ids and anchors; returns the pages it links to.
    fn visit(&mut self, tab: &browser::Tab, site: &Path, page: &Path) -> Vec<PathBuf> {
        let url = browser::file_url(page);
        let visit = tab.open(&url);
        let name = page
            .strip_prefix(site)
            .unwrap_or(page)
            .display()
            .to_string();
        let facts: PageFacts = serde_json::from_value(tab.eval(PAGE_JS)).expect("page facts");
        self.problems.extend(
            visit
                .problems(site)
                .into_iter()
                .map(|p| format!("{name}: {p}")),
        );
        if let Some(o) = &facts.overflow {
            self.problems
                .push(format!("{name}: scrolls horizontally at 390 px: {o}"));
        }
        self.ids
            .insert(page.to_path_buf(), facts.ids.into_iter().collect());
        let targets: BTreeSet<PathBuf> = facts
            .links
            .iter()
            .filter_map(|l| self.link(site, &name, l))
            .collect();
        targets
            .into_iter()
            .filter(|t| t.extension().is_some_and(|e| e == "html"))
            .collect()
    }

    /// Checks one link of page `from`; returns the file it points to when that is in the site.
    fn link(&mut self, site: &Path, from: &str, link: &str) -> Option<PathBuf> {
        let Ok(url) = url::Url::parse(link) else {
            self.problems
                .push(format!("{from}: unparsable link {link}"));
            return None;
        };
        if url.scheme() != "file" {
            self.external += 1;
            return None;
        }
        self.internal += 1;
        let Some(path) = browser::url_path(link).filter(|p| p.starts_with(site)) else {
            self.problems
                .push(format!("{from}: link {link} leaves the site folder"));
            return None;
        };
        if !path.is_file() {
            let why = if path.is_dir() {
                "is a folder (file:// needs the .html file)"
            } else {
                "does not exist"
            };
            self.problems
                .push(format!("{from}: link target {link} {why}"));
            return None;
        }
        if let Some(fragment) = url.fragment() {
            let fragment = crate::common::percent_decode(fragment);
            self.anchors
                .insert((path.clone(), fragment, from.to_string()));
        }
        Some(path)
    }

    /// Every `#fragment` must name an element of its target page (`#` and `#top` always work).
    fn check_anchors(&mut self, site: &Path) {
        for (target, fragment, from) in &self.anchors {
            if fragment.is_empty() || fragment == "top" {
                continue;
            }
            let known = self
                .ids
                .get(target)
                .is_some_and(|ids| ids.contains(fragment));
            let is_html = target.extension().is_some_and(|e| e == "html");
            if is_html && !known {
                let rel = target.strip_prefix(site).unwrap_or(target).display();
                self.problems
                    .push(format!("{from}: anchor #{fragment} not found on {rel}"));
            }
        }
    }
}

/// Every `.html` file of the site, sorted.
fn html_files(site: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}
