//! The user guide (`docs/guide`), the third real site: a site built by medfm itself, in
//! English, with the starter theme of `medfm init`. It passes `check --strict` with no error and
//! no warning, its chapter "site.yaml reference" is the generated reference, and every chapter
//! linked from the README exists. The browser gates (links, offline crawl, Nu, axe) run on it too
//! (see `browser::GUIDE`).

use std::path::PathBuf;

use crate::common::{medfm, repo_root, Run};

fn guide() -> PathBuf {
    repo_root().join("docs/guide")
}

#[test]
fn the_guide_passes_a_strict_check() {
    let run = Run::from(
        medfm()
            .arg("--root")
            .arg(guide())
            .args(["check", "--strict"])
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("check passed: 0 errors, 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_guide_includes_the_generated_site_yaml_reference() {
    let chapter = std::fs::read_to_string(guide().join("content/chapters/site-yaml.md")).unwrap();
    let body = chapter.splitn(3, "---\n").nth(2).unwrap();
    let reference = std::fs::read_to_string(repo_root().join("docs/site-yaml.md")).unwrap();
    let (heading, rest) = reference.split_once('\n').unwrap();
    assert_eq!(heading, "# site.yaml reference");
    assert!(
        body == rest,
        "docs/guide/content/chapters/site-yaml.md is stale: its body is docs/site-yaml.md \
         without its first line"
    );
}

#[test]
fn the_readme_links_only_existing_chapters() {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    let mut chapters = 0;
    for target in readme
        .split("](")
        .skip(1)
        .filter_map(|s| s.split(')').next())
    {
        if target.starts_with("http") || target.starts_with(['#', '@']) {
            continue;
        }
        let path = target.split('#').next().unwrap();
        assert!(
            repo_root().join(path).exists(),
            "README.md links to missing {path}"
        );
        chapters += usize::from(path.starts_with("docs/guide/content/chapters/"));
    }
    assert!(
        chapters >= 5,
        "the README links {chapters} chapters of the guide"
    );
}
