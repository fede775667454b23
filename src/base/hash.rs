//! Stable hashes for cache keys: XXH3 (64-bit) over explicitly framed bytes, so a key depends
//! only on the data and this code — not on the Rust release (`std`'s `DefaultHasher` may change
//! between releases) or on how `std` happens to feed a type to a hasher.

use xxhash_rust::xxh3::Xxh3;

/// Builds a key from fields, each written with its length so that `("ab", "c")` and
/// `("a", "bc")` differ.
#[derive(Clone, Default)]
pub(crate) struct StableHasher(Xxh3);

impl StableHasher {
    /// An empty hasher.
    pub(crate) fn new() -> Self {
        StableHasher(Xxh3::new())
    }

    /// Adds `bytes` as one field.
    pub(crate) fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
        self
    }

    /// Adds `text` as one field.
    pub(crate) fn str(&mut self, text: &str) -> &mut Self {
        self.bytes(text.as_bytes())
    }

    /// Adds a number as one field.
    pub(crate) fn u64(&mut self, n: u64) -> &mut Self {
        self.bytes(&n.to_le_bytes())
    }

    /// The key.
    pub(crate) fn finish(&self) -> u64 {
        self.0.digest()
    }
}

/// The key of a list of text fields.
pub(crate) fn key_of(fields: &[&str]) -> u64 {
    let mut h = StableHasher::new();
    for f in fields {
        h.str(f);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_framed_and_keys_are_stable() {
        assert_ne!(key_of(&["ab", "c"]), key_of(&["a", "bc"]));
        assert_eq!(key_of(&["zh", "body"]), key_of(&["zh", "body"]));
        // XXH3 is a fixed algorithm: this value must never change.
        assert_eq!(key_of(&[]), xxhash_rust::xxh3::xxh3_64(b""));
    }
}
