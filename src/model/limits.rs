//! Bounds on what one page may hold, so that no input makes a build take unbounded time,
//! memory or disk: the front matter, each value in it, each list, and the nesting of the body's
//! blocks. Each is far above what a real page needs (MedFM Atlas's largest value is under 600
//! bytes) and is reported as a located error, by `check` as by `build`. The user guide lists them (docs/guide, chapter "Bounds on input").

use crate::base::diagnostic::Diagnostic;
use crate::base::frontmatter::Split;

/// The largest front matter, in bytes: long text belongs in the body.
pub(crate) const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// The largest single value of a field (a text, one item of a list), in bytes: values are
/// repeated on every list, term page and card that shows the entry.
pub(crate) const MAX_VALUE_BYTES: usize = 4 * 1024;

/// The most items of one list field.
pub(crate) const MAX_LIST_ITEMS: usize = 1_000;

/// The deepest nesting of block quotes and lists in a body.
pub(crate) const MAX_NESTING: usize = 32;

/// An error when the front matter `split` of the file `path` (text `file_text`) is too large.
pub(crate) fn front_matter(path: &str, file_text: &str, split: &Split<'_>) -> Option<Diagnostic> {
    (split.yaml.len() > MAX_FRONT_MATTER_BYTES).then(|| {
        Diagnostic::error(
            path,
            split.yaml_line,
            1,
            format!(
                "the front matter is {} bytes; at most {} KiB are read",
                split.yaml.len(),
                MAX_FRONT_MATTER_BYTES / 1024
            ),
        )
        .with_source(file_text)
        .with_hint(
            "front matter holds short facts; long text goes in the body, after the closing `---`",
        )
    })
}

/// An error when the body of the file `path` (text `file_text`, body in `split`) nests blocks
/// deeper than [`MAX_NESTING`]; checked before the body is parsed at all.
pub(crate) fn body(path: &str, file_text: &str, split: &Split<'_>) -> Option<Diagnostic> {
    let (line, depth) = too_deep(split.body)?;
    Some(
        Diagnostic::error(
            path,
            split.body_line + line - 1,
            1,
            format!("blocks nest {depth} deep here; at most {MAX_NESTING} quote and list levels are read"),
        )
        .with_source(file_text)
        .with_hint("flatten the quotes or lists"),
    )
}

/// What is wrong with the size of a value of `len` bytes, or `None`.
pub(crate) fn value(len: usize) -> Option<String> {
    (len > MAX_VALUE_BYTES)
        .then(|| format!("the value is {len} bytes; a field value has at most {MAX_VALUE_BYTES}"))
}

/// What is wrong with a list of `count` items, or `None`.
pub(crate) fn list(count: usize) -> Option<String> {
    (count > MAX_LIST_ITEMS)
        .then(|| format!("the list has {count} items; a list field has at most {MAX_LIST_ITEMS}"))
}

/// The first line (1-based, in `body`) whose blocks nest deeper than [`MAX_NESTING`], and its
/// depth: the block quote markers (`>`) and list markers (`-`, `*`, `+`, `1.`, `1)`) that open
/// it, counted on the line itself. Indented continuation lines cannot nest deeper than the
/// lines that opened their blocks, and a line of markers is what pulldown-cmark needs time and
/// memory for in proportion to its depth.
pub(crate) fn too_deep(body: &str) -> Option<(usize, usize)> {
    body.lines().enumerate().find_map(|(i, line)| {
        let depth = markers(line);
        (depth > MAX_NESTING).then_some((i + 1, depth))
    })
}

/// How many block markers open `line`.
fn markers(line: &str) -> usize {
    let bytes = line.as_bytes();
    let (mut i, mut depth) = (0, 0);
    loop {
        while bytes.get(i).is_some_and(|b| *b == b' ' || *b == b'\t') {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'>') => i += 1,
            Some(b'-' | b'*' | b'+')
                if bytes.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\t') =>
            {
                i += 1;
            }
            Some(b'0'..=b'9') => {
                let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                let after = bytes.get(i + digits);
                let next = bytes.get(i + digits + 1);
                if digits <= 9
                    && matches!(after, Some(b'.' | b')'))
                    && next.is_none_or(|b| *b == b' ')
                {
                    i += digits + 1;
                } else {
                    return depth;
                }
            }
            _ => return depth,
        }
        depth += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_quote_and_list_markers() {
        assert_eq!(markers("> - 1. text"), 3);
        assert_eq!(markers(">>>> x"), 4);
        assert_eq!(markers("- [x] task"), 1);
        assert_eq!(markers("-1 is a number"), 0);
        assert_eq!(markers("**bold**"), 0);
        assert_eq!(markers("2024. A year"), 1);
        let deep = format!("{}x", ">".repeat(40));
        assert_eq!(too_deep(&format!("# Title\n\n{deep}\n")), Some((3, 40)));
        assert_eq!(too_deep(&format!("{}x", "> ".repeat(32))), None);
    }

    #[test]
    fn sizes() {
        assert!(value(MAX_VALUE_BYTES).is_none());
        assert!(value(MAX_VALUE_BYTES + 1).unwrap().contains("4097 bytes"));
        assert!(list(MAX_LIST_ITEMS + 1).is_some());
    }
}
