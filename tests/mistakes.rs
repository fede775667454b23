//! Every contributor mistake, one fixture each, run through both `check` and `build`.
//!
//! `tests/fixtures/mistakes/<name>/` holds the files the mistake adds to (or replaces in) the
//! `contributor` fixture project — a page, a translation, a template — optionally `remove.txt`
//! (files to delete from it), and `expected.txt`: exactly what `medfm check` prints. For each
//! mistake the test checks that
//!
//! - `check` prints `expected.txt` byte for byte and exits 1 when it holds an error (0 for
//!   warnings only);
//! - `build` reports the same diagnostics (one pipeline: check is the build minus writing), exits
//!   the same way, never panics, and — when it fails — leaves the previously built site byte for
//!   byte as it was, with nothing left beside it.
//!
//! Today's date, where a message gives it, is written `{today}` in `expected.txt`.
//!
//! A new mistake is a new folder. `MEDFM_BLESS=1 cargo test --test main mistakes` writes the
//! missing or changed `expected.txt` files from the current output, for review in the diff.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{copy_dir, files, repo_root, Run, TestProject};

/// The mistakes' folder.
fn mistakes_dir() -> PathBuf {
    repo_root().join("tests/fixtures/mistakes")
}

/// Every file of `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|f| (f.clone(), fs::read(dir.join(&f)).unwrap()))
        .collect()
}

/// The diagnostics of a run's stderr: each `file:line:col: severity: message` headline with the
/// indented lines after it (source, caret, help), in order.
fn diagnostics(stderr: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in stderr.lines() {
        let headline = [": error: ", ": warning: "]
            .iter()
            .any(|s| line.contains(s))
            && !line.starts_with("error:")
            && !line.starts_with(' ');
        if headline {
            out.push(line.to_string());
        } else if line.starts_with(' ') && !line.trim().is_empty() {
            if let Some(last) = out.last_mut() {
                last.push('\n');
                last.push_str(line);
            }
        }
    }
    out
}

/// A fixture project with mistake `name` applied, built once before the mistake.
fn project_with(name: &str) -> (TestProject, BTreeMap<String, Vec<u8>>) {
    let p = TestProject::fixture("contributor");
    p.build().assert_ok();
    let before = snapshot(&p.out());
    let dir = mistakes_dir().join(name);
    if let Ok(list) = fs::read_to_string(dir.join("remove.txt")) {
        for rel in list.lines().filter(|l| !l.trim().is_empty()) {
            p.remove(rel.trim());
        }
    }
    let staged = tempfile::tempdir().unwrap();
    copy_dir(&dir, staged.path());
    for meta in ["expected.txt", "remove.txt", "edits.txt"] {
        let _ = fs::remove_file(staged.path().join(meta));
    }
    copy_dir(staged.path(), &p.root());
    if let Ok(edits) = fs::read_to_string(dir.join("edits.txt")) {
        apply_edits(&p.root(), &edits);
    }
    (p, before)
}

/// Applies `edits.txt`: edits separated by a line `%%`, each a file path, the lines to replace,
/// a line `=>`, and the lines to put instead (for a one-line change to a long file such as
/// `site.yaml`, where a whole copy would hide the mistake).
#[track_caller]
fn apply_edits(root: &Path, edits: &str) {
    for edit in edits.split("\n%%\n") {
        let (file, rest) = edit.split_once('\n').expect("edits.txt: a file name first");
        let (old, new) = rest
            .split_once("\n=>\n")
            .expect("edits.txt: `=>` between the texts");
        let path = root.join(file.trim());
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.matches(old).count(),
            1,
            "edits.txt: `{old}` must occur once in {file}"
        );
        fs::write(&path, text.replace(old, new.trim_end_matches('\n'))).unwrap();
    }
}

