//! Offline search in a real browser (issue #5). The real site is built once into the target's
//! temporary folder and opened from `file://` in headless Chromium (`tests/common/browser.rs`);
//! the expected works come from the built taxonomy pages, never from a list in this file.
//!
//! Without `CI` set, a missing Chromium skips these tests with a notice; with `CI` set it fails.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::common::browser::{file_url, Browser, Tab, Visit};
use medfm::query_tokens;
use medfm::read_script;
use serde::Deserialize;
use serde_json::Value;

/// The real site, built once per run (a fixed folder, so nothing is left behind in /tmp).
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("search-site");
        crate::common::build_real_site_into(&out);
        out
    })
}

/// `search.html?q=<query>` of a language (`""` or `"en/"`).
fn search_url(prefix: &str, query: &str) -> String {
    let mut url = url::Url::parse(&file_url(&site().join(prefix).join("search.html"))).unwrap();
    url.query_pairs_mut().append_pair("q", query);
    url.to_string()
}

/// What the results page shows.
#[derive(Debug, Deserialize)]
struct Shown {
    status: String,
    titles: Vec<String>,
    /// For each row, true when it is a category (a term page).
    categories: Vec<bool>,
    metas: Vec<String>,
    hrefs: Vec<String>,
    marks: Vec<String>,
    none: bool,
}

const SHOWN: &str = "JSON.stringify({
  status: document.getElementById('search-status').textContent,
  titles: [...document.querySelectorAll('#search-results .search-title')].map(a => a.textContent),
  categories: [...document.querySelectorAll('#search-results .search-hit')].map(li => li.classList.contains('search-category')),
  metas: [...document.querySelectorAll('#search-results .meta')].map(m => m.textContent),
  hrefs: [...document.querySelectorAll('#search-results .search-title')].map(a => a.href),
  marks: [...document.querySelectorAll('#search-results mark')].map(m => m.textContent),
  none: document.getElementById('search-app').classList.contains('search-none'),
})";

/// True once every listed result has its snippet.
const SNIPPETS_READY: &str =
    "[...document.querySelectorAll('.search-snippet')].every(p => p.childNodes.length > 0)";

