//! Integration tests of the core engine on small fixture sites: output shape, links, headings,
//! highlighting, determinism, incremental builds and atomic writes. Content errors are in
//! `mistakes.rs`.

use crate::common::{check_links, files, select, TestProject};

const MEDSAM: &str = "content/models/medsam.md";

fn minimal() -> TestProject {
    TestProject::fixture("minimal")
}

#[test]
fn builds_both_languages_with_relative_links_that_resolve() {
    let p = minimal();
    p.build().assert_ok();
    let out = files(&p.out());
    for page in [
        "index.html",
        "en/index.html",
        "models/medsam.html",
        "en/models/medsam.html",
        "about.html",
        "404.html",
    ] {
        assert!(out.contains(&page.to_string()), "missing {page} in {out:?}");
    }
    let (checked, broken) = check_links(&p.out());
    assert!(checked > 50, "only {checked} links checked");
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    let home = p.read("index.html");
    assert!(!home.contains("href=\"/"), "absolute link in home page");
    assert!(!home.contains("src=\"/"));
}

#[test]
fn internal_links_resolve_to_relative_urls_with_anchors() {
    let p = minimal();
    p.build().assert_ok();
    let doc = p.html("models/medsam.html");
    let hrefs: Vec<&str> = select(&doc, ".prose a")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert!(hrefs.contains(&"../models/sam.html"), "{hrefs:?}");
    assert!(
        hrefs.iter().any(|h| h.starts_with("../models/sam.html#")
            && crate::common::percent_decode(h).ends_with("#概述-1")),
        "{hrefs:?}"
    );
    let en = p.html("en/models/medsam.html");
    let hrefs: Vec<&str> = select(&en, ".prose a")
        .iter()
        .map(|a| a.value().attr("href").unwrap())
        .collect();
    assert_eq!(hrefs, ["../../en/models/sam.html#overview"]);
}

#[test]
fn headings_keep_cjk_ids_unique_and_feed_the_toc() {
    let p = minimal();
    p.build().assert_ok();
    let doc = p.html("models/sam.html");
    let ids: Vec<&str> = select(&doc, ".prose h2")
        .iter()
        .map(|h| h.value().attr("id").unwrap())
        .collect();
    assert_eq!(ids, ["概述", "概述-1"]);
    let medsam = p.html("models/medsam.html");
    let toc: Vec<String> = select(&medsam, ".prose h2")
        .iter()
        .map(|h| h.value().attr("id").unwrap().to_string())
        .collect();
    assert_eq!(toc, ["概述", "核心思路"]);
}

#[test]
fn code_is_highlighted_with_classes_and_one_stylesheet() {
    let p = minimal();
    p.build().assert_ok();
    let doc = p.html("models/medsam.html");
    let spans = select(&doc, "pre.code span[class^=\"hl-\"]");
    assert!(!spans.is_empty(), "no highlighting spans");
    assert!(
        select(&doc, "pre.code [style]").is_empty(),
        "inline styles in code"
    );
    let css = p.read("highlight.css");
    assert!(css.contains(".hl-") && css.contains("prefers-color-scheme: dark"));
    assert!(select(&doc, "link[href=\"../highlight.css\"]").len() == 1);
    // Pages without highlighted code do not load the stylesheet.
    let list = p.html("models/index.html");
    assert!(select(&list, "link[href$=\"highlight.css\"]").is_empty());
    assert!(!select(&list, "link[href$=\"style.css\"]").is_empty());
}

#[test]
fn html_has_lang_alternates_and_semantic_landmarks() {
    let p = minimal();
    p.build().assert_ok();
    let zh = p.html("models/medsam.html");
    let en = p.html("en/models/medsam.html");
    assert_eq!(select(&zh, "html")[0].value().attr("lang"), Some("zh"));
    assert_eq!(select(&en, "html")[0].value().attr("lang"), Some("en"));
    assert_eq!(select(&zh, "main").len(), 1);
    assert_eq!(select(&zh, "h1").len(), 1);
    let alternates: Vec<&str> = select(&zh, "link[rel=alternate][hreflang]")
        .iter()
        .map(|l| l.value().attr("hreflang").unwrap())
        .collect();
    assert_eq!(alternates, ["zh", "en"]);
    let switch = select(&zh, "nav.lang a")[0]
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(switch, "../en/models/medsam.html");
}

#[test]
fn builds_are_byte_identical() {
    let p = minimal();
    let a = p.dir.path().join("a");
    let b = p.dir.path().join("b");
    p.build_to(&a).assert_ok();
    p.build_to(&b).assert_ok();
    assert_same_site(&a, &b);
}

