//! The contributor workflow: `medfm check` (several mistakes in one run, GitHub annotations;
//! each mistake alone is pinned to its exact message in `mistakes.rs`), `medfm new`,
//! `medfm schema` and `medfm serve` (over HTTP on loopback: pages, live edits, build errors,
//! traversal attempts). Fixtures: tests/fixtures/contributor (a valid site) and
//! tests/fixtures/mistakes (one broken page each).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{files, repo_root, Run, TestProject};

fn project() -> TestProject {
    TestProject::fixture("contributor")
}

/// The broken entry page of mistake `name` (tests/fixtures/mistakes).
fn mistake_page(name: &str) -> String {
    let rel = format!("tests/fixtures/mistakes/{name}/content/models/{name}.md");
    std::fs::read_to_string(repo_root().join(rel)).unwrap()
}

/// The `file:line:col: severity: message` lines of a human-format run.
fn headlines(run: &Run) -> Vec<String> {
    run.stderr
        .lines()
        .filter(|l| l.starts_with("content/"))
        .map(str::to_string)
        .collect()
}

mod check {
    use super::*;

    #[test]
    fn valid_site_passes_and_nothing_is_written() {
        let p = project();
        let before = files(&p.root());
        let run = p.run(&["check"]);
        run.assert_ok();
        assert_eq!(
            run.stderr.trim(),
            "check passed: 0 errors, 0 warnings (4 content pages → 64 HTML pages, 18 other files)"
        );
        assert_eq!(files(&p.root()), before, "check wrote files");
        assert!(!p.out().exists() && !p.dir.path().join("public").exists());
    }

    #[test]
    fn the_real_site_passes() {
        let run = crate::common::medfm()
            .arg("check")
            .arg("--root")
            .arg(repo_root())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(run.status.success(), "{stderr}");
        assert!(stderr.contains("check passed: 0 errors"), "{stderr}");
    }

    /// The fixture with an image and a PDF in static/ and a page linking them (`image-present`),
    /// whose translation is `en`.
    fn project_with_site_files(en: &str) -> TestProject {
        let p = project();
        p.write("static/images/figure.png", b"\x89PNG");
        p.write("static/files/paper v1.pdf", b"%PDF");
        p.write(
            "content/models/image-present.md",
            p.read_source("pages/image-present.md"),
        );
        p.write("content/models/image-present.en.md", en);
        p
    }

    #[test]
    fn present_site_files_pass_and_build_to_relative_urls() {
        let p = project_with_site_files("---\nsummary: x\n---\n");
        p.run(&["check"]).assert_ok();
        p.build().assert_ok();
        let html = p.read("models/image-present.html");
        assert!(html.contains("src=\"../images/figure.png\""), "{html}");
        assert!(
            html.contains("href=\"../files/paper%20v1.pdf#page=2\""),
            "{html}"
        );
    }

    /// The print view rewrites the links of every body: in-page anchors are scoped to their
    /// article, site files are reached from the print view's folder.
    #[test]
    fn every_link_of_the_print_view_resolves() {
        let p = project_with_site_files(
            "---\nsummary: x\n---\n\n## Overview\n\n![figure](/images/figure.png)\n",
        );
        p.build().assert_ok();
        let (checked, broken) = crate::common::check_links(&p.out());
        assert!(checked > 50, "only {checked} links");
        assert!(broken.is_empty(), "broken links: {broken:#?}");
        let print = p.read("print.html");
        // MedSAM's body links its own heading `#核心思路`.
        assert!(
            print.contains("href=\"#p-models-medsam--%E6%A0%B8%E5%BF%83%E6%80%9D%E8%B7%AF\""),
            "{print}"
        );
        assert!(print.contains("src=\"images/figure.png\""), "{print}");
        assert!(p
            .read("en/print.html")
            .contains("src=\"../images/figure.png\""));
    }

    #[test]
    fn every_mistake_is_reported_in_one_run() {
        let p = project();
        let names = [
            "unknown-term",
            "builds-on-typo",
            "broken-link",
            "missing-image",
            "future-date",
            "placeholder",
        ];
        for name in names {
            p.write(&format!("content/models/{name}.md"), mistake_page(name));
        }
        let run = p.run(&["check"]);
        let lines = headlines(&run);
        for name in names {
            assert!(
                lines
                    .iter()
                    .any(|l| l.starts_with(&format!("content/models/{name}.md:"))),
                "{name}: {lines:#?}"
            );
        }
        assert!(
            run.stderr
                .contains("error: check failed: 5 errors, 7 warnings (10 content pages)"),
            "{}",
            run.stderr
        );
    }

