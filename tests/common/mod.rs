//! Shared test helpers: temporary projects made from fixtures (with the fixtures' site.yaml and
//! the starter theme), the `medfm` binary run on them, the real site built, parsed HTML of the
//! output, a link checker, and the real site's front matter read with serde.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

/// The repository root (the real site's project).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `medfm` binary built for these tests.
pub fn medfm() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_medfm"));
    // Tests run in GitHub Actions too: their checks must not write into the job's summary.
    command.env_remove("GITHUB_STEP_SUMMARY");
    command
}

/// A project in a temporary folder.
pub struct TestProject {
    /// Holds the project (`proj/`) and outputs.
    pub dir: TempDir,
}

/// The result of running `medfm`.
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Panics with the output unless the run succeeded.
    #[track_caller]
    pub fn assert_ok(&self) -> &Run {
        assert_eq!(
            self.code, 0,
            "medfm failed:\n{}\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Panics unless the run failed with exit code 1 and stderr contains `needle`.
    #[track_caller]
    pub fn assert_error(&self, needle: &str) -> &Run {
        assert_eq!(
            self.code, 1,
            "expected failure, got {}:\n{}",
            self.code, self.stderr
        );
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "panic:\n{}", self.stderr);
        self
    }
}

impl TestProject {
    /// A project whose `content/` is `tests/fixtures/<name>/content`, with the fixtures' own
    /// site.yaml (`tests/fixtures/site.yaml`, a trimmed copy of the real content model) and the
    /// starter theme of `medfm init` — not the real site's templates, so that a change to those
    /// breaks only the tests that mean to test them.
    pub fn fixture(name: &str) -> TestProject {
        let dir = tempfile::tempdir().expect("tempdir");
        let proj = dir.path().join("proj");
        let root = repo_root();
        let theme = root.join("src/commands/init/theme");
        copy_dir(&root.join("tests/fixtures").join(name), &proj);
        copy_dir(&theme.join("templates"), &proj.join("templates"));
        copy_dir(&theme.join("static"), &proj.join("static"));
        fs::copy(
            root.join("tests/fixtures/site.yaml"),
            proj.join("site.yaml"),
        )
        .expect("copy site.yaml");
        TestProject { dir }
    }

    /// A whole project copied from `tests/fixtures/<name>`: its own site.yaml, content,
    /// templates and static files (an example site with a model of its own).
    pub fn site_fixture(name: &str) -> TestProject {
        let dir = tempfile::tempdir().expect("tempdir");
        copy_dir(
            &repo_root().join("tests/fixtures").join(name),
            &dir.path().join("proj"),
        );
        TestProject { dir }
    }

    /// A copy of the real site's project (content, templates, static files, site.yaml and
    /// CITATION.cff), to build with a change.
    pub fn real_copy() -> TestProject {
        let project = TestProject {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        let root = repo_root();
        for part in ["content", "templates", "static"] {
            copy_dir(&root.join(part), &project.root().join(part));
        }
        for file in ["site.yaml", "CITATION.cff"] {
            fs::copy(root.join(file), project.root().join(file)).expect("copy");
        }
        project
    }

    /// The project root.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("proj")
    }

    /// The default output folder.
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    /// Writes `text` at `rel` inside the project.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &TestProject {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Reads `rel` inside the project.
    pub fn read_source(&self, rel: &str) -> String {
        fs::read_to_string(self.root().join(rel)).unwrap()
    }

    /// Removes `rel` inside the project.
    pub fn remove(&self, rel: &str) -> &TestProject {
        fs::remove_file(self.root().join(rel)).unwrap();
        self
    }

    /// Runs `medfm --root <project> <args…>` from the temporary folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Like [`TestProject::run`], with environment variables `env` set.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &Path)]) -> Run {
        let output = medfm()
            .arg("--root")
            .arg(self.root())
            .args(args)
            .envs(env.iter().copied())
            .current_dir(self.dir.path())
            .output()
            .unwrap();
        Run::from(output)
    }

    /// Builds into `out`.
    pub fn build_to(&self, out: &Path) -> Run {
        self.run(&["build", "--quiet", "--out", out.to_str().unwrap()])
    }

    /// Builds into the default output folder.
    pub fn build(&self) -> Run {
        self.build_to(&self.out())
    }

    /// Reads a file of the built site.
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.out().join(rel)).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
    }

    /// Parses an HTML file of the built site.
    pub fn html(&self, rel: &str) -> scraper::Html {
        scraper::Html::parse_document(&self.read(rel))
    }
}