/// Asserts the sites in `a` and `b` hold the same files with the same bytes.
#[track_caller]
fn assert_same_site(a: &std::path::Path, b: &std::path::Path) {
    let files_a = files(a);
    assert_eq!(files_a, files(b));
    for f in &files_a {
        assert!(
            std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
}

/// Asserts that `p`'s output has the same bytes (search index included) as the same sources
/// built from scratch, without the cache, into another folder.
#[track_caller]
fn assert_same_as_a_full_build(p: &TestProject) {
    let full = p.dir.path().join("full");
    std::fs::remove_dir_all(p.root().join(".medfm-cache")).unwrap();
    p.build_to(&full).assert_ok();
    assert_same_site(&p.out(), &full);
}

/// Builds `p` into its output with stage timings; true if the build reused the previous pages.
fn build_reused(p: &TestProject) -> bool {
    build_counted(p).0
}

/// Builds `p` into its output with stage timings: whether the build reused the previous pages
/// as they were, and how many page bodies it rendered of how many.
fn build_counted(p: &TestProject) -> (bool, usize, usize) {
    let out = p.out();
    let run = p.run(&["build", "--timings", "--out", out.to_str().unwrap()]);
    run.assert_ok();
    let bodies = (run.stderr.lines())
        .find_map(|l| l.trim_start().strip_prefix("bodies: "))
        .and_then(|l| l.split_once(" rendered"))
        .and_then(|(counts, _)| counts.split_once(" of "))
        .and_then(|(n, of)| Some((n.parse().ok()?, of.parse().ok()?)))
        .unwrap_or_else(|| panic!("no body count in\n{}", run.stderr));
    (run.stderr.contains("reuse:"), bodies.0, bodies.1)
}

#[test]
fn a_body_edit_reuses_the_other_pages_and_gives_the_same_site_as_a_full_build() {
    let p = minimal();
    assert!(!build_reused(&p), "the first build has nothing to reuse");
    let sam_before = std::fs::read(p.out().join("models/sam.html")).unwrap();
    append_to_medsam_en(
        &p,
        "A new closing paragraph, [linking SAM](@/models/sam.md).",
    );
    assert!(
        build_reused(&p),
        "a body-only edit reuses the unchanged pages"
    );
    assert!(p
        .read("en/models/medsam.html")
        .contains("A new closing paragraph"));
    assert!(p.read("en/print.html").contains("A new closing paragraph"));
    assert_eq!(
        std::fs::read(p.out().join("models/sam.html")).unwrap(),
        sam_before
    );
    assert_same_as_a_full_build(&p);
}

#[test]
fn a_language_without_edits_keeps_its_files_and_the_cache_grows_by_the_edit() {
    let p = minimal();
    p.build().assert_ok();
    let cache = page_cache(&p);
    let (out, cache_inode, cache_len) = (p.out(), inode(&cache), files_len(&cache));
    let zh_files = ["print.html", "search/index.js", "models/sam.html"];
    let zh_inodes: Vec<u64> = zh_files.iter().map(|f| inode(&out.join(f))).collect();
    append_to_medsam_en(&p, "Only the English text changed.");
    assert!(build_reused(&p));
    let kept: Vec<u64> = zh_files.iter().map(|f| inode(&out.join(f))).collect();
    assert_eq!(kept, zh_inodes, "the Chinese files are left as they were");
    assert!(p
        .read("en/print.html")
        .contains("Only the English text changed."));
    assert!(p
        .read("en/search/text-0.js")
        .contains("Only the English text changed."));
    assert_eq!(inode(&cache), cache_inode, "the cache is appended to");
    assert!(files_len(&cache) > cache_len);
    assert_same_as_a_full_build(&p);
}

#[test]
fn a_failed_reusing_build_leaves_the_cache_usable_and_dead_records_are_dropped() {
    let p = minimal();
    p.build().assert_ok();
    let cache = page_cache(&p);
    let first_len = files_len(&cache);
    let medsam = p.read_source("content/models/medsam.en.md");
    // A broken link fails the build after the edited page's record was appended.
    append_to_medsam_en(&p, "See [nothing](@/models/nothing.md).");
    p.build().assert_error("nothing.md");
    assert_eq!(
        files_len(&cache),
        first_len,
        "the appended record is cut off again"
    );
    p.write("content/models/medsam.en.md", medsam.clone());
    assert!(build_reused(&p), "the cache still describes the site");
    // Many edits: the file is rewritten once dead records outweigh live ones.
    for n in 0..12 {
        p.write(
            "content/models/medsam.en.md",
            format!("{medsam}\nEdit number {n}.\n"),
        );
        assert!(build_reused(&p));
        assert!(
            files_len(&cache) <= 3 * first_len,
            "edit {n}: the cache keeps growing"
        );
    }
    assert_same_as_a_full_build(&p);
}

#[test]
fn a_cache_another_build_is_appending_to_is_not_appended_to() {
    let p = minimal();
    p.build().assert_ok();
    let cache = page_cache(&p);
    let held = std::fs::OpenOptions::new()
        .write(true)
        .open(&cache)
        .unwrap();
    held.lock().unwrap();
    let locked_len = files_len(&cache);
    append_to_medsam_en(&p, "Written while the cache was locked.");
    assert!(build_reused(&p), "the records are still read");
    use std::os::unix::fs::MetadataExt;
    assert_ne!(
        inode(&cache),
        held.metadata().unwrap().ino(),
        "a new file replaced it"
    );
    assert_eq!(
        held.metadata().unwrap().len(),
        locked_len,
        "the locked file was not written"
    );
    drop(held);
    assert!(build_reused(&p), "the new file is a valid cache");
    assert_same_as_a_full_build(&p);
}

#[test]
fn a_full_render_keeps_the_files_whose_bytes_did_not_change() {
    let p = minimal();
    p.build().assert_ok();
    let out_inode = |rel: &str| inode(&p.out().join(rel));
    let before: Vec<(String, u64)> = files(&p.out())
        .into_iter()
        .map(|f| {
            let ino = out_inode(&f);
            (f, ino)
        })
        .collect();
    // Without the page cache every page is rendered again; none changed, none is rewritten.
    std::fs::remove_dir_all(p.root().join(".medfm-cache")).unwrap();
    assert!(!build_reused(&p));
    // (The print view is streamed to disk, so it is always written.)
    let rewritten: Vec<&String> = (before.iter())
        .filter(|(f, ino)| out_inode(f) != *ino && !f.ends_with("print.html"))
        .map(|(f, _)| f)
        .collect();
    assert!(rewritten.is_empty(), "written again: {rewritten:?}");
    // A changed page is written anew; the site is the same as one built into an empty folder.
    p.write(
        MEDSAM,
        p.read_source(MEDSAM).replace("title: ", "title: Re-"),
    );
    assert!(!build_reused(&p));
    let medsam = before
        .iter()
        .find(|(f, _)| f == "models/medsam.html")
        .unwrap();
    assert_ne!(out_inode(&medsam.0), medsam.1);
    assert_same_as_a_full_build(&p);
}

fn files_len(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).unwrap().len()
}

fn inode(path: &std::path::Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).unwrap().ino()
}