    #[test]
    fn github_annotations() {
        let p = project();
        for name in ["unknown-term", "placeholder"] {
            p.write(&format!("content/models/{name}.md"), mistake_page(name));
            p.write(
                &format!("content/models/{name}.en.md"),
                "---\nsummary: x\n---\n\n## Overview\n\nText.\n",
            );
        }
        let run = p.run(&["check", "--format", "github"]);
        assert_eq!(run.code, 1);
        let lines: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(lines.len(), 2, "{}", run.stdout);
        assert_eq!(
            lines[0],
            "::warning file=content/models/placeholder.md,line=6,col=11::unfinished: `headline` still holds a `TODO` placeholder (replace it with the real value, and delete the `# TODO` comment if there is one)"
        );
        assert!(
            lines[1].starts_with("::error file=content/models/unknown-term.md,line=8,col=5::unknown modality \"CT scan\" (did you mean \"ct\"?) (allowed: xray, ct, "),
            "{}",
            lines[1]
        );
        assert!(
            run.stderr.contains("check failed: 1 error, 1 warning"),
            "{}",
            run.stderr
        );
    }

    /// GitHub shows ten annotations of a kind per step; the job summary lists every finding.
    #[test]
    fn github_job_summary_lists_every_finding() {
        let p = project();
        let page = mistake_page("unknown-term");
        for i in 0..12 {
            p.write(&format!("content/models/term-{i:02}.md"), &page);
            p.write(
                &format!("content/models/term-{i:02}.en.md"),
                "---\nsummary: x\n---\n\n## Overview\n\nText.\n",
            );
        }
        let summary = p.root().join("summary.md");
        std::fs::write(&summary, "earlier step\n").unwrap();
        let run = p.run_with_env(
            &["check", "--format", "github"],
            &[("GITHUB_STEP_SUMMARY", summary.as_path())],
        );
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(run.stdout.lines().count(), 12, "{}", run.stdout);
        let text = std::fs::read_to_string(&summary).unwrap();
        let rows: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("| error |"))
            .collect();
        assert_eq!(rows.len(), 12, "{text}");
        assert_eq!(
            rows[0],
            "| error | `content/models/term-00.md:8:5` | unknown modality \"CT scan\" (did you mean \"ct\"?) — help: allowed: xray, ct, mri, ultrasound, natural-image |"
        );
        assert!(
            text.starts_with("earlier step\n### medfm check failed: 12 errors, 0 warnings ("),
            "{text}"
        );
        assert!(
            text.contains(
                "the first 10 errors and 10 warnings only; all 12 findings are listed here."
            ),
            "{text}"
        );
        // Without the variable (outside GitHub) nothing is written anywhere.
        let quiet = p.run(&["check", "--format", "github"]);
        assert_eq!(quiet.stdout, run.stdout);
    }
}

mod new {
    use super::*;

