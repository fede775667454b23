//! Layout: full-page screenshots of the home page and an entry page at 1280 px (desktop) and
//! 390 px (phone) in each language of each site, saved to `target/browser-artifacts/`; at 390 px
//! neither page may scroll sideways (the crawl checks the same on every page).

use std::time::Instant;

use crate::common::browser;

/// How far the page is wider than its viewport (0 when it does not scroll sideways).
const OVERFLOW_JS: &str =
    "document.documentElement.scrollWidth - document.documentElement.clientWidth";

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn screenshots_at_1280_and_390_without_sideways_scroll() {
    screenshots(&super::REAL, "");
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn example_site_screenshots_at_1280_and_390_without_sideways_scroll() {
    screenshots(&super::EXAMPLE, "legal-ai-");
}

/// Screenshots of one site, their file names starting with `prefix`.
fn screenshots(s: &super::Site, prefix: &str) {
    let (_dir, site) = (s.build)();
    let Some(b) = browser::Browser::launch() else {
        return;
    };
    let start = Instant::now();
    let dir = super::artifacts_dir();
    let (entry_kind, entry_dir) = s.entry;
    let entry = super::largest(&site, entry_dir).expect("an entry page");
    let tab = b.tab();
    let mut shots = Vec::new();
    for lang in super::languages(&site) {
        for (kind, file) in [("home", "index.html"), (entry_kind, entry.as_str())] {
            let url = browser::file_url(&site.join(lang).join(file));
            for (width, mobile) in [(1280, false), (390, true)] {
                tab.set_viewport(width, 900, mobile);
                tab.open(&url);
                let overflow = tab.eval(OVERFLOW_JS).as_i64().unwrap_or(0);
                assert!(
                    !mobile || overflow <= 0,
                    "{lang}{file} scrolls sideways by {overflow} px at {width} px"
                );
                let png = tab.screenshot_full();
                assert!(png.starts_with(b"\x89PNG"), "{lang}{file}: not a PNG");
                let lang = if lang.is_empty() { s.root_lang } else { "en" };
                let path = dir.join(format!("{prefix}{lang}-{kind}-{width}.png"));
                std::fs::write(&path, &png).expect("writing screenshot");
                shots.push(path.display().to_string());
            }
        }
    }
    super::report(
        &format!("layout, {}", s.name),
        start,
        format!("{} screenshots: {}", shots.len(), shots.join(", ")),
    );
}

/// Reader views that live in CSS: with scripts off at 390 px the main nav is one "Menu" control
/// until a keyboard user opens it; at 1280 px the English nav fits one line and the contents box
/// stays in view beside the text; the table keeps its header in view while its rows scroll, and
/// on a phone each row is a card whose cells carry their column's label.
#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn nav_contents_and_table_adapt_to_the_width() {
    let (_dir, site) = (super::REAL.build)();
    let Some(b) = browser::Browser::launch() else {
        return;
    };
    let tab = b.tab();
    tab.set_viewport(1280, 900, false);
    tab.open(&browser::file_url(&site.join("en/table.html")));
    let nav_lines = tab.eval(
        "new Set([...document.querySelectorAll('.main-nav li')].map(li => li.getBoundingClientRect().top)).size",
    );
    assert_eq!(nav_lines, 1, "the English nav wraps at 1280 px");
    let header_stays = tab.eval(
        "(() => { const w = document.querySelector('.table-wrap'); w.scrollTop = 800; \
         const th = document.querySelector('.compare thead th:nth-child(3)'); \
         return w.scrollTop > 0 && Math.abs(th.getBoundingClientRect().top - w.getBoundingClientRect().top) < 3; })()",
    );
    assert_eq!(header_stays, true, "the table header scrolls away");

    tab.open(&browser::file_url(
        &site.join("en/trends/modality-specific.html"),
    ));
    tab.eval("window.scrollTo(0, 3000)");
    let toc_top = tab.eval("document.querySelector('nav.toc').getBoundingClientRect().top");
    let toc_top = toc_top.as_f64().expect("a contents box");
    assert!(
        (0.0..100.0).contains(&toc_top),
        "the contents box scrolled away: top {toc_top}"
    );

    tab.set_scripts(false);
    tab.set_viewport(390, 900, true);
    tab.open(&browser::file_url(&site.join("en/index.html")));
    let shown_links =
        "[...document.querySelectorAll('.main-nav li a')].filter(a => a.offsetParent !== null).length";
    assert_eq!(
        tab.eval(shown_links),
        0,
        "the nav is open on a phone before any tap"
    );
    let menu = tab.eval("getComputedStyle(document.querySelector('.nav-toggle-label')).display");
    assert_ne!(menu, "none", "no menu control on a phone");
    tab.eval("document.getElementById('nav-toggle').focus()");
    tab.press_key(" ", false);
    let all = tab.eval("document.querySelectorAll('.main-nav li a').length");
    assert_eq!(
        tab.eval(shown_links),
        all,
        "the menu does not open from the keyboard"
    );

    tab.open(&browser::file_url(&site.join("table.html")));
    let card = tab.eval(
        "(() => { const td = document.querySelector('.compare tbody td'); \
         return [getComputedStyle(td.parentElement).display, getComputedStyle(td, '::before').content]; })()",
    );
    assert_eq!(card[0], "block", "table rows are not cards at 390 px");
    assert_eq!(
        card[1], "\"类型\"",
        "a cell does not show its column's label"
    );
    tab.set_scripts(true);
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn table_fits_at_1280_and_its_column_chooser_keeps_its_state_in_the_url() {
    let (_dir, site) = (super::REAL.build)();
    let Some(b) = browser::Browser::launch() else {
        return;
    };
    let tab = b.tab();
    tab.set_viewport(1280, 900, false);
    let url = browser::file_url(&site.join("en/table.html"));
    tab.open(&url);
    const SHOWN: &str = "[...document.querySelectorAll('#compare thead th')]\
        .filter(th => getComputedStyle(th).display !== 'none').map(th => th.dataset.key)";
    const DEFAULT: &str = "[...document.querySelectorAll('#table-columns input')]\
        .filter(b => b.defaultChecked).map(b => b.value)";
    let shown = tab.eval(SHOWN);
    let mut expected = vec![serde_json::Value::from("name")];
    expected.extend(tab.eval(DEFAULT).as_array().unwrap().iter().cloned());
    assert_eq!(shown.as_array().unwrap(), &expected, "the declared columns");
    assert!(
        !shown.as_array().unwrap().contains(&"venue".into()),
        "venue is offered, not shown"
    );
    let overflow = tab.eval(
        "(() => { const w = document.querySelector('.table-wrap'); return w.scrollWidth - w.clientWidth; })()",
    );
    assert!(
        overflow.as_f64().unwrap() <= 1.0,
        "the table scrolls sideways at 1280 px by {overflow}"
    );

    tab.eval("document.getElementById('col-venue').click()");
    let with_venue = tab.eval(SHOWN);
    assert!(with_venue.as_array().unwrap().contains(&"venue".into()));
    let cell_shown =
        tab.eval("getComputedStyle(document.querySelector('#compare tbody tr').cells[6]).display");
    assert_ne!(cell_shown, "none", "the venue cells stay hidden");
    let chosen = tab.url();
    let keys: Vec<&str> = (with_venue.as_array().unwrap().iter())
        .filter_map(|k| k.as_str())
        .filter(|k| *k != "name")
        .collect();
    assert!(
        chosen.ends_with(&format!("?cols={}", keys.join("%2C"))),
        "the chosen columns in the URL: {chosen}"
    );

    let fresh = b.tab();
    fresh.set_viewport(1280, 900, false);
    fresh.open(&chosen);
    assert_eq!(
        fresh.eval(SHOWN),
        with_venue,
        "a shared URL restores the columns"
    );
    assert_eq!(
        fresh.eval("document.getElementById('col-venue').checked"),
        true
    );

    tab.eval("document.getElementById('col-venue').click()");
    assert_eq!(tab.url(), url, "the default columns leave the URL clean");

    tab.set_scripts(false);
    tab.open(&url);
    tab.eval("document.getElementById('col-venue').click()");
    let without_script = tab.eval(SHOWN);
    assert!(
        without_script.as_array().unwrap().contains(&"venue".into()),
        "the chooser needs JavaScript: {without_script}"
    );
    tab.set_scripts(true);
}

/// Works reachable from `n` following `next` (`n` itself left out).
fn reachable(n: u64, next: &std::collections::BTreeMap<u64, Vec<u64>>) -> Vec<u64> {
    let mut seen = std::collections::BTreeSet::new();
    let mut todo = vec![n];
    while let Some(m) = todo.pop() {
        for &k in next.get(&m).into_iter().flatten() {
            if seen.insert(k) {
                todo.push(k);
            }
        }
    }
    seen.into_iter().collect()
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn lineage_highlights_a_focused_works_ancestors_and_descendants() {
    use std::collections::BTreeMap;
    let (_dir, site) = (super::REAL.build)();
    let Some(b) = browser::Browser::launch() else {
        return;
    };
    let tab = b.tab();
    tab.open(&browser::file_url(&site.join("en/lineage.html")));
    let edges = tab.eval(
        "[...document.querySelectorAll('svg.lineage-graph [data-from]')].map(e => [+e.dataset.from, +e.dataset.to])",
    );
    let (mut up, mut down) = (BTreeMap::new(), BTreeMap::new());
    for e in edges.as_array().unwrap() {
        let (from, to) = (e[0].as_u64().unwrap(), e[1].as_u64().unwrap());
        down.entry(from).or_insert_with(Vec::new).push(to);
        up.entry(to).or_insert_with(Vec::new).push(from);
    }
    // A work with both ancestors and descendants, reached by keyboard from the one before it.
    let middle = *down
        .keys()
        .find(|n| up.contains_key(n))
        .expect("a middle work");
    tab.eval(&format!(
        "(() => {{ const all = [...document.querySelectorAll('svg.lineage-graph a.node')]; \
         const i = all.findIndex(a => a.dataset.n === '{middle}'); all[i - 1].focus(); }})()"
    ));
    tab.press_tab(false);
    assert_eq!(
        tab.eval("document.activeElement.dataset.n"),
        middle.to_string(),
        "Tab reaches the work"
    );
    let lit = tab.eval(
        "[...document.querySelectorAll('svg.lineage-graph .node.lit')].map(n => +n.dataset.n).sort((a, b) => a - b)",
    );
    let mut expected = reachable(middle, &up);
    expected.extend(reachable(middle, &down));
    expected.push(middle);
    expected.sort_unstable();
    expected.dedup();
    let lit: Vec<u64> = (lit.as_array().unwrap().iter())
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(
        lit, expected,
        "lit works: the focused one, its ancestors and descendants"
    );
    let tracing = "document.querySelector('svg.lineage-graph').classList.contains('tracing')";
    assert_eq!(tab.eval(tracing), true);
    let dimmed = tab.eval(
        "getComputedStyle(document.querySelector('svg.lineage-graph .node:not(.lit)')).opacity",
    );
    assert!(
        dimmed.as_str().unwrap().parse::<f64>().unwrap() < 0.5,
        "unrelated works are not dimmed"
    );
    tab.eval("document.activeElement.blur()");
    assert_eq!(
        tab.eval(tracing),
        false,
        "leaving the work clears the highlight"
    );
}
