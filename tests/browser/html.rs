//! Valid HTML: the Nu HTML Checker (`vnu.jar` from the npm package `vnu-jar`, run with the
//! machine's Java) checks every generated page; any error fails.

use std::process::Command;
use std::time::Instant;

use serde::Deserialize;

use crate::common::browser::missing;

/// vnu's JSON report.
#[derive(Debug, Deserialize)]
struct Report {
    messages: Vec<Message>,
}

/// One vnu message.
#[derive(Debug, Deserialize)]
struct Message {
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "subType", default)]
    sub_type: Option<String>,
    #[serde(default)]
    url: String,
    #[serde(rename = "lastLine", default)]
    line: Option<u64>,
    message: String,
    #[serde(default)]
    extract: String,
}

impl Message {
    fn is_error(&self) -> bool {
        self.kind == "error" || self.kind == "non-document-error"
    }
}

#[cfg_attr(
    medfm_no_vnu,
    ignore = "needs java and vnu.jar: not found when the tests were built (bash .ci/run installs them)"
)]
#[test]
fn every_page_is_valid_html5() {
    check_site(&super::REAL);
}

#[cfg_attr(
    medfm_no_vnu,
    ignore = "needs java and vnu.jar: not found when the tests were built (bash .ci/run installs them)"
)]
#[test]
fn example_site_every_page_is_valid_html5() {
    check_site(&super::EXAMPLE);
}

#[cfg_attr(
    medfm_no_vnu,
    ignore = "needs java and vnu.jar: not found when the tests were built (bash .ci/run installs them)"
)]
#[test]
fn guide_every_page_is_valid_html5() {
    check_site(&super::GUIDE);
}

/// vnu on every page of one site: no error.
fn check_site(s: &super::Site) {
    let (_dir, site) = (s.build)();
    let Some(jar) = vnu_jar() else { return };
    let start = Instant::now();
    let pages = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .count();
    let (errors, warnings) = check(&jar, &site);
    super::report(
        &format!("vnu, {}", s.name),
        start,
        format!(
            "{pages} pages checked: {} errors, {warnings} warnings",
            errors.len()
        ),
    );
    assert!(
        errors.is_empty(),
        "{}: {} HTML errors:\n{}",
        s.name,
        errors.len(),
        errors.join("\n")
    );
}

#[cfg_attr(
    medfm_no_vnu,
    ignore = "needs java and vnu.jar: not found when the tests were built (bash .ci/run installs them)"
)]
#[test]
fn vnu_catches_planted_error() {
    let planted = super::planted_site();
    let Some(jar) = vnu_jar() else { return };
    let (errors, _) = check(&jar, &planted.path().join("site"));
    let errors = errors.join("\n");
    assert!(
        errors.contains("/index.html:") && errors.contains("alt"),
        "vnu missed the img without alt:\n{errors}"
    );
}

/// `vnu.jar` (`.ci/node_modules/vnu-jar/build/dist/vnu.jar` or `$MEDFM_VNU_JAR`), when it and
/// Java are there.
fn vnu_jar() -> Option<std::path::PathBuf> {
    let jar = super::ci_tool("MEDFM_VNU_JAR", "vnu-jar/build/dist/vnu.jar", "vnu.jar")?;
    match Command::new("java").arg("-version").output() {
        Ok(_) => Some(jar),
        Err(e) => missing("java", e),
    }
}

/// Checks every HTML file under `dir`; returns the errors (`path:line: message [extract]`) and
/// the number of warnings.
fn check(jar: &std::path::Path, dir: &std::path::Path) -> (Vec<String>, usize) {
    let out = Command::new("java")
        .args(["-Xss4m", "-jar"])
        .arg(jar)
        .args(["--format", "json", "--skip-non-html"])
        .arg(dir)
        .output()
        .expect("running java -jar vnu.jar");
    let text = String::from_utf8_lossy(&out.stderr);
    let report: Report =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("vnu output ({e}):\n{text}"));
    let (errors, others): (Vec<&Message>, Vec<&Message>) =
        report.messages.iter().partition(|m| m.is_error());
    let warnings = others
        .iter()
        .filter(|m| m.sub_type.as_deref() == Some("warning"))
        .count();
    let dir = dir.to_string_lossy();
    let rel = |url: &str| {
        url.rsplit_once(&*dir)
            .map_or(url.to_string(), |(_, r)| r.to_string())
    };
    let lines = errors
        .iter()
        .map(|m| {
            format!(
                "{}:{}: {} [{}]",
                rel(&m.url),
                m.line.unwrap_or(0),
                m.message,
                m.extract.replace('\n', " ")
            )
        })
        .collect();
    (lines, warnings)
}