    fn kinds() -> Vec<String> {
        let text = std::fs::read_to_string(repo_root().join("tests/fixtures/site.yaml")).unwrap();
        let config: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let kinds = config["vocabularies"]["kind"].as_mapping().unwrap();
        kinds
            .keys()
            .map(|k| k.as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn new_pages_of_every_kind_pass_check_with_placeholders_flagged() {
        let p = project();
        for kind in kinds() {
            let slug = format!("new-{kind}");
            let run = p.run(&["new", &kind, &slug]);
            run.assert_ok();
            assert!(
                run.stdout.contains(&format!(
                    "created content/models/{slug}.md\ncreated content/models/{slug}.en.md\n"
                )),
                "{}",
                run.stdout
            );
        }
        let run = p.run(&["check"]);
        run.assert_ok();
        let lines = headlines(&run);
        assert!(!lines.is_empty());
        assert!(
            lines.iter().all(|l| l.contains("warning: unfinished: `")),
            "{lines:#?}"
        );
    }

    /// Each collection's kind field and its kinds, with the fields a page of each kind must
    /// fill (required, or required for that kind), read from the project's site.yaml.
    fn required_by_kind(p: &TestProject) -> Vec<(String, Vec<String>)> {
        let text = std::fs::read_to_string(p.root().join("site.yaml")).unwrap();
        let config: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let mut out = Vec::new();
        for c in config["collections"].as_mapping().unwrap().values() {
            let Some(kind_field) = c["kind"].as_str() else {
                continue;
            };
            let fields = c["fields"].as_mapping().unwrap();
            let vocabulary = fields[kind_field]["vocabulary"].as_str().unwrap();
            for kind in config["vocabularies"][vocabulary]
                .as_mapping()
                .unwrap()
                .keys()
            {
                let kind = kind.as_str().unwrap().to_string();
                let mut required: Vec<String> = (fields.iter())
                    .filter(|(_, f)| f["required"].as_bool() == Some(true))
                    .map(|(n, _)| n.as_str().unwrap().to_string())
                    .filter(|n| n != kind_field)
                    .collect();
                if let Some(more) = c["required_for"][kind.as_str()].as_sequence() {
                    required.extend(more.iter().map(|f| f.as_str().unwrap().to_string()));
                }
                out.push((kind, required));
            }
        }
        out
    }

    /// `new` for every kind of every collection of `p`: then `check` passes with a warning
    /// naming each field a page must fill and on each line holding `TODO` (and nothing else),
    /// and `build` succeeds.
    fn every_kind_scaffolds_a_page_that_builds(p: &TestProject) {
        let kinds = required_by_kind(p);
        assert!(!kinds.is_empty());
        let mut created = Vec::new();
        for (kind, _) in &kinds {
            let run = p.run(&["new", kind, &format!("zz-new-{kind}")]);
            run.assert_ok();
            created.extend(
                run.stdout
                    .lines()
                    .filter_map(|l| l.strip_prefix("created "))
                    .map(str::to_string),
            );
        }
        let check = p.run(&["check"]);
        check.assert_ok();
        let lines = headlines(&check);
        assert!(
            lines.iter().all(|l| l.contains(": warning: unfinished: `")),
            "{lines:#?}"
        );
        for file in &created {
            let text = p.read_source(file);
            for (i, _) in text.lines().enumerate().filter(|(_, l)| l.contains("TODO")) {
                let at = format!("{file}:{}:", i + 1);
                assert!(
                    lines.iter().any(|l| l.starts_with(&at)),
                    "no warning at {at}\n{lines:#?}"
                );
            }
        }
        for (kind, required) in &kinds {
            let page = created
                .iter()
                .find(|f| f.ends_with(&format!("/zz-new-{kind}.md")))
                .unwrap();
            for field in required {
                let named = format!("{page}:");
                let about = format!("`{field}` still holds a `TODO` placeholder");
                assert!(
                    lines
                        .iter()
                        .any(|l| l.starts_with(&named) && l.contains(&about)),
                    "{kind}: no placeholder warning for `{field}`\n{lines:#?}"
                );
            }
        }
        p.build().assert_ok();
    }

    #[test]
    fn every_site_scaffolds_pages_that_build_and_warn() {
        every_kind_scaffolds_a_page_that_builds(&project());
        every_kind_scaffolds_a_page_that_builds(&TestProject::site_fixture("legal-ai"));
        every_kind_scaffolds_a_page_that_builds(&TestProject::real_copy());
        let guide = TestProject {
            dir: tempfile::tempdir().unwrap(),
        };
        crate::common::copy_dir(&repo_root().join("docs/guide"), &guide.root());
        every_kind_scaffolds_a_page_that_builds(&guide);
        let started = TestProject {
            dir: tempfile::tempdir().unwrap(),
        };
        crate::common::medfm()
            .arg("init")
            .arg(started.root())
            .output()
            .unwrap();
        every_kind_scaffolds_a_page_that_builds(&started);
    }

    #[test]
    fn a_filled_in_page_passes_cleanly_and_builds() {
        let p = project();
        p.run(&[
            "new",
            "model",
            "my-model",
            "--strand",
            "modality-specific",
            "--theme",
            "ct",
        ])
        .assert_ok();
        let zh = p.read_source("content/models/my-model.md");
        assert!(
            zh.contains("\nstrand: modality-specific\n") && zh.contains("\ntheme: ct\n"),
            "{zh}"
        );
        let zh = zh
            .replace("title: TODO", "title: My Model")
            .replace("summary: TODO", "summary: 一个新模型。")
            .replace(
                "TODO: 用两三句话说明这项工作。",
                "它基于 [MedSAM](@/models/medsam.md)。",
            );
        p.write("content/models/my-model.md", zh);
        let en = p
            .read_source("content/models/my-model.en.md")
            .replace("summary: TODO", "summary: A new model.")
            .replace("TODO: two or three sentences.", "Built on MedSAM.");
        p.write("content/models/my-model.en.md", en);
        let run = p.run(&["check"]);
        run.assert_ok();
        assert_eq!(
            run.stderr.trim(),
            "check passed: 0 errors, 0 warnings \
             (5 content pages → 66 HTML pages, 18 other files)"
        );
        p.build().assert_ok();
        assert!(p.read("models/my-model.html").contains("My Model"));
        assert!(p.read("en/models/my-model.html").contains("A new model."));
    }

    #[test]
    fn refuses_taken_slugs_and_never_overwrites() {
        let p = project();
        let before = p.read_source("content/models/medsam.md");
        p.run(&["new", "model", "medsam"])
            .assert_error("slug `medsam` is taken");
        assert_eq!(p.read_source("content/models/medsam.md"), before);
        p.write("content/models/orphan.en.md", "---\nsummary: x\n---\n");
        p.run(&["new", "model", "orphan"])
            .assert_error("slug `orphan` is taken");
        assert_eq!(
            p.read_source("content/models/orphan.en.md"),
            "---\nsummary: x\n---\n"
        );
    }

    #[test]
    fn refuses_invalid_slugs_and_unknown_terms() {
        let p = project();
        p.run(&["new", "model", "Med_SAM"])
            .assert_error("invalid slug `Med_SAM`");
        p.run(&["new", "model", "../escape"])
            .assert_error("invalid slug");
        p.run(&["new", "modle", "x"])
            .assert_error("unknown kind \"modle\" (did you mean \"model\"?)");
        p.run(&["new", "model", "x", "--theme", "nope"])
            .assert_error("unknown theme \"nope\"");
        assert!(!p.root().join("content/models/x.md").exists());
    }
}

mod schema {
    use super::*;

    /// A mistake in site.yaml stops `schema` and `new` with the diagnostics and what each did
    /// not do — not with the build's "nothing was written".
    #[test]
    fn a_bad_site_file_is_reported_by_each_command_in_its_own_words() {
        let p = TestProject::fixture("minimal");
        let yaml = std::fs::read_to_string(p.root().join("site.yaml")).unwrap();
        p.write(
            "site.yaml",
            yaml.replace("vocabulary: modality", "vocabulary: modalty"),
        );
        for (args, ending) in [
            (
                &["schema"][..],
                "error: no reference was printed: fix the errors above first",
            ),
            (&["new", "model", "x"][..], "error: no page was created"),
            (&["build"][..], "error: build failed; nothing was written"),
        ] {
            let run = p.run(args);
            run.assert_error("unknown vocabulary `modalty`");
            assert!(run.stderr.contains(ending), "{args:?}: {}", run.stderr);
            let build = args == ["build"];
            assert!(
                build || !run.stderr.contains("nothing was written"),
                "{args:?}"
            );
        }
    }

    #[test]
    fn committed_reference_is_current() {
        let run = crate::common::medfm()
            .arg("schema")
            .arg("--root")
            .arg(repo_root())
            .output()
            .unwrap();
        assert!(run.status.success());
        let generated = String::from_utf8(run.stdout).unwrap();
        let committed =
            std::fs::read_to_string(repo_root().join("docs/front-matter.md")).unwrap_or_default();
        assert!(
            generated == committed,
            "docs/front-matter.md is stale: run `cargo run -- schema > docs/front-matter.md`"
        );
        for field in [
            "`builds_on`",
            "`open_weights`",
            "`data_scale`",
            "### Vocabulary: modality",
            "| `ct` | CT | CT |",
        ] {
            assert!(generated.contains(field), "{field}");
        }
    }

    /// `docs/templates.md` is what `medfm schema --templates` prints for the real site: the
    /// page contexts' documentation (checked against the structs by a unit test of
    /// `render::context`) and the entry fields of site.yaml, never edited by hand.
    #[test]
    fn committed_template_reference_is_current() {
        let run = crate::common::medfm()
            .args(["schema", "--templates", "--root"])
            .arg(repo_root())
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let generated = String::from_utf8(run.stdout).unwrap();
        let committed =
            std::fs::read_to_string(repo_root().join("docs/templates.md")).unwrap_or_default();
        assert!(
            generated == committed,
            "docs/templates.md is stale: run `cargo run -- schema --templates > docs/templates.md`"
        );
        for needle in [
            "## Every page",
            "## Entry pages",
            "## One entry in the print view (`print-work.html`)",
            "| `features` |",
            "## Entries of `models` (template `work.html`)",
            "`builds_on`",
            "## UI strings the generator reads",
        ] {
            assert!(generated.contains(needle), "{needle}");
        }
    }

    #[test]
    fn contributing_guide_links_resolve_and_name_the_commands() {
        let guide = std::fs::read_to_string(repo_root().join("CONTRIBUTING.md")).unwrap();
        for needle in [
            "docs/front-matter.md",
            "medfm new model",
            "medfm serve",
            "medfm check",
            "pull request",
        ] {
            assert!(guide.contains(needle), "CONTRIBUTING.md lacks {needle:?}");
        }
        for target in guide
            .split("](")
            .skip(1)
            .filter_map(|s| s.split(')').next())
        {
            if target.starts_with("http") || target.starts_with(['#', '@', '/']) {
                continue;
            }
            let path = target.split('#').next().unwrap();
            assert!(
                repo_root().join(path).exists(),
                "CONTRIBUTING.md links to missing {path}"
            );
        }
    }
}

mod serve {
    use super::*;

    /// A running `medfm serve`, killed when dropped.
    struct Server {
        child: Child,
        port: u16,
        site: PathBuf,
        log: PathBuf,
    }

    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.child.kill();
            let _ = self.child.wait();
            if std::thread::panicking() {
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                eprintln!("medfm serve log:\n{log}");
            }
        }
    }