fn page_cache(p: &TestProject) -> std::path::PathBuf {
    p.root().join(".medfm-cache/pages.bin")
}

/// Appends `line` to the body of the English MedSAM page.
fn append_to_medsam_en(p: &TestProject, line: &str) {
    let medsam = p.read_source("content/models/medsam.en.md");
    p.write("content/models/medsam.en.md", format!("{medsam}\n{line}\n"));
}

#[test]
fn a_build_into_another_folder_reuses_the_site_it_is_pointed_at() {
    // What `medfm serve` does: it alternates between two folders and reuses the newer one.
    use medfm::Project;
    use medfm::{build, build_with, BuildOptions};
    let p = minimal();
    let project = Project::new(p.root());
    let (a, b) = (p.dir.path().join("a"), p.dir.path().join("b"));
    build(&project, &a).unwrap();
    append_to_medsam_en(&p, "Edited between the two folders.");
    let options = BuildOptions {
        reuse_from: Some(a.clone()),
        ..Default::default()
    };
    let report = build_with(&project, &b, options).unwrap();
    assert!(
        report.timings.0.iter().any(|t| t.name == "reuse"),
        "the build into b reused a"
    );
    let sam = "models/sam.html";
    assert_eq!(
        inode(&a.join(sam)),
        inode(&b.join(sam)),
        "the unchanged page is a link into a"
    );
    let edited = std::fs::read_to_string(b.join("en/models/medsam.html")).unwrap();
    assert!(edited.contains("Edited between the two folders."));
    let stale = std::fs::read_to_string(a.join("en/models/medsam.html")).unwrap();
    assert!(
        !stale.contains("Edited between"),
        "a was written through a link"
    );
    let full = p.dir.path().join("full");
    std::fs::remove_dir_all(p.root().join(".medfm-cache")).unwrap();
    build(&project, &full).unwrap();
    assert_same_site(&b, &full);
}