/// Polls `js` until it is true (10 s at most).
fn wait_for(tab: &Tab, js: &str) {
    let start = Instant::now();
    while tab.eval(js) != Value::Bool(true) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "timed out waiting for `{js}` on {}",
            tab.url()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Opens a search, shows every result ("more" until there is no more), waits for the
/// snippets, and checks the visit stayed clean.
fn search(tab: &Tab, prefix: &str, query: &str) -> Shown {
    let first = tab.open(&search_url(prefix, query));
    wait_for(tab, SNIPPETS_READY);
    while tab.eval("document.getElementById('search-more-wrap').hidden") == Value::Bool(false) {
        tab.eval("document.getElementById('search-more').click()");
        wait_for(tab, SNIPPETS_READY);
    }
    let shown: Shown = serde_json::from_str(tab.eval(SHOWN).as_str().unwrap()).unwrap();
    let later = tab.flush();
    for visit in [&first, &later] {
        assert!(
            visit.problems(site()).is_empty(),
            "{query}: {:#?}",
            visit.problems(site())
        );
    }
    assert!(
        first
            .requests
            .iter()
            .any(|u| u.ends_with("search/index.js")),
        "{:?}",
        first.requests
    );
    if !shown.titles.is_empty() {
        let shards = first
            .requests
            .iter()
            .chain(&later.requests)
            .filter(|u| u.contains("search/text-"))
            .count();
        assert!(shards > 0, "{query}: no snippet text was loaded");
    }
    shown
}

/// Work titles listed on a built term page (`taxonomies/<tax>/<term>.html`).
fn term_works(prefix: &str, tax: &str, term: &str) -> BTreeSet<String> {
    let path = site()
        .join(prefix)
        .join(format!("taxonomies/{tax}/{term}.html"));
    let doc = scraper::Html::parse_document(&std::fs::read_to_string(&path).unwrap());
    let titles: BTreeSet<String> = crate::common::select(&doc, ".card-title")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert!(!titles.is_empty(), "no works on {}", path.display());
    titles
}

fn missing_from<'a>(expected: &'a BTreeSet<String>, shown: &Shown) -> Vec<&'a String> {
    expected
        .iter()
        .filter(|t| !shown.titles.contains(t))
        .collect()
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn chinese_queries_find_their_works_from_file_urls() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tab = browser.tab();

    let pathology = search(&tab, "", "病理");
    for name in ["UNI", "CHIEF", "Virchow"] {
        assert!(
            pathology.titles.iter().any(|t| t == name),
            "病理 lacks {name}: {:?}",
            pathology.titles
        );
    }
    let tagged = term_works("", "modality", "pathology");
    assert!(
        missing_from(&tagged, &pathology).is_empty(),
        "病理 misses pathology works {:?}",
        missing_from(&tagged, &pathology)
    );
    assert!(
        pathology.marks.iter().any(|m| m == "病理"),
        "no highlighted 病理 in snippets: {:?}",
        pathology.marks
    );
    // The status counts every hit; the page shows the first 30 until "more" is pressed.
    let total = number_in(&pathology.status);
    assert_eq!(pathology.titles.len(), total, "{}", pathology.status);
    tab.open(&search_url("", "病理"));
    wait_for(&tab, SNIPPETS_READY);
    assert_eq!(
        tab.eval("document.querySelectorAll('#search-results .search-hit').length"),
        total.min(30) as u64
    );

    let medsam = search(&tab, "", "MedSAM");
    assert_eq!(
        medsam.titles.first().map(String::as_str),
        Some("MedSAM"),
        "{:?}",
        medsam.titles
    );
    assert!(
        medsam.hrefs[0].ends_with("/models/medsam.html"),
        "{}",
        medsam.hrefs[0]
    );
    assert!(!medsam.metas[0].is_empty());

    let usfm = search(&tab, "", "超声");
    assert!(
        usfm.titles.iter().any(|t| t == "USFM"),
        "超声: {:?}",
        usfm.titles
    );

    let mixed = search(&tab, "", "SAM 分割");
    for name in ["SAM", "MedSAM"] {
        assert!(
            mixed.titles.iter().any(|t| t == name),
            "SAM 分割 lacks {name}: {:?}",
            mixed.titles
        );
    }

    let chest_xray: BTreeSet<String> = term_works("", "modality", "xray")
        .intersection(&term_works("", "organ", "chest"))
        .cloned()
        .collect();
    let cxr = search(&tab, "", "胸片");
    assert!(
        missing_from(&chest_xray, &cxr).is_empty(),
        "胸片 misses chest X-ray works {:?}",
        missing_from(&chest_xray, &cxr)
    );
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn a_query_without_match_says_so() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tab = browser.tab();
    let shown = search(&tab, "", "qzxjvw 不存在的词");
    assert!(shown.titles.is_empty() && shown.none, "{shown:?}");
    assert!(
        shown.status.contains("没有找到") && shown.status.contains("qzxjvw"),
        "{}",
        shown.status
    );
    let shown = search(&tab, "en/", "qzxjvw");
    assert!(
        shown.titles.is_empty() && shown.status.starts_with("No pages match"),
        "{}",
        shown.status
    );
    let empty = search(&tab, "", "");
    assert!(empty.titles.is_empty() && !empty.none, "{empty:?}");
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn english_search_uses_the_english_index() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tab = browser.tab();
    let shown = search(&tab, "en/", "pathology");
    let tagged = term_works("en/", "modality", "pathology");
    assert!(
        missing_from(&tagged, &shown).is_empty(),
        "pathology misses {:?}",
        missing_from(&tagged, &shown)
    );
    assert!(
        shown.hrefs.iter().all(|h| h.contains("/en/")),
        "links leave the English site: {:?}",
        shown.hrefs
    );
    let ultrasound = search(&tab, "en/", "ultrasound");
    assert!(
        ultrasound.titles.iter().any(|t| t == "USFM"),
        "{:?}",
        ultrasound.titles
    );
    let medsam = search(&tab, "en/", "medsam");
    assert_eq!(medsam.titles.first().map(String::as_str), Some("MedSAM"));
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn browser_ranks_and_tokenizes_exactly_like_the_rust_reference() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tab = browser.tab();
    for prefix in ["", "en/"] {
        let js = std::fs::read_to_string(site().join(prefix).join("search/index.js")).unwrap();
        let (postings, synonyms) = read_script(&js).unwrap();
        search(&tab, prefix, "");
        for query in [
            "病理",
            "MedSAM",
            "超声",
            "SAM 分割",
            "胸片",
            "胸片分类",
            "医学基础模型",
            "肺",
            "ultrasound",
            "segm",
            "GPT-4",
            "pathology",
            "病理切片",
            "Stanford",
            "MSRA",
            "谱系",
            "2401.00153",
            "ＣＴ",
            "cxr",
            "，",
            "",
        ] {
            let expected: Vec<(u32, u32)> = postings
                .search(query, &synonyms)
                .iter()
                .map(|h| (h.page, h.score))
                .collect();
            let literal = serde_json::to_string(query).unwrap();
            let got = tab.eval(&format!("JSON.stringify(new medfmSearch.Index(window.medfmSearchIndex).search({literal}).map(h => [h.page, h.score]))"));
            let got: Vec<(u32, u32)> = serde_json::from_str(got.as_str().unwrap()).unwrap();
            assert_eq!(
                got, expected,
                "{prefix}search.html ranks {query:?} differently from Rust"
            );
        }
    }
    for text in [
        "ＳＡＭ分割",
        "Virchow’s 病理",
        "İstanbul ΣΑΣ",
        "カタカナ한국어",
        "x光片 B超",
        "🙂sam",
        "𠀀𠀁",
        "3M-US",
    ] {
        let expected: Vec<String> = query_tokens(text)
            .iter()
            .map(|t| t.as_str().to_string())
            .collect();
        let literal = serde_json::to_string(text).unwrap();
        let got = tab.eval(&format!(
            "JSON.stringify(medfmSearch.queryTokens({literal}).map(t => t.t))"
        ));
        assert_eq!(
            serde_json::from_str::<Vec<String>>(got.as_str().unwrap()).unwrap(),
            expected,
            "tokens of {text:?}"
        );
    }
}