    impl Server {
        fn start(p: &TestProject) -> Server {
            Server::start_with(p, &[])
        }

        /// Starts `medfm serve` with `extra` options.
        fn start_with(p: &TestProject, extra: &[&str]) -> Server {
            let log = p.dir.path().join("serve.log");
            let tmp = p.dir.path().join("tmp");
            std::fs::create_dir_all(&tmp).unwrap();
            let mut child = Command::new(env!("CARGO_BIN_EXE_medfm"))
                .args(["serve", "--verbose", "--port", "0", "--root"])
                .arg(p.root())
                .args(extra)
                .env("TMPDIR", &tmp)
                .stdout(Stdio::piped())
                .stderr(std::fs::File::create(&log).unwrap())
                .spawn()
                .unwrap();
            let mut line = String::new();
            BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut line)
                .unwrap();
            let addr = line
                .trim()
                .strip_prefix("serving at http://")
                .and_then(|s| s.strip_suffix("/ (Ctrl-C to stop)"));
            let addr = addr.unwrap_or_else(|| panic!("unexpected first line {line:?}"));
            let (host, port) = addr.rsplit_once(':').unwrap();
            assert_eq!(host, "127.0.0.1", "serves on loopback by default");
            let port: u16 = port.parse().unwrap();
            Server {
                child,
                port,
                site: tmp.join(format!("medfm-serve-{port}")),
                log,
            }
        }

