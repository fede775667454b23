//! Bad input never crashes or tricks the build: each case below must fail with a clear error
//! naming the file (and the line where there is one), exit with status 1, print no panic and
//! leave the previously built site byte for byte as it was (and no staging folder behind). BOM,
//! CRLF and deeply nested Markdown must simply work. Crashing inputs found by the fuzzer
//! (`fuzz/`) are replayed from `tests/fuzz-regressions/`. Mistakes a contributor makes in an
//! ordinary page are in `mistakes.rs` (one fixture each); these are the cases that need code:
//! huge or generated inputs, symbolic links, a template that never ends.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::common::{medfm, Run, TestProject};

/// A minimal project that has been built once.
fn built() -> TestProject {
    let p = TestProject::fixture("minimal");
    p.build().assert_ok();
    p
}

/// Every file of `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    crate::common::files(dir)
        .into_iter()
        .map(|f| (f.clone(), fs::read(dir.join(&f)).unwrap()))
        .collect()
}

/// Builds the project quietly with extra environment variables.
fn build_with(p: &TestProject, envs: &[(&str, &str)]) -> Run {
    let output = medfm()
        .args(["build", "--quiet", "--out"])
        .arg(p.out())
        .arg("--root")
        .arg(p.root())
        .envs(envs.iter().copied())
        .current_dir(p.dir.path())
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Breaks the built project with `damage`, rebuilds, and checks the failure: status 1, no panic,
/// `needle` and `location` (file, optionally `:line`) in stderr, the old site intact, no leftovers.
fn rejects(damage: impl FnOnce(&TestProject), location: &str, needle: &str) -> Run {
    rejects_with(damage, &[], location, needle)
}

fn rejects_with(
    damage: impl FnOnce(&TestProject),
    envs: &[(&str, &str)],
    location: &str,
    needle: &str,
) -> Run {
    let p = built();
    let before = snapshot(&p.out());
    damage(&p);
    let run = build_with(&p, envs);
    run.assert_error(needle);
    assert!(
        run.stderr.contains(location),
        "stderr does not name {location}:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("overflow"), "{}", run.stderr);
    assert!(
        snapshot(&p.out()) == before,
        "the previous site was changed by a failed build"
    );
    let left: Vec<String> = fs::read_dir(p.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut left = left;
    left.sort();
    assert_eq!(left, ["proj", "public"], "leftovers beside the output");
    run
}

/// A complete, valid work page with `extra` front-matter lines and `body`.
fn work(extra: &str, body: &str) -> String {
    format!("---\ntitle: Probe\nkind: model\nstrand: reference\ntheme: foundations\ndate: 2023\nsummary: 探针。\n{extra}---\n\n{body}")
}

#[test]
fn deeply_nested_values() {
    // Found by this suite: the YAML scanner is quadratic in the depth (100,000 brackets took
    // minutes); front matter nested deeper than 64 levels is now refused before parsing, and
    // front matter over 64 KiB before that.
    let nested = |depth: usize| format!("aliases: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    rejects(
        |p| {
            p.write("content/models/deep.md", work(&nested(1_000), ""));
        },
        "content/models/deep.md:8:74",
        "nested more than 64 levels",
    );
    rejects(
        |p| {
            p.write("content/models/deep.md", work(&nested(100_000), ""));
        },
        "content/models/deep.md:2:1",
        "the front matter is 200102 bytes; at most 64 KiB are read",
    );
}

#[test]
fn nested_markdown_builds_to_32_levels_and_deeper_is_refused_at_its_line() {
    let p = built();
    let body = format!("{}deep\n\n{}x\n", "> ".repeat(32), "- ".repeat(32));
    p.write("content/models/quotes.md", work("", &body));
    build_with(&p, &[]).assert_ok();
    // 8 million `>` took 48 s and 2.2 GiB before the depth was bounded; now the body is
    // refused before it is parsed.
    rejects(
        |p| {
            let body = format!("# Deep\n\n{}deep\n", ">".repeat(8_000_000));
            p.write("content/models/deep.md", work("", &body));
        },
        "content/models/deep.md:12:1",
        "blocks nest 8000000 deep here",
    );
}

#[cfg(unix)]
#[test]
fn links_and_special_files_in_static_and_templates_are_refused() {
    rejects(
        |p| std::os::unix::fs::symlink("/etc/passwd", p.root().join("static/passwd.txt")).unwrap(),
        "static/passwd.txt",
        "symbolic links are not followed in static/",
    );
    rejects(
        |p| {
            let fifo = p.root().join("static/pipe");
            let made = std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap();
            assert!(made.success());
        },
        "static/pipe",
        "not a regular file (a FIFO, socket or device)",
    );
    rejects(
        |p| std::os::unix::fs::symlink("base.html", p.root().join("templates/page2.html")).unwrap(),
        "templates/page2.html",
        "symbolic links are not followed in templates/",
    );
}

#[test]
fn bom_and_crlf_work() {
    let p = built();
    let page = format!(
        "\u{feff}{}",
        work("venue: Windows\n", "## 标题\r\n\r\nText with CRLF.\r\n").replace('\n', "\r\n")
    );
    p.write("content/models/windows.md", page);
    build_with(&p, &[]).assert_ok();
    let html = p.read("models/windows.html");
    assert!(html.contains("<h1>Probe</h1>"), "title lost");
    assert!(html.contains("id=\"标题\""), "CRLF heading lost");
    assert!(!html.contains('\u{feff}'));
}

#[test]
fn fifty_megabyte_page_is_refused() {
    rejects(
        |p| {
            p.write(
                "content/models/huge.md",
                work("", &"word ".repeat(10 * 1024 * 1024)),
            );
        },
        "content/models/huge.md",
        "limited to 8 MiB",
    );
}

#[test]
fn an_error_on_a_huge_line_quotes_only_part_of_it() {
    let line = format!("{}[x](@/models/missing.md)", "word ".repeat(400_000));
    let run = rejects(
        |p| {
            p.write("content/models/long-line.md", work("", &line));
        },
        "content/models/long-line.md:10",
        "does not exist",
    );
    assert!(
        run.stderr.len() < 4_000,
        "{} bytes of diagnostics for one error",
        run.stderr.len()
    );
    assert!(run.stderr.contains("…word word"), "{}", run.stderr);
}

#[test]
fn term_names_cannot_escape_the_output() {
    let p = built();
    p.write(
        "content/models/esc.md",
        work(
            "venue: \"../../../../pwned\"\ninstitutions: [\"/etc/passwd\", \"..\\\\..\\\\win\"]\n",
            "",
        ),
    );
    build_with(&p, &[]).assert_ok();
    let all = crate::common::files(p.dir.path());
    assert!(
        all.iter()
            .all(|f| f.starts_with("proj/") || f.starts_with("public/")),
        "{all:?}"
    );
    assert!(p.out().join("taxonomies/venue/pwned.html").is_file());
    assert!(p
        .out()
        .join("taxonomies/institution/etc-passwd.html")
        .is_file());
}

#[cfg(unix)]
#[test]
fn symlink_out_of_content_is_not_followed() {
    let run = rejects(
        |p| {
            std::os::unix::fs::symlink("/etc/passwd", p.root().join("content/models/passwd.md"))
                .unwrap()
        },
        "content/models/passwd.md",
        "symbolic links are not followed",
    );
    assert!(!run.stderr.contains("root:"), "the link target was read");
}

#[cfg(unix)]
#[test]
fn symlinked_folder_is_not_followed() {
    rejects(
        |p| std::os::unix::fs::symlink("/etc", p.root().join("content/etc")).unwrap(),
        "content/etc",
        "symbolic links are not followed",
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop() {
    rejects(
        |p| {
            std::os::unix::fs::symlink("b.md", p.root().join("content/models/a.md")).unwrap();
            std::os::unix::fs::symlink("a.md", p.root().join("content/models/b.md")).unwrap();
            std::os::unix::fs::symlink(".", p.root().join("content/models/again")).unwrap();
        },
        "content/models/a.md",
        "symbolic links are not followed",
    );
}

#[test]
fn template_that_loops_for_ever_is_stopped() {
    let run = rejects_with(
        |p| {
            let endless = "{% for a in range(end=1000000) %}{% for b in range(end=1000000) %}{% for c in range(end=1000000) %}.{% endfor %}{% endfor %}{% endfor %}";
            p.write("templates/404.html", endless);
        },
        &[("MEDFM_TEMPLATE_TIMEOUT", "2")],
        "templates/404.html",
        "took longer than 2 s",
    );
    assert!(run.stderr.contains("404.html"));
}

/// Every input the fuzzer found crashing, replayed as a content page through the real build:
/// it must build or fail cleanly, never panic.
#[test]
fn fuzz_regressions() {
    let dir = crate::common::repo_root().join("tests/fuzz-regressions");
    let mut cases: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(
        !cases.is_empty(),
        "no regression inputs in {}",
        dir.display()
    );
    for case in cases {
        let bytes = fs::read(&case).unwrap();
        for target in ["content/models/fuzz.md", "content/fuzz.md"] {
            let p = TestProject::fixture("minimal");
            p.write(target, &bytes);
            let run = build_with(&p, &[]);
            assert!(
                run.code == 0 || run.code == 1,
                "{}: exit {}:\n{}",
                case.display(),
                run.code,
                run.stderr
            );
            assert!(
                !run.stderr.contains("panicked"),
                "{}: panic:\n{}",
                case.display(),
                run.stderr
            );
        }
    }
}

/// The page checker (what the `page` fuzz target drives) derives a site from the one page it
/// is given; a draft is left out of that site, and checking it must not look for it there.
#[test]
fn the_page_checker_takes_a_draft_without_rendering_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let checker = medfm::PageChecker::new(&fs::read_to_string(root.join("site.yaml")).unwrap())
        .expect("the real site.yaml parses");
    let text = fs::read_to_string(root.join("content/models/medsam.md")).unwrap();
    let draft = text.replacen("---\n", "---\ndraft: true\n", 1);
    let checked = checker.check("models", "medsam", &draft);
    assert!(checked.bodies.is_empty(), "a draft has no body to render");
    let published = checker.check("models", "medsam", &text);
    assert_eq!(published.bodies.len(), 2, "one body per language");
}