/// Builds the real site (repository content) into a fresh temporary folder.
pub fn build_real_site() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("site");
    let output = medfm()
        .args(["build", "--quiet", "--root"])
        .arg(repo_root())
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let run = Run::from(output);
    run.assert_ok();
    (dir, out)
}

/// Builds the example site `tests/fixtures/<name>` (a whole project, see
/// [`TestProject::site_fixture`]) from a copy in a fresh temporary folder, so that the build
/// cache stays out of the source tree; returns the folder and the built site in it.
pub fn build_fixture_site(name: &str) -> (TempDir, PathBuf) {
    let project = TestProject::site_fixture(name);
    project.build().assert_ok();
    let out = project.out();
    (project.dir, out)
}

/// Builds the real site into `out` (e.g. a folder under `CARGO_TARGET_TMPDIR`), panicking on failure.
pub fn build_real_site_into(out: &Path) {
    let output = medfm()
        .args(["build", "--quiet", "--root"])
        .arg(repo_root())
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    Run::from(output).assert_ok();
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, relative, `/`-separated, sorted.
pub fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

/// Checks a built site against the stylesheet medfm ships (`src/outputs/assets/medfm.css`):
/// written at the site root as shipped, and linked by every HTML page as its first stylesheet,
/// right before the site's own `style.css`, which therefore overrides it.
pub fn assert_ships_medfm_css(site: &Path) {
    let shipped = fs::read_to_string(repo_root().join("src/outputs/assets/medfm.css")).unwrap();
    assert_eq!(fs::read_to_string(site.join("medfm.css")).unwrap(), shipped);
    let pages: Vec<String> = (files(site).into_iter())
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(!pages.is_empty(), "no page in {}", site.display());
    for page in pages {
        let doc = scraper::Html::parse_document(&fs::read_to_string(site.join(&page)).unwrap());
        let hrefs: Vec<&str> = (select(&doc, "link[rel=stylesheet]").iter())
            .filter_map(|link| link.value().attr("href"))
            .collect();
        let root = "../".repeat(page.matches('/').count());
        let expected = [format!("{root}medfm.css"), format!("{root}style.css")];
        assert_eq!(
            hrefs.get(..2),
            Some(&expected.each_ref().map(String::as_str)[..]),
            "{page}"
        );
    }
}

/// Selects elements of `doc` with CSS `selector`.
pub fn select<'a>(doc: &'a scraper::Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(selector).unwrap())
        .collect()
}

/// Decodes `%XX` escapes in a URL part (the generator's own decoder).
pub fn percent_decode(s: &str) -> String {
    medfm::percent_decode(s)
}

/// A broken internal link found by [`check_links`].
#[derive(Debug)]
pub struct BrokenLink {
    /// Page holding the link.
    pub page: String,
    /// The href.
    pub href: String,
    /// Why it is broken.
    pub why: String,
}

/// Walks every HTML file of a built site and checks every internal `href`/`src`: relative,
/// pointing at an existing file, and (for `#anchor`) at an existing id. Returns (links checked, broken).
pub fn check_links(site: &Path) -> (usize, Vec<BrokenLink>) {
    let pages: Vec<String> = files(site)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    let mut ids: std::collections::HashMap<String, std::collections::HashSet<String>> =
        Default::default();
    let mut docs = Vec::new();
    for page in &pages {
        let doc = scraper::Html::parse_document(&fs::read_to_string(site.join(page)).unwrap());
        ids.insert(
            page.clone(),
            select(&doc, "[id]")
                .iter()
                .map(|e| e.value().attr("id").unwrap().to_string())
                .collect(),
        );
        docs.push((page.clone(), doc));
    }
    let mut checked = 0;
    let mut broken = Vec::new();
    for (page, doc) in &docs {
        for el in select(doc, "[href], [src]") {
            let href = el
                .value()
                .attr("href")
                .or_else(|| el.value().attr("src"))
                .unwrap();
            if href.starts_with("https://")
                || href.starts_with("http://")
                || href.starts_with("mailto:")
            {
                continue;
            }
            checked += 1;
            if let Some(why) = link_problem(site, page, href, &ids) {
                broken.push(BrokenLink {
                    page: page.clone(),
                    href: href.to_string(),
                    why,
                });
            }
        }
    }
    (checked, broken)
}