        /// Sends `request_line` verbatim; returns (status, body).
        fn raw(&self, method: &str, target: &str) -> (u16, String) {
            let (status, _, body) = self.exchange(method, target);
            (status, body)
        }

        /// Sends `method target` verbatim; returns (status, head, body).
        fn exchange(&self, method: &str, target: &str) -> (u16, String, String) {
            let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            write!(
                stream,
                "{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            )
            .unwrap();
            let mut response = Vec::new();
            let _ = stream.read_to_end(&mut response);
            let response = String::from_utf8_lossy(&response).into_owned();
            let status = response
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let (head, body) = response
                .split_once("\r\n\r\n")
                .map_or((response.as_str(), ""), |(h, b)| (h, b));
            (status, head.to_string(), body.to_string())
        }

        fn get(&self, target: &str) -> (u16, String) {
            self.raw("GET", target)
        }

        /// Polls `target` until its body satisfies `ready`; returns the body and the time it took.
        fn wait_for(&self, target: &str, ready: impl Fn(&str) -> bool) -> (String, Duration) {
            let start = Instant::now();
            loop {
                let (_, body) = self.get(target);
                if ready(&body) {
                    return (body, start.elapsed());
                }
                let log = std::fs::read_to_string(&self.log).unwrap_or_default();
                assert!(
                    start.elapsed() < Duration::from_secs(30),
                    "timed out on {target}; log:\n{log}\nlast body:\n{body}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }

    fn edit(p: &TestProject, rel: &str, from: &str, to: &str) {
        let text = p.read_source(rel);
        assert!(text.contains(from), "{rel} lacks {from:?}");
        // Keep the change visible to mtime-based watching even on coarse clocks.
        std::thread::sleep(Duration::from_millis(20));
        p.write(rel, text.replacen(from, to, 1));
    }

    #[test]
    fn serves_pages_with_live_reload_only_in_responses() {
        let p = project();
        let server = Server::start(&p);
        let (status, home) = server.get("/");
        assert_eq!(status, 200);
        assert!(
            home.contains("<html")
                && home.contains(
                    "<script src=\"/__medfm/reload.js\" data-version=\"1\"></script></body>"
                ),
            "{home}"
        );
        let (status, page) = server.get("/models/medsam.html");
        assert_eq!(status, 200);
        assert!(page.contains("MedSAM"));
        let on_disk: Vec<String> = ["a", "b"]
            .iter()
            .filter_map(|d| {
                std::fs::read_to_string(server.site.join(d).join("models/medsam.html")).ok()
            })
            .collect();
        assert!(
            !on_disk.is_empty(),
            "no built page in {}",
            server.site.display()
        );
        assert!(
            on_disk.iter().all(|html| !html.contains("__medfm")),
            "the reload script must not be written to disk"
        );
        assert_eq!(server.get("/style.css").0, 200);
        assert_eq!(server.get("/nope.html").0, 404);
        assert_eq!(server.get("/models").0, 301);
        assert_eq!(server.get("/models/").0, 200);
        assert_eq!(server.get("/__medfm/version"), (200, "1\n".to_string()));
        let (status, js) = server.get("/__medfm/reload.js");
        assert!(status == 200 && js.contains("location.reload()"), "{js}");
        assert_eq!(server.raw("POST", "/").0, 405);

        let (status, head, body) = server.exchange("HEAD", "/models/medsam.html");
        assert_eq!((status, body.as_str()), (200, ""), "HEAD has no body");
        let length = page.len().to_string();
        for header in [
            "Content-Type: text/html; charset=utf-8",
            &format!("Content-Length: {length}"),
            "Cache-Control: no-store",
            "X-Content-Type-Options: nosniff",
        ] {
            assert!(
                head.lines().any(|l| l.eq_ignore_ascii_case(header)),
                "{header} in\n{head}"
            );
        }
        let (_, head, _) = server.exchange("GET", "/style.css");
        assert!(
            head.lines()
                .any(|l| l.eq_ignore_ascii_case("Content-Type: text/css; charset=utf-8")),
            "{head}"
        );
        assert!(
            !p.root().join("public").exists(),
            "serve must not build into public/"
        );
    }

    #[test]
    fn a_page_new_writes_is_served_at_once() {
        // A required number and term of a kind (legal-ai: a model needs `parameters`, `tasks`).
        let p = TestProject::site_fixture("legal-ai");
        let server = Server::start_with(&p, &["--poll"]);
        server.wait_for("/__medfm/version", |v| v.trim() == "1");
        std::thread::sleep(Duration::from_millis(20));
        p.run(&["new", "model", "zz-new"]).assert_ok();
        server.wait_for("/systems/zz-new.html", |b| b.contains("<title>TODO"));
        let (status, page) = server.get("/systems/zz-new.html");
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("billion parameters"), "{page}");
    }

    #[test]
    fn edits_are_served_and_build_errors_shown_until_fixed() {
        let p = project();
        let server = Server::start(&p);
        server.wait_for("/models/medsam.html", |b| b.contains("用框提示分割"));
        edit(
            &p,
            "content/models/medsam.md",
            "用框提示分割",
            "用框提示分割（LIVE-EDIT）",
        );
        let (_, took) = server.wait_for("/models/medsam.html", |b| b.contains("LIVE-EDIT"));
        eprintln!("edit served after {} ms", took.as_millis());
        server.wait_for("/__medfm/version", |v| v.trim() == "2");

        edit(&p, "content/models/medsam.md", "kind: model", "kind: modle");
        let (page, _) = server.wait_for("/models/medsam.html", |b| b.contains("Build failed"));
        assert!(
            page.contains("content/models/medsam.md:3:7: error: unknown kind &quot;modle&quot;"),
            "{page}"
        );
        assert!(
            page.contains("/__medfm/reload.js"),
            "the error page reloads itself"
        );
        let log = std::fs::read_to_string(&server.log).unwrap();
        assert!(
            log.contains("content/models/medsam.md:3:7: error: unknown kind \"modle\""),
            "{log}"
        );

        edit(&p, "content/models/medsam.md", "kind: modle", "kind: model");
        let (page, _) = server.wait_for("/models/medsam.html", |b| !b.contains("Build failed"));
        assert!(page.contains("LIVE-EDIT"));
    }

    /// Waits for build number `n`, then checks that no build follows without a change (the
    /// builds' own reads of the sources must not count as changes).
    #[track_caller]
    fn assert_builds(server: &Server, n: u32) {
        server.wait_for("/__medfm/version", |v| v.trim() == n.to_string());
        std::thread::sleep(Duration::from_millis(700));
        assert_eq!(
            server.get("/__medfm/version").1.trim(),
            n.to_string(),
            "a build without a change; log:\n{}",
            std::fs::read_to_string(&server.log).unwrap_or_default()
        );
    }

    /// site.yaml saved the way many editors do (a new file renamed over it) and CITATION.cff
    /// created after the start each make one build; other files at the root make none.
    fn rebuilds_on_config_and_citation(extra: &[&str]) {
        let p = project();
        let server = Server::start_with(&p, extra);
        assert_builds(&server, 1);
        edit(
            &p,
            "content/models/medsam.md",
            "用框提示分割",
            "用框提示分割（EDIT）",
        );
        assert_builds(&server, 2);

        let config = p.read_source("site.yaml");
        p.write("site.yaml.swp", format!("{config}\n# saved by an editor\n"));
        std::fs::rename(p.root().join("site.yaml.swp"), p.root().join("site.yaml")).unwrap();
        assert_builds(&server, 3);

        assert!(!p.root().join("CITATION.cff").exists());
        let citation = std::fs::read_to_string(repo_root().join("CITATION.cff")).unwrap();
        p.write("CITATION.cff", citation);
        assert_builds(&server, 4);

        p.write("notes.txt", "not a source");
        p.write("public/index.html", "not a source");
        assert_builds(&server, 4);
    }

    /// The `built …` line of each build in a serve log, without its time.
    fn built_lines(log: &str) -> Vec<String> {
        (log.lines())
            .filter_map(|l| l.strip_prefix("built "))
            .map(|l| l.split(" in ").next().unwrap().to_string())
            .collect()
    }

    #[test]
    fn check_build_and_every_serve_build_count_the_same_pages() {
        let p = project();
        let said = "4 content pages → 64 HTML pages, 18 other files";
        let check = p.run(&["check"]);
        check.assert_ok();
        assert_eq!(
            check.stderr.trim(),
            format!("check passed: 0 errors, 0 warnings ({said})")
        );
        let build = p.run(&["build", "--out", "out"]);
        build.assert_ok();
        let line = build.stderr.lines().last().unwrap();
        assert!(line.starts_with(&format!("built {said} into ")), "{line}");
        let written = files(&p.dir.path().join("out"));
        let html = written.iter().filter(|f| f.ends_with(".html")).count();
        assert_eq!(
            (html, written.len() - html),
            (64, 18 + 1),
            "HTML pages, other files and the .medfm-site marker"
        );
        // A serve build reusing the previous one's unchanged pages counts the same: a body
        // edit, a front-matter edit, and a language with no change at all.
        let server = Server::start(&p);
        assert_builds(&server, 1);
        edit(
            &p,
            "content/models/medsam.md",
            "用框提示分割",
            "用框提示分割（EDIT）",
        );
        assert_builds(&server, 2);
        edit(
            &p,
            "content/models/medsam.en.md",
            "summary:",
            "summary: Edited.",
        );
        assert_builds(&server, 3);
        let log = std::fs::read_to_string(&server.log).unwrap();
        assert_eq!(built_lines(&log), [said; 3], "{log}");
    }

    #[test]
    fn ctrl_c_removes_the_build_folders() {
        let p = project();
        let mut server = Server::start(&p);
        assert_builds(&server, 1);
        assert!(server.site.join("a").is_dir() || server.site.join("b").is_dir());
        let sent = Command::new("kill")
            .args(["-INT", &server.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = server.child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "exits as interrupted");
        assert!(
            !server.site.exists(),
            "left behind: {:?}",
            crate::common::files(&server.site)
        );
        let log = std::fs::read_to_string(&server.log).unwrap();
        assert!(log.contains("stopping: removing"), "{log}");
    }

    #[test]
    fn change_events_rebuild_once_per_change() {
        rebuilds_on_config_and_citation(&[]);
    }

    #[test]
    fn polling_rebuilds_once_per_change() {
        rebuilds_on_config_and_citation(&["--poll"]);
    }

    #[test]
    fn a_folder_moved_into_place_is_watched() {
        let p = project();
        let (on, off) = (p.root().join("static"), p.root().join("static.off"));
        std::fs::rename(&on, &off).unwrap();
        let server = Server::start(&p);
        assert_builds(&server, 1);
        assert_eq!(server.get("/style.css").0, 404);
        std::fs::rename(&off, &on).unwrap();
        assert_builds(&server, 2);
        assert_eq!(server.get("/style.css").0, 200);
        p.write("static/extra.txt", "EXTRA");
        assert_builds(&server, 3);
        assert_eq!(server.get("/extra.txt"), (200, "EXTRA".to_string()));
    }

    /// Evaluates `js` in `tab` until it returns `true` (a page being reloaded may refuse scripts).
    fn wait_in_browser(tab: &crate::common::browser::Tab, js: &str) {
        let start = Instant::now();
        loop {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| tab.eval(js)));
            if matches!(result, Ok(serde_json::Value::Bool(true))) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "timed out waiting for {js}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    #[cfg_attr(
        medfm_no_chromium,
        ignore = "needs Chromium: not found when the tests were built (bash .ci/run installs it)"
    )]
    #[test]
    fn open_pages_reload_themselves_in_a_browser() {
        let Some(browser) = crate::common::browser::Browser::launch() else {
            return;
        };
        let p = project();
        let server = Server::start(&p);
        let tab = browser.tab();
        tab.open(&format!(
            "http://127.0.0.1:{}/models/medsam.html",
            server.port
        ));
        tab.eval("window.medfmMarker = 'not reloaded yet'; true");
        edit(
            &p,
            "content/models/medsam.md",
            "用框提示分割",
            "用框提示分割（BROWSER-EDIT）",
        );
        wait_in_browser(&tab, "document.body.innerText.includes('BROWSER-EDIT')");
        assert_eq!(
            tab.eval("typeof window.medfmMarker"),
            "undefined",
            "the page reloaded itself"
        );

        edit(&p, "content/models/medsam.md", "kind: model", "kind: modle");
        wait_in_browser(&tab, "document.title.startsWith('Build failed')");
        let shown = tab.eval("document.getElementById('medfm-build-error').textContent");
        assert!(
            shown
                .as_str()
                .unwrap()
                .contains("content/models/medsam.md:3:7: error: unknown kind \"modle\""),
            "{shown}"
        );

        edit(&p, "content/models/medsam.md", "kind: modle", "kind: model");
        wait_in_browser(&tab, "!document.title.startsWith('Build failed') && document.body.innerText.includes('BROWSER-EDIT')");
    }

    #[test]
    fn traversal_is_refused() {
        let p = project();
        let server = Server::start(&p);
        std::fs::write(server.site.join("secret.txt"), "TOPSECRET").unwrap();
        std::fs::write(
            server.site.parent().unwrap().join("secret.txt"),
            "TOPSECRET",
        )
        .unwrap();
        std::fs::write(p.root().join("secret.txt"), "TOPSECRET").unwrap();
        for target in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/..%2fsecret.txt",
            "/%2e%2e%2fsecret.txt",
            "/..%5csecret.txt",
            "/models/..%2f..%2fsecret.txt",
            "/models/%2e%2e/%2e%2e/secret.txt",
            "//../secret.txt",
            "/./../secret.txt",
            "/..\\secret.txt",
            "/%252e%252e/secret.txt",
        ] {
            let (status, body) = server.get(target);
            assert!(
                status == 403 || status == 404 || status == 400,
                "{target}: status {status}"
            );
            assert!(
                !body.contains("TOPSECRET"),
                "{target} leaked a file outside the site"
            );
        }
        assert_eq!(server.get("/%2e%2e/secret.txt").0, 403);
        assert!(server
            .get("/models/%2e%2e/index.html")
            .1
            .contains("refused"));
        assert_eq!(server.get("/index.html").0, 200, "still serving");
    }

    #[test]
    fn refuses_a_port_in_use() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port().to_string();
        let p = project();
        p.run(&["serve", "--port", &port])
            .assert_error("cannot listen on 127.0.0.1:");
    }
}