fn focused(tab: &Tab) -> String {
    tab.eval("document.activeElement.id || document.activeElement.textContent")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn wait_for_url(tab: &Tab, ending: &str) {
    let start = Instant::now();
    while !(tab
        .url()
        .split('?')
        .next()
        .unwrap_or_default()
        .ends_with(ending)
        && tab.eval("document.readyState") == "complete")
    {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "did not reach {ending}: at {}",
            tab.url()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn keyboard_slash_arrows_and_enter() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tab = browser.tab();
    tab.open(&file_url(&site().join("models/uni.html")));
    tab.press_key("/", false);
    assert_eq!(focused(&tab), "search-q");
    tab.type_text("MedSAM");
    tab.press_key("Enter", false);
    wait_for_url(&tab, "/search.html");
    assert!(tab.url().ends_with("search.html?q=MedSAM"), "{}", tab.url());
    wait_for(
        &tab,
        "document.querySelectorAll('.search-title').length > 1",
    );
    assert_eq!(
        tab.eval("document.getElementById('search-q').value"),
        "MedSAM"
    );
    tab.press_key("/", false);
    assert_eq!(focused(&tab), "search-q");
    tab.press_key("ArrowDown", false);
    assert_eq!(focused(&tab), "MedSAM");
    tab.press_key("ArrowDown", false);
    let second = focused(&tab);
    assert_ne!(second, "MedSAM");
    tab.press_key("ArrowUp", false);
    assert_eq!(focused(&tab), "MedSAM");
    tab.press_key("ArrowUp", false);
    assert_eq!(focused(&tab), "search-q");
    tab.press_key("ArrowDown", false);
    tab.press_key("Enter", false);
    wait_for_url(&tab, "/models/medsam.html");
    let visit: Visit = tab.flush();
    assert!(
        visit.problems(site()).is_empty(),
        "{:#?}",
        visit.problems(site())
    );
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn typing_on_the_results_page_updates_results_and_url() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tab = browser.tab();
    search(&tab, "", "病理");
    tab.eval(
        "document.getElementById('search-q').focus(); document.getElementById('search-q').select()",
    );
    tab.type_text("超声");
    wait_for(
        &tab,
        "location.search === '?q=' + encodeURIComponent('超声')",
    );
    wait_for(
        &tab,
        "[...document.querySelectorAll('.search-title')].some(a => a.textContent === 'USFM')",
    );
    assert!(tab
        .eval("document.title")
        .as_str()
        .unwrap()
        .starts_with("超声 · "));
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn index_is_small_and_loads_fast() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tab = browser.tab();
    for prefix in ["", "en/"] {
        let dir = site().join(prefix).join("search");
        let js = std::fs::read_to_string(dir.join("index.js")).unwrap();
        let index = js.len() as u64;
        let pages = read_script(&js).unwrap().0.titles.len() as u64;
        eprintln!(
            "{prefix}search/index.js: {index} bytes, {pages} pages, {} bytes per page",
            index / pages.max(1)
        );
        assert!(
            index / pages.max(1) < 8 * 1024,
            "index grew to {} bytes per page",
            index / pages.max(1)
        );
        search(&tab, prefix, "");
        let ms = tab.eval(
            "(async () => { let best = Infinity; for (let i = 0; i < 5; i++) {
               const t0 = performance.now();
               await new Promise((ok, fail) => { const s = document.createElement('script'); s.src = 'search/index.js'; s.onload = ok; s.onerror = fail; document.head.appendChild(s); });
               new medfmSearch.Index(window.medfmSearchIndex).search('病理');
               best = Math.min(best, performance.now() - t0); }
             return best; })()",
        );
        let ms = ms.as_f64().unwrap();
        eprintln!("{prefix}search/index.js: loaded, parsed and queried in {ms:.1} ms");
        assert!(ms < 100.0, "{prefix}search/index.js took {ms:.1} ms");
    }
}

