//! Names that become paths of the built site — language codes (`<code>/`), collection folders,
//! taxonomy names, vocabulary keys and free terms (`taxonomies/<name>/<key>.html`), page slugs,
//! export names — and the one set of rules they are checked against when the model is
//! resolved, so that no name can leave the site folder, overwrite a page the generator writes,
//! or collide with another name on a case-insensitive disk.

use std::collections::BTreeMap;

/// The longest name that becomes a path segment, in bytes. File systems allow 255 bytes per
/// segment; a slug also gets `.html`, and a language folder or a translation suffix besides.
pub(crate) const MAX_NAME_BYTES: usize = crate::base::slug::MAX_PAGE_NAME_BYTES;

/// Names the generator writes at the top of every language's folder (besides files ending in
/// `.html`, `.xml`, …, which no folder name can collide with).
pub(crate) const RESERVED_FOLDERS: &[&str] = &["taxonomies"];

/// The page name the generator gives each list and taxonomy index, and so no entry or term may
/// have: `<folder>/index.html`, `taxonomies/<name>/index.html`.
pub(crate) const INDEX: &str = "index";

/// What a name names: the rules differ slightly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NameKind {
    /// A language code: BCP 47 shape, `zh`, `en`, `pt-BR`.
    Language,
    /// A collection folder, taxonomy name, vocabulary key or export name: one plain file name.
    Plain,
}

/// Why `name` cannot become a path segment, or `None` when it can.
pub(crate) fn problem(name: &str, kind: NameKind) -> Option<String> {
    if name.is_empty() {
        return Some("is empty".into());
    }
    if name == "." || name == ".." {
        return Some("is a relative folder name".into());
    }
    if name.chars().any(char::is_control) {
        return Some("contains a control character".into());
    }
    if name.contains(['/', '\\']) {
        return Some("contains a path separator (`/` or `\\`)".into());
    }
    if name.len() > MAX_NAME_BYTES {
        return Some(format!(
            "is {} bytes long; names that become file names have at most {MAX_NAME_BYTES}",
            name.len()
        ));
    }
    match kind {
        NameKind::Language if !is_language_code(name) => Some(
            "is not a language code: letters, then optional `-` parts, e.g. `en`, `zh`, `pt-BR`"
                .into(),
        ),
        NameKind::Plain if !is_plain(name) => Some(
            "may hold only ASCII letters, digits, `-` and `_` (and inner `.`), starting with a letter or digit"
                .into(),
        ),
        _ => None,
    }
}

/// BCP 47 shape: a primary subtag of 2–8 letters, then subtags of 1–8 letters or digits.
fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    (2..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// ASCII letters, digits, `-`, `_` and inner `.`, starting with a letter or digit.
fn is_plain(name: &str) -> bool {
    name.bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric())
        && !name.ends_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The pairs of `names` that differ only in case (`CT` and `ct`): on a case-insensitive disk
/// (macOS, Windows) their files would overwrite each other. Each pair once, in input order.
pub(crate) fn case_collisions<'a>(
    names: impl IntoIterator<Item = &'a str>,
) -> Vec<(&'a str, &'a str)> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut out = Vec::new();
    for name in names {
        match seen.get(&name.to_lowercase()) {
            Some(first) if *first != name => out.push((*first, name)),
            Some(_) => {}
            None => {
                seen.insert(name.to_lowercase(), name);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        for ok in ["en", "zh", "pt-BR", "zh-Hant", "fil"] {
            assert_eq!(problem(ok, NameKind::Language), None, "{ok}");
        }
        for bad in [
            "", ".", "..", "a/b", "../x", "<script>", "e", "en_US", "en-", "x\u{1b}",
        ] {
            assert!(problem(bad, NameKind::Language).is_some(), "{bad:?}");
        }
    }

    #[test]
    fn plain_names() {
        for ok in ["ct", "general-to-medical", "x_ray", "v1.5", "CT"] {
            assert_eq!(problem(ok, NameKind::Plain), None, "{ok}");
        }
        for bad in [".hidden", "a/b", "a\\b", "<img>", "a b", "x.", "中文", "-x"] {
            assert!(problem(bad, NameKind::Plain).is_some(), "{bad:?}");
        }
        assert!(problem(&"a".repeat(101), NameKind::Plain)
            .unwrap()
            .contains("101 bytes"));
    }

    /// Property: whatever the text, a name accepted as a path segment stays one plain segment
    /// inside the folder it is joined to. 200,000 names from an alphabet of the characters that
    /// matter, by a fixed pseudo-random sequence.
    #[test]
    fn an_accepted_name_is_always_one_segment_inside_its_folder() {
        let alphabet: Vec<char> = "aZ09-_.:/\\ %~中\u{0}\u{1b}\u{202e}".chars().collect();
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let folder = std::path::Path::new("/site");
        for _ in 0..200_000 {
            let len = usize::try_from(next() % 8).unwrap();
            let name: String = (0..len)
                .map(|_| alphabet[usize::try_from(next() % alphabet.len() as u64).unwrap()])
                .collect();
            for kind in [NameKind::Plain, NameKind::Language] {
                if problem(&name, kind).is_none() {
                    let path = folder.join(&name);
                    assert_eq!(path.parent(), Some(folder), "{name:?}");
                    assert_eq!(
                        path.file_name().and_then(|n| n.to_str()),
                        Some(name.as_str())
                    );
                    assert!(name.is_ascii(), "{name:?}");
                }
            }
        }
    }

    #[test]
    fn collisions_by_case_only() {
        assert_eq!(
            case_collisions(["ct", "mri", "CT", "ct", "Mri"]),
            [("ct", "CT"), ("mri", "Mri")]
        );
    }
}