mod init {

    #[test]
    fn outside_a_project_every_command_says_how_to_start_one() {
        let dir = tempfile::tempdir().unwrap();
        for command in ["check", "build", "new", "schema"] {
            let args: &[&str] = match command {
                "new" => &["new", "model", "x"],
                _ => &[command],
            };
            let output = crate::common::medfm()
                .args(args)
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(1), "{command}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.starts_with(
                    "error: no site.yaml in `.`: this folder is not a medfm project\n  \
                     = help: run `medfm init` to start a new site here, or `medfm --root \
                     <folder> …` to work on the site whose site.yaml is in <folder>\n"
                ),
                "{command}: {stderr}"
            );
        }
    }

    #[test]
    fn a_new_site_passes_check_builds_and_takes_new_entries() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("my-site");
        let run = |args: &[&str]| {
            let output = crate::common::medfm()
                .args(args)
                .current_dir(dir.path())
                .output()
                .unwrap();
            (
                output.status.code(),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            )
        };
        let init = crate::common::medfm()
            .args(["init", "my-site"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            init.status.success(),
            "{}",
            String::from_utf8_lossy(&init.stderr)
        );
        let root = site.to_str().unwrap();
        let (code, stderr) = run(&["--root", root, "check"]);
        assert_eq!(code, Some(0), "{stderr}");
        assert_eq!(
            stderr.trim(),
            "check passed: 0 errors, 0 warnings \
             (1 content page → 13 HTML pages, 12 other files)"
        );
        let out = dir.path().join("out");
        let (code, stderr) = run(&[
            "--root",
            root,
            "build",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, Some(0), "{stderr}");
        let (checked, broken) = crate::common::check_links(&out);
        assert!(
            checked > 20 && broken.is_empty(),
            "{checked} links, broken: {broken:#?}"
        );
        for page in [
            "index.html",
            "entries/index.html",
            "table.html",
            "search.html",
            "data.html",
            "atom.xml",
            "entries.json",
            "medfm.css",
            "search.js",
            "table.js",
        ] {
            assert!(out.join(page).is_file(), "{page} missing");
        }
        let (code, stderr) = run(&["--root", root, "new", "tool", "first-tool", "--kind", "x"]);
        assert_eq!(code, Some(1), "an unknown term is refused: {stderr}");
        let (code, _) = run(&["--root", root, "new", "tool", "first-tool"]);
        assert_eq!(code, Some(0));
        let (code, stderr) = run(&["--root", root, "check"]);
        assert_eq!(code, Some(0), "{stderr}");
        assert!(
            stderr.contains(
                "check passed: 0 errors, 3 warnings \
                 (2 content pages → 14 HTML pages, 12 other files)"
            ),
            "{stderr}"
        );
        let (code, stderr) = run(&["init", "my-site"]);
        assert_eq!(code, Some(1));
        assert!(stderr.contains("refusing to overwrite"), "{stderr}");
    }
}