/// Screenshots of the results page at desktop and phone widths, for people to look at, in
/// `target/browser-artifacts/`; also checks the phone layout does not scroll sideways.
#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn results_page_screenshots() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tab = browser.tab();
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.parent().unwrap_or(tmp).join("browser-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    for (width, mobile) in [(1280, false), (390, true)] {
        for (prefix, query, name) in [("", "病理", "zh"), ("en/", "pathology", "en")] {
            tab.set_viewport(width, 900, mobile); // a full-page screenshot resets it
            tab.open(&search_url(prefix, query));
            wait_for(&tab, SNIPPETS_READY);
            assert_eq!(
                tab.eval("document.documentElement.scrollWidth <= window.innerWidth"),
                true,
                "{name} scrolls sideways at {width}px"
            );
            std::fs::write(
                dir.join(format!("search-{name}-{width}.png")),
                tab.screenshot_full(),
            )
            .unwrap();
        }
    }
}

/// The number in a status or meta text.
fn number_in(text: &str) -> usize {
    (text.chars().filter(char::is_ascii_digit))
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no number in {text:?}"))
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn a_term_query_offers_its_term_page_first_with_its_count() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tab = browser.tab();
    let shown = search(&tab, "", "病理");
    assert_eq!(
        shown.titles.first().map(String::as_str),
        Some("病理切片"),
        "{shown:?}"
    );
    assert!(shown.categories[0], "{shown:?}");
    assert!(
        shown.hrefs[0].ends_with("/taxonomies/modality/pathology.html"),
        "{}",
        shown.hrefs[0]
    );
    let works = term_works("", "modality", "pathology").len();
    assert!(shown.metas[0].starts_with("模态 · "), "{}", shown.metas[0]);
    assert_eq!(number_in(&shown.metas[0]), works, "{}", shown.metas[0]);
    // Categories come before every page; the pages follow as before.
    let first_page = shown.categories.iter().position(|c| !c).unwrap();
    assert!(
        shown.categories[first_page..].iter().all(|c| !c),
        "{shown:?}"
    );
    let en = search(&tab, "en/", "pathology");
    assert_eq!(
        en.titles.first().map(String::as_str),
        Some("Pathology"),
        "{en:?}"
    );
    assert!(en.metas[0].starts_with("Modality · "), "{}", en.metas[0]);
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn a_query_in_either_language_finds_the_works_of_a_term() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tab = browser.tab();
    for (prefix, query) in [("", "pathology"), ("", "Pathology"), ("en/", "病理切片")] {
        let shown = search(&tab, prefix, query);
        let tagged = term_works(prefix, "modality", "pathology");
        assert!(
            missing_from(&tagged, &shown).is_empty(),
            "{prefix}search.html?q={query} misses {:?}",
            missing_from(&tagged, &shown)
        );
    }
    // A vocabulary alias (site.yaml `aliases:`) leads to its term and its works.
    let msr = search(&tab, "en/", "MSRA");
    assert_eq!(
        msr.titles.first().map(String::as_str),
        Some("Microsoft Research"),
        "{msr:?}"
    );
    let msr_works = term_works("en/", "institution", "microsoft-research");
    assert!(missing_from(&msr_works, &msr).is_empty(), "{msr:?}");
}

