//! Adding a language (issue 27, item 10): `medfm lang add` on the legal-ai example site, the real
//! site and a fresh `medfm init`, and a language added by hand.

use crate::common::TestProject;

/// The comment lines of `text`, in order.
fn comments(text: &str) -> Vec<&str> {
    (text.lines().map(str::trim))
        .filter(|l| l.starts_with('#'))
        .collect()
}

/// Adds `fr` to `p`; checks that site.yaml kept every comment, that `check` passes with the
/// copied texts as one warning, and that the site builds with a `fr/` folder.
fn adds_french(p: &TestProject) {
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
    assert!(!check.stderr.contains(": error: "), "{}", check.stderr);
    p.build().assert_ok();
    assert!(p.out().join("fr/index.html").is_file());
    let again = p.run(&["lang", "add", "fr", "--name", "Français"]);
    again.assert_error("site.yaml already has the language `fr`");
}

#[test]
fn lang_add_scaffolds_every_text_of_the_example_site() {
    let p = TestProject::site_fixture("legal-ai");
    adds_french(&p);
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
}

#[test]
fn lang_add_scaffolds_every_text_of_the_real_site() {
    // Its flow mappings hold apostrophes (`Brigham and Women's Hospital`) that open no quote.
    let p = TestProject::real_copy();
    adds_french(&p);
    let config = p.read_source("site.yaml");
    assert!(config.contains(
        "    brigham-and-womens-hospital: { zh: Brigham and Women's Hospital, en: Brigham and \
         Women's Hospital, fr: Brigham and Women's Hospital }  # untranslated (fr), copied from zh\n"
    ));
}

#[test]
fn lang_add_scaffolds_every_text_of_a_new_site() {
    adds_french(&crate::starter::starter());
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
