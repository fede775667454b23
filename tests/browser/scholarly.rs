//! Scholarly Markdown in a browser, from `file://`: a footnote reference lands on its note, the
//! note's back-link lands on the reference, and a `@fig-x` reference lands on the figure
//! (`tests/fixtures/scholarly`).

use crate::common::{browser, TestProject};

/// Clicks the first element matching `selector` and returns the id of the `:target` element
/// and whether it is inside the viewport.
fn click_and_land(tab: &browser::Tab, selector: &str) -> (String, bool) {
    let clicked = tab.eval(&format!(
        "(() => {{ const a = document.querySelector({selector:?}); if (!a) return false; a.click(); return true; }})()"
    ));
    assert_eq!(clicked, true, "no element {selector}");
    let target = tab
        .eval("(() => { const t = document.querySelector(':target'); return t ? t.id : ''; })()");
    let visible = tab.eval(
        "(() => { const t = document.querySelector(':target'); if (!t) return false; \
         const r = t.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; })()",
    );
    (
        target.as_str().unwrap_or_default().to_string(),
        visible == true,
    )
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn footnote_reference_and_back_link_land_from_file_urls() {
    let project = TestProject::fixture("scholarly");
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    project.build_to(&site).assert_ok();
    let Some(b) = browser::Browser::launch() else {
        return;
    };
    let tab = b.tab();
    tab.set_viewport(390, 500, true);
    let visit = tab.open(&browser::file_url(&site.join("en/about.html")));
    assert!(
        visit.problems(&site).is_empty(),
        "{:?}",
        visit.problems(&site)
    );
    assert_eq!(
        click_and_land(&tab, "sup.fnref a"),
        ("fn:1".to_string(), true),
        "the reference lands on its note"
    );
    assert_eq!(
        click_and_land(&tab, "li[id='fn:1'] a.fnback"),
        ("fnref:1".to_string(), true),
        "the back-link lands on the reference"
    );
    assert_eq!(
        click_and_land(&tab, "li[id='fn:1'] a.fnback:nth-of-type(2)"),
        ("fnref:1-2".to_string(), true),
        "the second back-link lands on the second reference"
    );
    assert_eq!(
        click_and_land(&tab, "a.xref[href='#fig-ct']"),
        ("fig-ct".to_string(), true),
        "a figure reference lands on the figure"
    );
    assert!(tab.url().starts_with("file://"), "{}", tab.url());
}