#[test]
fn template_or_heading_edits_render_every_body_and_a_front_matter_edit_only_its_own() {
    let p = minimal();
    let (_, first, bodies) = build_counted(&p);
    assert_eq!(first, bodies, "a first build renders every body");
    type Edit = fn(String) -> String;
    // A heading is a link target of every body, a template may show anything: every body is
    // rendered again. A front-matter edit keeps the bodies of the pages whose HTML it leaves
    // alone: a fact only SAM's page shows renders SAM's body (in each language); SAM's title
    // renders the pages showing SAM too (MedSAM's, which builds on it, and the home page,
    // which lists it), but not the about page.
    let edits: [(&str, Edit, usize); 4] = [
        (
            "content/models/sam.md",
            |t| t.replacen("open_weights: true", "open_weights: false", 1),
            2,
        ),
        (
            "content/models/sam.md",
            |t| t.replacen("title: ", "title: Re-", 1),
            bodies - 2,
        ),
        ("templates/macros.html", |t| format!("{t}\n"), bodies),
        (
            "content/models/medsam.en.md",
            |t| format!("{t}\n## A new heading\n"),
            bodies,
        ),
    ];
    for (file, edit, expected) in edits {
        p.write(file, edit(p.read_source(file)));
        let (reused, rendered, _) = build_counted(&p);
        assert!(
            !reused,
            "after editing {file}, pages are not reused as they were"
        );
        assert_eq!(rendered, expected, "bodies rendered after editing {file}");
        assert_eq!(
            build_counted(&p),
            (true, 0, bodies),
            "an unchanged rebuild reuses everything"
        );
    }
    assert!(p.read("en/models/medsam.html").contains("Re-SAM"));
    assert_same_as_a_full_build(&p);
}

#[test]
fn a_heading_edit_renders_again_a_page_whose_link_it_moves() {
    // The about page has no English text: its English page shows the Chinese text, whose link
    // to SAM's first `概述` leads to the same section of SAM's English text, `#overview`.
    let p = minimal();
    p.remove("content/about.en.md");
    let about = "content/about.md";
    p.write(
        about,
        format!(
            "{}\n见 [SAM](@/models/sam.md#概述)。\n",
            p.read_source(about)
        ),
    );
    p.build().assert_ok();
    assert!(p.read("en/about.html").contains("models/sam.html#overview"));
    let sam = "content/models/sam.en.md";
    p.write(sam, p.read_source(sam).replace("## Overview", "## Summary"));
    let (reused, _, _) = build_counted(&p);
    assert!(!reused);
    let page = p.read("en/about.html");
    assert!(page.contains("models/sam.html#summary"), "{page}");
    assert_same_as_a_full_build(&p);
}

/// A mark written into a page of the previous site: it survives only if the next build links
/// that page instead of rendering it.
const MARK: &str = "<!-- left by the test -->";

/// Appends [`MARK`] to the built page `rel`, in place (so a link to it keeps the mark).
fn mark(p: &TestProject, rel: &str) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(p.out().join(rel))
        .unwrap();
    file.write_all(MARK.as_bytes()).unwrap();
}

/// True if the built page `rel` still holds [`MARK`]; removes it either way.
fn still_marked(p: &TestProject, rel: &str) -> bool {
    let path = p.out().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let marked = text.ends_with(MARK);
    if marked {
        // A new file, so the unmarked bytes do not reach the linked copies.
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, text.strip_suffix(MARK).unwrap()).unwrap();
    }
    marked
}

#[test]
fn a_front_matter_edit_renders_only_the_pages_whose_context_it_changes() {
    let p = minimal();
    p.build().assert_ok();
    // SAM's Chinese summary shows on its Chinese page, list and term pages; the about pages, the
    // English pages and the term pages SAM is not on do not show it.
    let unrelated = [
        "about.html",
        "en/about.html",
        "en/models/index.html",
        "taxonomies/modality/ct.html",
    ];
    let related = [
        "models/sam.html",
        "models/index.html",
        "taxonomies/modality/natural-image.html",
    ];
    for rel in unrelated.iter().chain(&related) {
        mark(&p, rel);
    }
    let sam = "content/models/sam.md";
    p.write(
        sam,
        p.read_source(sam)
            .replace("自然图像上的", "自然图像上通用的"),
    );
    let run = p.run(&["build", "--timings", "--out", p.out().to_str().unwrap()]);
    run.assert_ok();
    assert!(
        !run.stderr.contains("reuse:"),
        "a front-matter edit does not leave the pages as they were"
    );
    // The summary says how many pages were linked rather than rendered.
    let said = run.stderr.lines().last().unwrap();
    let html = files(&p.out())
        .iter()
        .filter(|f| f.ends_with(".html"))
        .count();
    let unchanged: usize = (said.rsplit_once("; "))
        .and_then(|(_, tail)| tail.strip_suffix(&format!(" of {html} HTML pages unchanged)")))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{said}"));
    assert!(unchanged > 0 && unchanged < html - related.len(), "{said}");
    assert!(p.read("models/sam.html").contains("自然图像上通用的"));
    for rel in unrelated {
        assert!(still_marked(&p, rel), "{rel} was rendered again");
    }
    for rel in related {
        assert!(!still_marked(&p, rel), "{rel} was not rendered again");
    }
    assert_same_as_a_full_build(&p);
}

