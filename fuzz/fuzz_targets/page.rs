//! Fuzz target `page`: one content file through everything the build does to it before the
//! templates (`medfm::PageChecker`) — front-matter splitting, YAML parsing through the real
//! site's declared schema (as an entry of `models/` and as another page), validation, site
//! derivation and Markdown rendering with real link resolution — and the printing of every
//! diagnostic. Nothing may panic, hang or leak markup: raw HTML is sanitised,
//! so no `<script` and no `javascript:` link may reach the rendered body.
//!
//! Run: `cargo +nightly fuzz run page fuzz/corpus/page content/models content/trends` (see the
//! README's Fuzzing section); crashing inputs go to `tests/fuzz-regressions/` as regression tests.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use medfm::PageChecker;

/// The real site's configuration: pages are fuzzed against its declared model.
fn checker() -> &'static PageChecker {
    static CHECKER: OnceLock<PageChecker> = OnceLock::new();
    CHECKER.get_or_init(|| {
        PageChecker::new(include_str!("../../site.yaml")).expect("the real site.yaml parses")
    })
}

fn check_page(text: &str, dir: &str) {
    let page = checker().check(dir, "fuzz", text);
    for body in &page.bodies {
        assert_no_script(body);
    }
}

fn assert_no_script(html: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "script element survived: {html}");
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(!compact.contains("href=\"javascript:"), "javascript: link survived: {html}");
    assert!(!compact.contains("src=\"javascript:"), "javascript: source survived: {html}");
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        check_page(text, "models");
        check_page(text, "");
    }
});
