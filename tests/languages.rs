//! Adding a language (issue 27, item 10): `medfm lang add` on the legal-ai example site, the real
//! site and a fresh `medfm init` — site.yaml's texts and a translation file per page — and a
//! language added by hand.

use crate::common::TestProject;

/// The comment lines of `text`, in order.
fn comments(text: &str) -> Vec<&str> {
    (text.lines().map(str::trim))
        .filter(|l| l.starts_with('#'))
        .collect()
}

/// Adds `fr` to `p`, whose pages are `pages` files in the `default` language; checks that
/// site.yaml kept every comment, that each page got its translation file, that `check` passes
/// with the copied texts of site.yaml as one warning and each translation file as another, and
/// that the site builds with a `fr/` folder.
fn adds_french(p: &TestProject, pages: usize, default: &str) {
    let before = p.read_source("site.yaml");
    let run = p.run(&[
        "lang",
        "add",
        "fr",
        "--name",
        "Français",
        "--locale",
        "fr_FR",
    ]);
    run.assert_ok();
    assert!(run.stdout.starts_with("added `fr` to "), "{}", run.stdout);
    let files = match pages {
        1 => "1 translation file".to_string(),
        n => format!("{n} translation files"),
    };
    assert_eq!(
        run.stdout.lines().nth(1),
        Some(
            format!(
                "wrote {files} in content (`<page>.fr.md`: its translatable fields and headings, \
                 copied from `{default}`, each marked); skipped 0 that exist"
            )
            .as_str()
        )
    );
    let after = p.read_source("site.yaml");
    // Every comment survives, in order (the copied scaffolds bring their own `## headings`).
    let mut kept = comments(&after).into_iter();
    for comment in comments(&before) {
        assert!(kept.any(|c| c == comment), "lost or moved: {comment}");
    }
    assert!(after.contains("  - code: \"fr\"\n    name: \"Français\"\n    locale: \"fr_FR\"\n"));
    let check = p.run(&["check"]);
    check.assert_ok();
    let warning = (check.stderr.lines())
        .find(|l| l.starts_with("site.yaml:"))
        .unwrap_or_else(|| panic!("{}", check.stderr));
    assert!(
        warning.contains(": warning: ")
            && warning.ends_with("`fr` texts are not translated yet (copied by `medfm lang add`)"),
        "{warning}"
    );
    let marked = (check.stderr.lines())
        .filter(|l| l.contains(".fr.md:") && l.contains(": warning: incomplete `fr` translation: "))
        .count();
    assert_eq!(marked, pages, "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains(&format!("check passed: 0 errors, {} warnings (", pages + 1)),
        "{}",
        check.stderr
    );
    assert!(
        !check.stderr.contains("no `fr` translation"),
        "{}",
        check.stderr
    );
    p.build().assert_ok();
    assert!(p.out().join("fr/index.html").is_file());
    let again = p.run(&["lang", "add", "fr", "--name", "Français"]);
    again.assert_error("site.yaml already has the language `fr`");
}

#[test]
fn lang_add_scaffolds_every_text_of_the_example_site() {
    let p = TestProject::site_fixture("legal-ai");
    adds_french(&p, 17, "en");
    let config = p.read_source("site.yaml");
    assert!(
        config
            .contains("    model: { en: Model, fr: Model }  # untranslated (fr), copied from en\n"),
        "a flow mapping gains the language"
    );
    assert!(
        config.contains("  fr:\n    skip: Skip to content  # untranslated (fr), copied from en\n"),
        "the strings table is copied"
    );
    let heading = |h: &str| {
        format!(
            "\n## {h}\n\n<!-- untranslated (fr): translate the `en` heading above and write its \
             section in `fr`, then remove this line -->\n"
        )
    };
    assert_eq!(
        p.read_source("content/about.fr.md"),
        format!(
            "---\n# The `fr` text of content/about.md, written by `medfm lang add`. Each text \
             marked\n# `untranslated (fr)` is still the `en` text: translate it, then remove the \
             mark.\ntitle: About this example  # untranslated (fr), copied from en\nsummary: Why \
             this made-up register exists, what it demonstrates about medfm, and what it is not.  \
             # untranslated (fr), copied from en\n---\n{}{}{}{}",
            heading("A fictional register"),
            heading("What it demonstrates"),
            heading("How an entry is written"),
            heading("How the prose is written")
        )
    );
}

#[test]
fn lang_add_never_overwrites_a_translation_file() {
    let p = TestProject::site_fixture("legal-ai");
    let mine =
        "---\ntitle: À propos\nsummary: Pourquoi ce registre fictif existe.\n---\n\nTexte.\n";
    p.write("content/about.fr.md", mine);
    let run = p.run(&["lang", "add", "fr", "--name", "Français"]);
    run.assert_ok();
    assert!(
        run.stdout
            .contains("wrote 16 translation files in content (")
            && run.stdout.contains("); skipped 1 that exist\n"),
        "{}",
        run.stdout
    );
    assert_eq!(p.read_source("content/about.fr.md"), mine);
}

#[test]
fn lang_add_with_no_pages_writes_site_yaml_alone() {
    let p = TestProject::site_fixture("legal-ai");
    let run = p.run(&["lang", "add", "fr", "--name", "Français", "--no-pages"]);
    run.assert_ok();
    assert!(!run.stdout.contains("wrote "), "{}", run.stdout);
    assert!(!p.root().join("content/about.fr.md").exists());
    let check = p.run(&["check"]);
    check.assert_ok();
    assert!(
        check.stderr.contains(
            "content/about.md: warning: no `fr` translation: content/about.fr.md is missing"
        ),
        "{}",
        check.stderr
    );
}

#[test]
fn lang_add_refuses_a_text_over_several_lines_of_a_flow_mapping_where_it_is() {
    let p = TestProject::site_fixture("legal-ai");
    let before = p.read_source("site.yaml");
    let config = before.replacen(
        "model: { en: Model }",
        "model: {\n      en: A\n        model\n    }",
        1,
    );
    assert_ne!(config, before);
    p.write("site.yaml", &config);
    let run = p.run(&["lang", "add", "fr", "--name", "Français"]);
    let line = config.lines().position(|l| l.trim() == "en: A").unwrap() + 1;
    run.assert_error(&format!(
        "site.yaml:{line}:7: error: `medfm lang add` cannot copy this `en` text into `fr`: it \
         goes on over several lines of a flow mapping (`{{ … }}`, lines {}–{})",
        line - 1,
        line + 2
    ));
    assert_eq!(p.read_source("site.yaml"), config, "nothing written");
    assert!(!p.root().join("content/about.fr.md").exists());
}

#[test]
fn lang_add_scaffolds_every_text_of_the_real_site() {
    // Its flow mappings hold apostrophes (`Brigham and Women's Hospital`) that open no quote.
    let p = TestProject::real_copy();
    adds_french(&p, 98, "zh");
    let config = p.read_source("site.yaml");
    assert!(config.contains(
        "    brigham-and-womens-hospital: { zh: Brigham and Women's Hospital, en: Brigham and \
         Women's Hospital, fr: Brigham and Women's Hospital }  # untranslated (fr), copied from zh\n"
    ));
    let check = p.run(&["check"]);
    assert!(
        check.stderr.contains(
            "content/models/amie.fr.md:4:1: warning: incomplete `fr` translation: 12 texts marked \
             untranslated\n 4 | title: AMIE  # untranslated (fr), copied from zh\n   | ^\n  \
             = note: `medfm lang add` copied them from content/models/amie.md, in `zh`\n  \
             = help: translate each text marked `untranslated (fr)` into `fr` and remove its mark\n"
        ),
        "{}",
        check.stderr
    );
    // Translated, marks removed: the file passes.
    let skeleton = p.read_source("content/models/amie.fr.md");
    let mut translated: Vec<String> = Vec::new();
    for line in skeleton.lines().filter(|l| !l.starts_with("<!--")) {
        let line = line.split("  # untranslated (fr)").next().unwrap_or(line);
        translated.push(match line.split_once(": ") {
            Some((field @ ("summary" | "data_scale" | "headline" | "sources_differ"), _)) => {
                format!("{field}: Un texte traduit en français pour ce champ.")
            }
            _ if line.starts_with("## ") => "## Section\n\nUn paragraphe en français.".to_string(),
            _ => line.to_string(),
        });
    }
    p.write("content/models/amie.fr.md", translated.join("\n") + "\n");
    let check = p.run(&["check"]);
    check.assert_ok();
    assert!(!check.stderr.contains("amie.fr.md"), "{}", check.stderr);
    assert!(
        check
            .stderr
            .contains("check passed: 0 errors, 98 warnings ("),
        "{}",
        check.stderr
    );
}

#[test]
fn lang_add_scaffolds_every_text_of_a_new_site() {
    adds_french(&crate::starter::starter(), 1, "en");
}

#[test]
fn a_language_added_by_hand_is_one_error_naming_the_command() {
    let p = TestProject::site_fixture("legal-ai");
    let config = p.read_source("site.yaml").replacen(
        "    locale: en_GB\n",
        "    locale: en_GB\n  - code: fr\n    name: Français\n",
        1,
    );
    p.write("site.yaml", config);
    let check = p.run(&["check"]);
    check.assert_error("error: check failed: 1 error, 0 warnings");
    let first = check.stderr.lines().next().unwrap();
    assert!(
        first.starts_with("site.yaml:4:1: error: ") && first.ends_with(" texts have no `fr` text"),
        "{}",
        check.stderr
    );
    assert!(
        check.stderr.contains(
            "  = help: `medfm lang add fr --name <name>` adds every missing `fr` text to \
             site.yaml, copied from `en` and marked `# untranslated (fr)` until translated"
        ),
        "{}",
        check.stderr
    );
}
