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