const FACET: &str = "document.getElementById('search-facet-kind')";

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn a_facet_narrows_the_results_keeps_its_state_in_the_url_and_announces_the_count() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tab = browser.tab();
    let all = search(&tab, "", "病理");
    assert_eq!(
        tab.eval("document.querySelector('label[for=search-facet-kind]').textContent"),
        "类型"
    );
    // Keyboard: focus the filter and step down its options (the first is "all").
    tab.eval(&format!("{FACET}.focus()"));
    assert_eq!(focused(&tab), "search-facet-kind");
    let options: Vec<String> = serde_json::from_str(
        tab.eval(&format!(
            "JSON.stringify([...{FACET}.options].map(o => o.text))"
        ))
        .as_str()
        .unwrap(),
    )
    .unwrap();
    assert!(options[0].starts_with("全部"), "{options:?}");
    let dataset = options
        .iter()
        .position(|o| o.starts_with("数据集"))
        .unwrap();
    tab.eval(&format!(
        "{FACET}.selectedIndex = {dataset}; {FACET}.dispatchEvent(new Event('change'))"
    ));
    wait_for(&tab, "location.search.includes('kind=dataset')");
    let status = tab.eval("document.getElementById('search-status').textContent");
    let status = status.as_str().unwrap();
    let narrowed: Vec<String> = serde_json::from_str(
        tab.eval("JSON.stringify([...document.querySelectorAll('#search-results .meta')].map(m => m.textContent))")
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert!(
        !narrowed.is_empty() && narrowed.len() < all.titles.len(),
        "{narrowed:?}"
    );
    assert!(
        narrowed.iter().all(|m| m.starts_with("数据集")),
        "{narrowed:?}"
    );
    assert_eq!(number_in(status), narrowed.len(), "{status}");
    assert_eq!(
        number_in(&options[dataset]),
        narrowed.len(),
        "the option counts what it leaves: {options:?}"
    );
    assert_eq!(
        tab.eval("document.getElementById('search-status').getAttribute('aria-live')"),
        "polite"
    );
    // The state survives a reload from the URL.
    let url = tab.url();
    tab.open(&url);
    wait_for(&tab, SNIPPETS_READY);
    assert_eq!(tab.eval(&format!("{FACET}.selectedIndex")), dataset as u64);
    let again = tab.eval("document.querySelectorAll('#search-results .search-hit').length");
    assert_eq!(again, narrowed.len() as u64, "{url}");
    assert_eq!(
        tab.eval("document.getElementById('search-q').value"),
        "病理"
    );
}

#[cfg_attr(
    medfm_no_chromium,
    ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
)]
#[test]
fn the_starter_theme_shows_a_result_title_above_its_kind() {
    let p = crate::starter::starter();
    p.write(
        "content/entries/alpha.md",
        "---\ntitle: Alpha\nkind: tool\ndate: 2024-03\nsummary: The alpha entry.\n---\n\nText.\n",
    );
    p.build().assert_ok();
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tab = browser.tab();
    let mut url = url::Url::parse(&file_url(&p.out().join("search.html"))).unwrap();
    url.query_pairs_mut().append_pair("q", "alpha");
    let visit = tab.open(url.as_str());
    wait_for(&tab, SNIPPETS_READY);
    assert!(
        visit.problems(&p.out()).is_empty(),
        "{:?}",
        visit.problems(&p.out())
    );
    let shown = tab.eval(
        "(() => {
          const hit = document.querySelector('#search-results .search-hit');
          const title = hit.querySelector('.search-title'), meta = hit.querySelector('.meta');
          const a = title.getBoundingClientRect(), m = meta.getBoundingClientRect();
          return JSON.stringify({
            title: title.textContent, meta: meta.textContent, below: m.top >= a.bottom - 1,
            muted: getComputedStyle(meta).color !== getComputedStyle(title).color,
            bullet: getComputedStyle(hit).display === 'list-item'
              && getComputedStyle(hit.parentElement).listStyleType !== 'none',
          });
        })()",
    );
    let shown: Value = serde_json::from_str(shown.as_str().unwrap()).unwrap();
    assert_eq!(
        shown,
        serde_json::json!({
            "title": "Alpha", "meta": "Tool", "below": true, "muted": true, "bullet": false
        })
    );
}
