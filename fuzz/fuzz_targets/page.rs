//! Fuzz target `page`: one content file through everything the build does to it before the
//! templates — front-matter splitting, YAML parsing into the work and the section schema,
//! validation, site derivation and Markdown rendering with real link resolution — and the
//! printing of every diagnostic. Nothing may panic, hang or leak markup: raw HTML is sanitised,
//! so no `<script` and no `javascript:` link may reach the rendered body.
//!
//! Run: `cargo +nightly fuzz run page fuzz/corpus/page content/models content/trends` (see the
//! README's Fuzzing section); crashing inputs go to `tests/fuzz-regressions/` as regression tests.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use medfm::markup::highlight::Highlighter;
use medfm::markup::links::{self, LinkTargets};
use medfm::model::config::SiteConfig;
use medfm::model::page::SourceFile;
use medfm::model::site::Site;

fn config() -> &'static SiteConfig {
    static CONFIG: OnceLock<SiteConfig> = OnceLock::new();
    CONFIG.get_or_init(|| SiteConfig::parse("site.yaml", include_str!("../../site.yaml")).expect("the real site.yaml parses"))
}

fn check_page(text: &str, dir: &str) {
    let config = config();
    let file = SourceFile {
        rel: format!("{dir}/fuzz.md").trim_start_matches('/').to_string(),
        display: PathBuf::from(format!("content/{dir}/fuzz.md")),
        text: content_text(text).into(),
    };
    let page = match medfm::model::parse::source(&file, dir, "fuzz", config) {
        Ok(page) => page,
        Err(d) => {
            let _ = d.to_string();
            return;
        }
    };
    for d in medfm::model::validate::validate(std::slice::from_ref(&page), config, medfm::base::date::PartialDate::today()) {
        let _ = d.to_string();
    }
    let site = match Site::new(config.clone(), vec![page]) {
        Ok(site) => site,
        Err(ds) => {
            ds.iter().for_each(|d| drop(d.to_string()));
            return;
        }
    };
    let targets = LinkTargets::new(&site, []);
    let highlighter = Highlighter::default();
    for lang in ["zh", "en"] {
        let (rendered, problems) = links::render_body(&site, &targets, &highlighter, 0, lang);
        problems.iter().for_each(|d| drop(d.to_string()));
        assert_no_script(&rendered.html);
    }
}

/// What `content::read_tree` would hand on: the text with its byte-order mark stripped.
fn content_text(text: &str) -> String {
    medfm::base::frontmatter::strip_bom(text).to_string()
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
