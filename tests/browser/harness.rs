//! The harness itself (`tests/common/browser.rs`): keys and typing reach the page as a user's
//! would, and a flush returns what happened after the page loaded.

use crate::common::browser;

/// A form that logs what it receives.
const PAGE: &str = "<!DOCTYPE html><html lang=en><title>keys</title><form>\
    <input id=q aria-label=q><button>go</button></form><script>\
    const q = document.getElementById('q');\
    document.addEventListener('keydown', e => { if (e.key === '/' && e.target !== q) { e.preventDefault(); q.focus(); } });\
    q.addEventListener('keydown', e => { if (e.key === 'ArrowDown') console.log('down'); });\
    document.forms[0].addEventListener('submit', e => { e.preventDefault(); console.warn('submitted ' + q.value); });\
    </script>";

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn keys_and_typing_reach_the_page() {
    let Some(b) = browser::Browser::launch() else {
        return;
    };
    let tab = b.tab();
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("keys.html");
    std::fs::write(&path, PAGE).expect("writing page");
    let visit = tab.open(&browser::file_url(&path));
    assert!(
        visit.problems(dir.path()).is_empty(),
        "{:?}",
        visit.problems(dir.path())
    );
    tab.press_key("/", false);
    assert_eq!(tab.eval("document.activeElement.id"), "q");
    tab.type_text("sam");
    tab.press_key("ArrowDown", false);
    tab.press_key("Enter", false);
    let later = tab.flush();
    let texts: Vec<(&str, &str)> = later
        .console
        .iter()
        .map(|m| (m.level.as_str(), m.text.as_str()))
        .collect();
    assert_eq!(texts, [("log", "down"), ("warning", "submitted sam")]);
    assert_eq!(
        later.console_problems().len(),
        1,
        "a warning counts as a problem"
    );
}