/// What `check --format github` got wrong, given the diagnostics `check` printed: each located
/// diagnostic must be one annotation at the same file, line and column, with its severity.
fn github_problems(p: &TestProject, stderr: &str) -> Vec<String> {
    let run = p.run(&["check", "--format", "github"]);
    let annotations: Vec<&str> = run.stdout.lines().filter(|l| l.starts_with("::")).collect();
    let mut problems = Vec::new();
    let heads = diagnostics(stderr);
    for head in &heads {
        let headline = head.lines().next().unwrap_or_default();
        let Some((at, level)) = [": error: ", ": warning: "]
            .iter()
            .filter_map(|s| headline.find(s).map(|at| (at, s.trim_matches([':', ' ']))))
            .min()
        else {
            continue;
        };
        let mut loc = headline[..at].split(':');
        // Split at `:`, the file holds none; GitHub's properties escape its `,`.
        let file = loc.next().unwrap_or_default().replace(',', "%2C");
        let want = match (loc.next(), loc.next()) {
            (Some(line), Some(col)) => format!("::{level} file={file},line={line},col={col}::"),
            (Some(line), None) => format!("::{level} file={file},line={line}::"),
            _ => format!("::{level} file={file}::"),
        };
        if !annotations.iter().any(|a| a.starts_with(&want)) {
            problems.push(format!(
                "no GitHub annotation `{want}…` in:\n{}",
                run.stdout
            ));
        }
    }
    if annotations.len() != heads.len() {
        problems.push(format!(
            "{} diagnostics but {} GitHub annotations:\n{}",
            heads.len(),
            annotations.len(),
            run.stdout
        ));
    }
    if run.code != i32::from(stderr.contains(": error: ") || stderr.starts_with("error:")) {
        problems.push(format!("check --format github exited {}", run.code));
    }
    problems
}

/// Today's date as `check` writes it, which `expected.txt` writes `{today}`.
fn today() -> String {
    let today = time::OffsetDateTime::now_utc().date();
    format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    )
}

/// What went wrong with one mistake, if anything.
fn check_one(name: &str, bless: bool) -> Option<String> {
    let (p, before) = project_with(name);
    let mut check = p.run(&["check"]);
    check.stderr = check.stderr.replace(&today(), "{today}");
    let expected_path = mistakes_dir().join(name).join("expected.txt");
    let expected = fs::read_to_string(&expected_path).unwrap_or_default();
    let mut problems = Vec::new();
    if check.stderr != expected {
        if bless {
            fs::write(&expected_path, &check.stderr).unwrap();
        } else {
            problems.push(format!(
                "check printed:\n{}\n--- expected ({}):\n{expected}",
                check.stderr,
                expected_path.display()
            ));
        }
    }
    let errors = check.stderr.contains(": error: ") || check.stderr.starts_with("error:");
    if check.code != i32::from(errors) {
        problems.push(format!("check exited {} with errors: {errors}", check.code));
    }
    problems.extend(github_problems(&p, &check.stderr));
    let out = p.out();
    let mut build: Run = p.run(&["build", "--out", out.to_str().unwrap()]);
    build.stderr = build.stderr.replace(&today(), "{today}");
    if build.stderr.contains("panicked") || build.stderr.contains("overflow") {
        problems.push(format!("build panicked:\n{}", build.stderr));
    }
    if build.code != check.code {
        problems.push(format!(
            "build exited {}, check {}:\n{}",
            build.code, check.code, build.stderr
        ));
    }
    if diagnostics(&build.stderr) != diagnostics(&check.stderr) {
        problems.push(format!(
            "build and check differ:\n--- build:\n{}\n--- check:\n{}",
            build.stderr, check.stderr
        ));
    }
    if diagnostics(&check.stderr).is_empty() && !check.stderr.starts_with("error:") {
        problems.push("no diagnostic at all".to_string());
    }
    if errors {
        if snapshot(&p.out()) != before {
            problems.push("the failed build changed the previous site".into());
        }
        let mut left: Vec<String> = fs::read_dir(p.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        if left != ["proj", "public"] {
            problems.push(format!("leftovers beside the output: {left:?}"));
        }
    }
    (!problems.is_empty()).then(|| format!("== {name}\n{}", problems.join("\n")))
}

#[test]
fn every_mistake_is_reported_the_same_by_check_and_build() {
    let bless = std::env::var_os("MEDFM_BLESS").is_some();
    let mut names: Vec<String> = fs::read_dir(mistakes_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 30, "only {} mistakes", names.len());
    let failures: Vec<String> = names.iter().filter_map(|n| check_one(n, bless)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} mistakes:\n{}",
        failures.len(),
        names.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_diagnostics_parser_sees_blocks() {
    let text = "content/a.md:1:2: error: bad\n 1 | x\n   | ^\n  = help: fix\n\ncontent/b.md: warning: w\n\nerror: check failed: 1 error, 1 warning\n";
    assert_eq!(
        diagnostics(text),
        [
            "content/a.md:1:2: error: bad\n 1 | x\n   | ^\n  = help: fix",
            "content/b.md: warning: w"
        ]
    );
}
