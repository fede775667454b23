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

/// The longest page name made from text (a free term's page), in bytes: file systems allow 255
/// per name, and the page also gets `.html`.
pub(crate) const MAX_PAGE_NAME_BYTES: usize = 100;

/// The page name of a free term: its [`slugify`]d text, or for a text too long for a file name
/// its first 80 bytes (at a character boundary) and 16 hex digits of a hash of the whole slug,
/// so that long names stay distinct and every build names them the same.
pub(crate) fn page_name(text: &str) -> String {
    let slug = slugify(text);
    if slug.len() <= MAX_PAGE_NAME_BYTES {
        return slug;
    }
    let mut cut = 80;
    while !slug.is_char_boundary(cut) {
        cut -= 1;
    }
    let hash = xxhash_rust::xxh3::xxh3_64(slug.as_bytes());
    format!("{}-{hash:016x}", slug[..cut].trim_end_matches('-'))
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
    /// Takes `id` as written by the author (`{#id}`); false when the page already has it.
    pub(crate) fn reserve(&mut self, id: &str) -> bool {
        if self.seen.contains_key(id) {
            return false;
        }
        self.seen.insert(id.to_string(), 0);
        true
    }

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
    fn long_names_are_cut_and_stay_distinct() {
        let a = page_name(&"Department of Radiology ".repeat(8));
        let b = page_name(&"Department of Radiology ".repeat(9));
        assert!(
            a.len() <= MAX_PAGE_NAME_BYTES && b.len() <= MAX_PAGE_NAME_BYTES,
            "{a}"
        );
        assert!(a.starts_with("department-of-radiology-department"), "{a}");
        assert_ne!(a, b);
        assert_eq!(a, page_name(&"Department of Radiology ".repeat(8)));
        let cjk = page_name(&"放射科".repeat(40));
        assert!(cjk.len() <= MAX_PAGE_NAME_BYTES && cjk.is_char_boundary(cjk.len() - 17));
        assert_eq!(page_name("Nature Medicine"), "nature-medicine");
    }

    #[test]
    fn file_slugs() {
        assert!(is_valid_file_slug("mmed-llama-3"));
        assert!(!is_valid_file_slug("../x"));
        assert!(!is_valid_file_slug("MedSAM"));
    }
}