#[test]
fn pages_a_front_matter_edit_removes_are_gone_and_a_template_edit_renders_everything() {
    let p = minimal();
    p.build().assert_ok();
    let (fair, meta) = (
        "taxonomies/institution/meta-ai-research-fair.html",
        "taxonomies/institution/meta-ai.html",
    );
    assert!(p.out().join(fair).is_file());
    // SAM was the only work of its institution: its term page goes with the term.
    let sam = "content/models/sam.md";
    p.write(
        sam,
        p.read_source(sam)
            .replace("Meta AI Research (FAIR)", "Meta AI"),
    );
    mark(&p, "about.html");
    p.build().assert_ok();
    assert!(!p.out().join(fair).exists(), "{fair} is left over");
    assert!(p.out().join(meta).is_file());
    assert!(still_marked(&p, "about.html"));
    assert_same_as_a_full_build(&p);
    // The frame — binary, site.yaml, templates, static names — keys every page.
    p.build().assert_ok();
    mark(&p, "about.html");
    let macros = "templates/macros.html";
    p.write(macros, format!("{}\n", p.read_source(macros)));
    p.build().assert_ok();
    assert!(
        !still_marked(&p, "about.html"),
        "a template edit renders every page"
    );
}

#[test]
fn a_build_into_another_folder_skips_the_pages_a_front_matter_edit_leaves_unchanged() {
    use medfm::Project;
    use medfm::{build, build_with, BuildOptions};
    let p = minimal();
    let project = Project::new(p.root());
    let (a, b) = (p.dir.path().join("a"), p.dir.path().join("b"));
    build(&project, &a).unwrap();
    let sam = "content/models/sam.md";
    p.write(
        sam,
        p.read_source(sam)
            .replace("自然图像上的", "自然图像上通用的"),
    );
    let options = BuildOptions {
        reuse_from: Some(a.clone()),
        ..Default::default()
    };
    build_with(&project, &b, options).unwrap();
    let about = "about.html";
    assert_eq!(
        inode(&a.join(about)),
        inode(&b.join(about)),
        "linked from a"
    );
    let sam_page = "models/sam.html";
    assert_ne!(inode(&a.join(sam_page)), inode(&b.join(sam_page)));
    let full = p.dir.path().join("full");
    std::fs::remove_dir_all(p.root().join(".medfm-cache")).unwrap();
    build(&project, &full).unwrap();
    assert_same_site(&b, &full);
}

#[test]
fn refuses_to_build_over_sources() {
    let p = minimal();
    let root = p.root();
    for out in [
        root.clone(),
        root.join("content"),
        root.join("templates/x"),
        p.dir.path().to_path_buf(),
    ] {
        p.build_to(&out).assert_error("refusing to build into");
    }
    assert!(root.join("content/models/medsam.md").exists());
}

#[test]
fn timings_name_every_phase_and_the_search_indexing_inside_render() {
    let p = minimal();
    let out = p.out();
    let run = p.run(&["build", "--timings", "--out", out.to_str().unwrap()]);
    run.assert_ok();
    let phases: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|l| l.split_once(':').map(|(name, _)| name.trim()))
        .filter(|name| !name.contains(' '))
        .collect();
    for phase in [
        "read", "parse", "render", "index", "search", "publish", "commit",
    ] {
        assert!(phases.contains(&phase), "{phase} missing:\n{}", run.stderr);
    }
    let index = run
        .stderr
        .lines()
        .find(|l| l.trim_start().starts_with("index:"));
    assert!(
        index.is_some_and(|l| l.ends_with("CPU within render, summed over threads")),
        "{}",
        run.stderr
    );
}
