//! Readable slugs for heading ids and taxonomy terms: CJK text is kept, ASCII is lower-cased,
//! everything else becomes `-`.

use std::collections::HashMap;

/// Slugifies `text`: letters and digits of any script are kept (ASCII lower-cased), runs of
/// anything else become one `-`, and leading/trailing dashes are dropped. May return "".
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.extend(c.to_lowercase());
        } else {
            pending_dash = true;
        }
    }
    out
}

/// True for a slug safe as a file name: ASCII lower-case letters, digits and inner dashes.
pub(crate) fn is_valid_file_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Hands out heading ids unique within one page: `概述`, `概述-1`, `概述-2`, …
#[derive(Debug, Default)]
pub(crate) struct IdAllocator {
    seen: HashMap<String, usize>,
}

impl IdAllocator {
    /// A unique id for a heading with text `text`.
    pub(crate) fn allocate(&mut self, text: &str) -> String {
        let base = match slugify(text) {
            s if s.is_empty() => "section".to_string(),
            s => s,
        };
        let mut candidate = base.clone();
        while let Some(n) = self.seen.get_mut(&candidate) {
            *n += 1;
            candidate = format!("{base}-{n}");
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_cjk_and_lowercases_ascii() {
        assert_eq!(slugify("在 2024 年脉络中的位置"), "在-2024-年脉络中的位置");
        assert_eq!(slugify("Key idea: SAM → MedSAM!"), "key-idea-sam-medsam");
        assert_eq!(slugify("Nature Medicine"), "nature-medicine");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn ids_are_unique_per_page() {
        let mut ids = IdAllocator::default();
        assert_eq!(ids.allocate("概述"), "概述");
        assert_eq!(ids.allocate("概述"), "概述-1");
        assert_eq!(ids.allocate("概述-1"), "概述-1-1");
        assert_eq!(ids.allocate("???"), "section");
    }

    #[test]
    fn file_slugs() {
        assert!(is_valid_file_slug("mmed-llama-3"));
        assert!(!is_valid_file_slug("../x"));
        assert!(!is_valid_file_slug("MedSAM"));
    }
}
