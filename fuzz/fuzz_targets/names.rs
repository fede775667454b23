//! Fuzz target `names`: arbitrary text as a language code and as a vocabulary key of a small
//! site configuration, through `medfm::PageChecker::new` (the whole parsing and
//! resolution of `site.yaml`). Nothing may panic, and a name the configuration accepts must be
//! one plain file name: no separator, no `.` or `..`, no control character, at most 100 bytes.
//!
//! Run: `cargo +nightly fuzz run names`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use medfm::PageChecker;

const SITE: &str = "title: {zh: T, CODE: T}\ndescription: {zh: D, CODE: D}\nbase_url: https://example.org\ndefault_language: zh\nlanguages:\n  - {code: zh, name: 中文}\n  - {code: CODE, name: X}\nvocabularies:\n  kind:\n    KEY: {zh: K, CODE: K}\ncollections:\n  works:\n    folder: works\n    label: {zh: W, CODE: W}\n    kind: kind\n    fields:\n      title: {type: text, required: true}\n      kind: {type: term, vocabulary: kind, required: true}\n";

fn plain(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name.len() <= 100
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
}

fuzz_target!(|data: &[u8]| {
    let Ok(name) = std::str::from_utf8(data) else {
        return;
    };
    // As a double-quoted YAML string, so any text can be written.
    let quoted = serde_json_like(name);
    let site = SITE.replace("CODE", &quoted).replace("KEY", &quoted);
    if PageChecker::new(&site).is_ok() {
        assert!(plain(name), "accepted a name that is not a plain file name: {name:?}");
    }
});

/// `name` as a double-quoted YAML scalar.
fn serde_json_like(name: &str) -> String {
    let mut out = String::from("\"");
    for c in name.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
