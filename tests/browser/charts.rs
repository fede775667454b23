//! Charts from `file://` in a real browser: every bar and segment of the real site's charts
//! (the home page in both languages, a trend page) links to the comparison table, and the
//! table opened from that link shows exactly as many works as the chart counted there.

use crate::common::browser::{self, file_url};

/// The links of the open page's charts, from their data tables: (href, count). The drawings'
/// links must be among them.
fn chart_links(tab: &browser::Tab) -> Vec<(String, usize)> {
    let js = "(() => JSON.stringify({ table: [...document.querySelectorAll('.chart-data a')].map(a => [a.href, Number(a.textContent)]), svg: [...document.querySelectorAll('.chart-svg a')].map(a => a.href.baseVal === undefined ? a.href : new URL(a.getAttribute('href'), location.href).href) }))()";
    let value: serde_json::Value =
        serde_json::from_str(tab.eval(js).as_str().unwrap_or("{}")).unwrap_or_default();
    let table: Vec<(String, usize)> =
        serde_json::from_value(value["table"].clone()).unwrap_or_default();
    let svg: Vec<String> = serde_json::from_value(value["svg"].clone()).unwrap_or_default();
    assert!(!svg.is_empty(), "the charts of {} have links", tab.url());
    for href in &svg {
        assert!(
            table.iter().any(|(h, _)| h == href),
            "{href}: a bar's link is also in the data table"
        );
    }
    table
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn every_bar_lands_on_the_table_filtered_to_the_works_it_counts() {
    let (_dir, site) = crate::common::build_real_site();
    let Some(b) = browser::Browser::launch() else {
        return;
    };
    let tab = b.tab();
    let mut followed = 0;
    for page in [
        "index.html",
        "en/index.html",
        "trends/modality-specific.html",
    ] {
        tab.open(&file_url(&site.join(page)));
        for (href, count) in chart_links(&tab) {
            assert!(href.contains("table.html?"), "{href} opens the table");
            let problems = tab.open(&href).problems(&site);
            assert!(problems.is_empty(), "{href}: {problems:?}");
            let shown =
                tab.eval("document.querySelectorAll('#compare tbody tr:not([hidden])').length");
            assert_eq!(shown.as_u64(), Some(count as u64), "{href} (from {page})");
            followed += 1;
        }
    }
    assert!(followed > 30, "{followed} links followed");
}
