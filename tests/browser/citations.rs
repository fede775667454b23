//! Citations from `file://` in a real browser: on a trend page of the real site, a citation
//! mark leads to its reference at the foot of the page, the reference leads to the work's page,
//! and that page's "discussed in" leads back to the section of the trend page that cites it.

use crate::common::browser::{self, file_url};

/// Opens the link `selector` of the open page (the first match, a link to another page) and
/// returns its address.
fn follow(tab: &browser::Tab, site: &std::path::Path, selector: &str) -> String {
    let js = format!(
        "(() => {{ const a = document.querySelector({selector:?}); return a ? a.href : ''; }})()"
    );
    let href = tab.eval(&js).as_str().unwrap_or_default().to_string();
    assert!(!href.is_empty(), "no link `{selector}` on {}", tab.url());
    let problems = tab.open(&href).problems(site);
    assert!(problems.is_empty(), "{href}: {problems:?}");
    href
}

/// True when the element the URL's fragment names exists on the open page.
fn target_exists(tab: &browser::Tab) -> bool {
    let js = "(() => { const id = decodeURIComponent(location.hash.slice(1)); return !!document.getElementById(id); })()";
    tab.eval(js).as_bool().unwrap_or(false)
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn a_citation_its_reference_and_the_back_link_land_from_file_urls() {
    let (_dir, site) = crate::common::build_real_site();
    let Some(b) = browser::Browser::launch() else {
        return;
    };
    let tab = b.tab();
    for lang in ["", "en/"] {
        let page = site.join(format!("{lang}trends/general-to-medical.html"));
        tab.open(&file_url(&page));
        let js = "(() => { const a = document.querySelector('sup.cite a'); const id = a.getAttribute('href').slice(1); return document.getElementById(id) ? id : ''; })()";
        let reference = tab.eval(js).as_str().unwrap_or_default().to_string();
        assert!(
            reference.starts_with("ref-"),
            "the first mark's reference is on the page"
        );
        let entry = follow(&tab, &site, &format!("li[id='{reference}'] a.ref-page"));
        assert!(
            entry.starts_with("file://") && entry.contains("/models/"),
            "{entry}"
        );
        let back = follow(&tab, &site, ".discussed-in a[href*='#']");
        assert!(
            back.starts_with("file://") && back.contains("/trends/"),
            "{back}"
        );
        assert!(target_exists(&tab), "the section {back} exists");
    }
}