/// Pages that say `draft: true`: left out of every output of a build, included with `--drafts`.
mod drafts {
    use super::*;

    /// The contributor fixture with a finished draft entry, `medsam2`.
    fn with_draft() -> TestProject {
        let p = project();
        let draft = std::fs::read_to_string(
            repo_root()
                .join("tests/fixtures/mistakes/citation-of-a-draft/content/models/medsam2.md"),
        )
        .unwrap();
        p.write("content/models/medsam2.md", draft);
        p
    }

    /// Every file of the built site that mentions the draft: its title or its path.
    fn mentions(p: &TestProject) -> Vec<String> {
        let out = p.out();
        files(&out)
            .into_iter()
            .filter(|rel| {
                let text = std::fs::read(out.join(rel)).unwrap();
                let text = String::from_utf8_lossy(&text);
                text.contains("MedSAM2") || text.contains("models/medsam2")
            })
            .collect()
    }

    #[test]
    fn a_draft_is_left_out_of_every_output() {
        let p = with_draft();
        let checked = p.run(&["check", "--strict"]);
        checked.assert_ok();
        assert!(
            checked.stderr.contains("(4 content pages"),
            "{}",
            checked.stderr
        );
        p.build().assert_ok();
        assert_eq!(mentions(&p), Vec::<String>::new());
    }

    #[test]
    fn drafts_are_built_when_asked_for() {
        let p = with_draft();
        let out = p.out();
        p.run(&[
            "build",
            "--quiet",
            "--drafts",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert_ok();
        let found = mentions(&p);
        for page in ["models/medsam2.html", "models/index.html", "table.html"] {
            assert!(found.iter().any(|f| f == page), "{page} not in {found:?}");
        }
        // Citing it is fine when drafts are built.
        p.write(
            "content/trends/modality-specific.md",
            p.read_source("content/trends/modality-specific.md")
                .replace("按模态划分的模型。", "按模态划分的模型，例如 [@medsam2]。"),
        );
        p.run(&["check", "--drafts"]).assert_ok();
        p.run(&["check"])
            .assert_error("citation of the draft `@medsam2`");
    }
}
