//! Bad input never crashes, hangs or tricks the build: every case below must fail with a clear
//! error naming the file (and the line where there is one), exit with status 1, print no panic,
//! finish within a time bound and leave the previously built site byte for byte as it was (and no
//! staging folder behind). BOM and CRLF files must simply work. Crashing inputs found by the
//! fuzzer (`fuzz/`) are replayed from `tests/fuzz-regressions/`.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{medfm, Run, TestProject};

/// How long any bad-input build may take (generous for a loaded CI machine).
const BOUND: Duration = Duration::from_secs(60);

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

/// Builds with a wall-clock bound; a build still running after it is killed and fails the test.
fn build_bounded(p: &TestProject, envs: &[(&str, &str)]) -> Run {
    let mut child = medfm()
        .args(["build", "--quiet", "--out"])
        .arg(p.out())
        .arg("--root")
        .arg(p.root())
        .envs(envs.iter().copied())
        .current_dir(p.dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drain both pipes on their own threads, or a chatty child would block on a full pipe.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            pipe.read_to_end(&mut text).unwrap();
            String::from_utf8_lossy(&text).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > BOUND {
            child.kill().unwrap();
            panic!("build still running after {BOUND:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
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
    let run = build_bounded(&p, envs);
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
fn empty_file() {
    rejects(
        |p| {
            p.write("content/models/empty.md", "");
        },
        "content/models/empty.md:1:1",
        "empty file",
    );
}

#[test]
fn whitespace_only_file() {
    rejects(
        |p| {
            p.write("content/models/blank.md", " \n\t\n");
        },
        "content/models/blank.md:1:1",
        "empty file",
    );
}

#[test]
fn front_matter_not_closed() {
    rejects(
        |p| {
            p.write("content/models/open.md", "---\ntitle: x\nkind: model\n");
        },
        "content/models/open.md:1",
        "not closed",
    );
}

#[test]
fn yaml_indented_with_tabs() {
    let run = rejects(
        |p| {
            p.write(
                "content/models/tabs.md",
                "---\ntitle: x\n\tkind: model\n---\n",
            );
        },
        "content/models/tabs.md:3",
        "",
    );
    assert!(run.stderr.contains("tabs"), "{}", run.stderr);
}

#[test]
fn duplicate_keys() {
    rejects(
        |p| {
            p.write("content/models/dup.md", work("title: Again\n", ""));
        },
        "content/models/dup.md:",
        "duplicate",
    );
}

#[test]
fn billion_laughs_alias_bomb() {
    let mut bomb = String::from("date: [&a [lol, lol, lol, lol, lol, lol, lol, lol, lol]");
    for (prev, name) in ('a'..='h').zip('b'..='i') {
        bomb.push_str(&format!(", &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]"));
    }
    bomb.push_str("]\n");
    let page = format!("---\ntitle: Bomb\nkind: model\nstrand: reference\ntheme: foundations\nsummary: x\n{bomb}---\n");
    let start = Instant::now();
    rejects(
        |p| {
            p.write("content/models/bomb.md", page);
        },
        "content/models/bomb.md:",
        "error",
    );
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "the alias bomb took {:?}",
        start.elapsed()
    );
}

#[test]
fn aliases_in_a_string_list_bomb() {
    let mut yaml = String::from("x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        yaml.push_str(&format!(
            "x{i}: &x{i} [*x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}]\n",
            p = i - 1
        ));
    }
    let page = format!("---\n{yaml}title: Bomb\n---\n");
    rejects(
        |p| {
            p.write("content/models/bomb2.md", page);
        },
        "content/models/bomb2.md:",
        "error",
    );
}

#[test]
fn deeply_nested_values() {
    // Found by this suite: the YAML scanner is quadratic in the depth (100,000 brackets took
    // minutes); front matter nested deeper than 64 levels is now refused before parsing.
    let depth = 100_000;
    let nested = format!("aliases: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    rejects(
        |p| {
            p.write("content/models/deep.md", work(&nested, ""));
        },
        "content/models/deep.md:8:74",
        "nested more than 64 levels",
    );
}

#[test]
fn deeply_nested_markdown_is_fine() {
    let p = built();
    let body = format!("{}deep\n\n{}x\n", "> ".repeat(5_000), "- ".repeat(5_000));
    p.write("content/models/quotes.md", work("", &body));
    build_bounded(&p, &[]).assert_ok();
}

#[test]
fn wrong_types() {
    rejects(
        |p| {
            p.write("content/models/types.md", work("modalities: 3\n", ""));
        },
        "content/models/types.md:8",
        "invalid type",
    );
}

#[test]
fn wrong_type_for_a_nested_field() {
    rejects(
        |p| {
            p.write("content/models/types.md", work("links: {label: x}\n", ""));
        },
        "content/models/types.md:8",
        "invalid type",
    );
}

#[test]
fn invalid_utf8() {
    let mut bytes = b"---\ntitle: ok\nsummary: caf".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b"\n---\n");
    rejects(
        |p| {
            p.write("content/models/latin1.md", &bytes);
        },
        "content/models/latin1.md",
        "invalid UTF-8 at line 3",
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
    build_bounded(&p, &[]).assert_ok();
    let html = p.read("models/windows.html");
    assert!(html.contains("<h1>Probe</h1>"), "title lost");
    assert!(html.contains("id=\"标题\""), "CRLF heading lost");
    assert!(!html.contains('\u{feff}'));
}

#[test]
fn fifty_megabyte_page_is_refused_quickly() {
    let start = Instant::now();
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
    assert!(start.elapsed() < Duration::from_secs(30));
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
fn internal_link_escaping_content_is_an_error() {
    rejects(
        |p| {
            p.write(
                "content/models/esc.md",
                work("", "[x](@/../../../../etc/passwd.md)\n"),
            );
        },
        "content/models/esc.md:10",
        "does not exist",
    );
}

#[test]
fn lineage_target_escaping_content_is_an_error() {
    rejects(
        |p| {
            p.write(
                "content/models/esc.md",
                work("builds_on: [\"../../sam\"]\n", ""),
            );
        },
        "content/models/esc.md:8",
        "has no page",
    );
}

#[test]
fn slug_field_is_not_accepted() {
    rejects(
        |p| {
            p.write("content/models/esc.md", work("slug: ../../../pwned\n", ""));
        },
        "content/models/esc.md:8",
        "unknown field `slug`",
    );
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
    build_bounded(&p, &[]).assert_ok();
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
fn two_pages_with_the_same_slug() {
    rejects(
        |p| {
            p.write(
                "content/models/more/sam.md",
                p.read_source("content/models/sam.md"),
            );
        },
        "content/models/",
        "duplicate slug `sam`",
    );
}

#[test]
fn template_that_loops_for_ever_is_stopped() {
    let start = Instant::now();
    let run = rejects_with(
        |p| {
            let endless = "{% for a in range(end=1000000) %}{% for b in range(end=1000000) %}{% for c in range(end=1000000) %}.{% endfor %}{% endfor %}{% endfor %}";
            p.write("templates/404.html", endless);
        },
        &[("MEDFM_TEMPLATE_TIMEOUT", "2")],
        "templates/404.html",
        "took longer than 2 s",
    );
    assert!(
        start.elapsed() < Duration::from_secs(40),
        "{:?}",
        start.elapsed()
    );
    assert!(run.stderr.contains("404.html"));
}

#[test]
fn recursive_macro_is_refused_when_loading() {
    rejects(
        |p| {
            let macros = p.read_source("templates/macros.html");
            p.write("templates/macros.html", format!("{macros}\n{{% macro boom(n) %}}\n{{{{ self::boom(n=n+1) }}}}\n{{% endmacro boom %}}\n"));
        },
        "templates/macros.html:",
        "macro `boom` of `macros.html` calls itself",
    );
}

#[test]
fn include_cycle_is_refused_when_loading() {
    rejects(
        |p| {
            p.write("templates/a.html", "{% include \"b.html\" %}");
            p.write("templates/b.html", "{% include \"a.html\" %}");
        },
        "templates/b.html:1",
        "template `a.html` calls itself: template `a.html` → template `b.html` → template `a.html`",
    );
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
            let run = build_bounded(&p, &[]);
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