fn link_problem(
    site: &Path,
    page: &str,
    href: &str,
    ids: &std::collections::HashMap<String, std::collections::HashSet<String>>,
) -> Option<String> {
    if href.starts_with('/') || href.contains("://") {
        return Some("not a relative link".into());
    }
    let (path, anchor) = match href.split_once('#') {
        Some((p, a)) => (p, Some(percent_decode(a))),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap();
    let target = if path.is_empty() {
        page.to_string()
    } else {
        let base = Path::new(page).parent().unwrap_or(Path::new(""));
        normalize(&base.join(percent_decode(path)))?
    };
    if !site.join(&target).is_file() {
        return Some(format!("no file {target}"));
    }
    match anchor {
        Some(a) if !a.is_empty() && target.ends_with(".html") => {
            (!ids.get(&target).is_some_and(|set| set.contains(&a)))
                .then(|| format!("no #{a} in {target}"))
        }
        _ => None,
    }
}

/// Resolves `..` in a site-relative path lexically; `None` when it climbs out of the site.
pub fn normalize(path: &Path) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop()?;
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    Some(parts.join("/"))
}

/// A work's front matter as the real site declares it (`collections.models.fields` in
/// site.yaml), read independently of the generator with serde: what tests of the real site
/// compare the built pages and exports with.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Work {
    pub title: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub descriptive_title: bool,
    pub kind: String,
    pub strand: String,
    pub theme: String,
    pub provenance: String,
    #[serde(default, deserialize_with = "medfm::optional_date")]
    pub date: Option<medfm::PartialDate>,
    #[serde(default, deserialize_with = "medfm::optional_date")]
    pub first_public: Option<medfm::PartialDate>,
    #[serde(default)]
    pub venue: String,
    #[serde(default)]
    pub venue_detail: String,
    #[serde(default)]
    pub paper: Paper,
    #[serde(default)]
    pub arxiv: String,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub more_authors: bool,
    #[serde(default)]
    pub corresponding: Vec<String>,
    #[serde(default)]
    pub institutions: Vec<String>,
    #[serde(default)]
    pub modalities: Vec<String>,
    #[serde(default)]
    pub organs: Vec<String>,
    #[serde(default)]
    pub tasks: Vec<String>,
    #[serde(default)]
    pub builds_on: Vec<String>,
    #[serde(default)]
    pub uses: Vec<String>,
    #[serde(default)]
    pub data_scale: String,
    #[serde(default)]
    pub parameters: Option<f64>,
    #[serde(default)]
    pub headline: String,
    #[serde(default)]
    pub open_code: Tristate,
    #[serde(default)]
    pub open_weights: Tristate,
    #[serde(default)]
    pub licence: Licence,
    #[serde(default)]
    pub links: Vec<Link>,
    pub summary: String,
    #[serde(default)]
    pub discrepancy: String,
    #[serde(default)]
    pub sources_differ: String,
}

/// The `licence` group of a work.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub weights: String,
}

/// `open_code`, `open_weights`: `true`, `false` or `unknown` (in this order, like the site's
/// sort ranks).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tristate {
    Yes,
    No,
    #[default]
    Unknown,
}

impl<'de> serde::Deserialize<'de> for Tristate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_yaml::Value::deserialize(d)? {
            serde_yaml::Value::Bool(true) => Ok(Tristate::Yes),
            serde_yaml::Value::Bool(false) => Ok(Tristate::No),
            serde_yaml::Value::String(s) if s == "unknown" => Ok(Tristate::Unknown),
            other => Err(serde::de::Error::custom(format!(
                "not a tristate: {other:?}"
            ))),
        }
    }
}

/// An entry of `links`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub label: String,
    pub url: String,
}

/// The `paper` group of a work.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paper {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub volume: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub pages: String,
    #[serde(default)]
    pub doi: String,
}

/// Headless Chromium for browser tests (opening `file://` pages, recording console and network).
pub mod browser;
