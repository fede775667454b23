//! Test helpers (compiled for unit tests only): a small bilingual site made from string
//! literals — a `site.yaml` fragment declaring the content model, and Markdown files — so the
//! unit tests of the model and of the layers above build exactly the site they need, in memory.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;

use crate::base::date::PartialDate;
use crate::base::diagnostic::{Diagnostic, Diagnostics};
use crate::model::config::{SiteConfig, CONFIG_FILE, FEATURE_STRINGS, GENERATOR_STRINGS};
use crate::model::page::{Page, SourceFile};
use crate::model::site::Site;
use crate::model::{parse, validate};

/// The part of `site.yaml` every test site shares: titles, base URL and two languages, Chinese
/// (the default) and English.
const HEAD: &str = "\
title: {zh: 测试站点, en: Test site}
description: {zh: 测试用的站点。, en: A site for tests.}
base_url: https://example.org
default_language: zh
languages:
  - {code: zh, name: 中文}
  - {code: en, name: English}
";

/// UI strings with real text where the generator formats with them (dates, tristates); every
/// other string the generator reads is `<lang>:<key>`.
const STRINGS: &[(&str, &str, &str)] = &[
    ("date_day", "{y}年{month}{d}日", "{d} {month} {y}"),
    ("date_month", "{y}年{month}", "{month} {y}"),
    ("date_year", "{y}年", "{y}"),
    (
        "months",
        "1月,2月,3月,4月,5月,6月,7月,8月,9月,10月,11月,12月",
        "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
    ),
    ("date_unknown", "时间不详", "Date unknown"),
    ("yes", "是", "Yes"),
    ("no", "否", "No"),
    ("unknown", "未知", "Unknown"),
    ("table_name", "名称", "Name"),
];

/// The fixed day dates are checked against (a date after it is an error), instead of the clock.
pub(crate) const TODAY: &str = "2025-06-30";

/// The `strings` section: [`STRINGS`], then every other key the generator may read.
fn strings() -> String {
    let keys = (GENERATOR_STRINGS.iter().map(|(key, _)| *key))
        .chain(FEATURE_STRINGS.iter().map(|(_, key, _)| *key))
        .filter(|key| !STRINGS.iter().any(|(k, _, _)| k == key));
    let mut zh = String::new();
    let mut en = String::new();
    for (key, z, e) in STRINGS {
        let _ = writeln!(zh, "    {key:?}: {z:?}");
        let _ = writeln!(en, "    {key:?}: {e:?}");
    }
    for key in keys {
        let _ = writeln!(zh, "    {key:?}: \"zh:{key}\"");
        let _ = writeln!(en, "    {key:?}: \"en:{key}\"");
    }
    format!("strings:\n  zh:\n{zh}  en:\n{en}")
}

/// The configuration of a test site whose content model (`vocabularies`, `collections`,
/// `pages`, `table`, `exports`, … — anything but the titles, languages and `strings`) is the
/// `site.yaml` fragment `model`. Panics with the diagnostics when it does not parse.
pub(crate) fn config(model: &str) -> SiteConfig {
    let text = format!("{HEAD}{model}\n{}", strings());
    SiteConfig::parse(CONFIG_FILE, &text)
        .unwrap_or_else(|problems| panic!("the test site.yaml has problems:\n{problems}\n{text}"))
}

/// Content files from (path inside `content/`, text) pairs.
pub(crate) fn files(files: &[(&str, &str)]) -> Vec<SourceFile> {
    files
        .iter()
        .map(|(rel, text)| SourceFile {
            rel: rel.to_string(),
            display: PathBuf::from("content").join(rel),
            text: Arc::from(*text),
        })
        .collect()
}

/// Parses content `files` (see [`files`]) into pages, or gives every problem found.
pub(crate) fn try_pages(
    config: &SiteConfig,
    files: &[(&str, &str)],
) -> Result<Vec<Page>, Diagnostics> {
    let parsed = parse::all_pages(&self::files(files), config);
    if parsed.problems.is_empty() {
        Ok(parsed.pages)
    } else {
        Err(Diagnostics(parsed.problems))
    }
}

/// Parses content `files` into pages; panics with the diagnostics when they do not parse.
pub(crate) fn pages(config: &SiteConfig, files: &[(&str, &str)]) -> Vec<Page> {
    try_pages(config, files)
        .unwrap_or_else(|problems| panic!("the test content has problems:\n{problems}"))
}

/// The site of `config` with content `files`, derived as a build derives it. Panics when the
/// content does not parse, has an error (warnings, such as a missing translation, are fine) or
/// cannot be derived.
pub(crate) fn site_of(config: SiteConfig, files: &[(&str, &str)]) -> Site {
    let pages = pages(&config, files);
    let today = PartialDate::parse(TODAY).expect("a valid date");
    let errors: Vec<Diagnostic> = validate::validate(&pages, &config, today)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    assert!(
        errors.is_empty(),
        "the test content has errors:\n{}",
        Diagnostics(errors)
    );
    Site::new(config, pages).unwrap_or_else(|problems| {
        panic!("the test site does not derive:\n{}", Diagnostics(problems))
    })
}

/// The site whose content model is `model` (see [`config`]) with content `files`.
pub(crate) fn site(model: &str, files: &[(&str, &str)]) -> Site {
    site_of(config(model), files)
}
