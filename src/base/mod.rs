//! The foundation every other layer uses: positioned diagnostics, partial dates, slugs,
//! front-matter splitting and YAML parsing with file positions, stable hashes, and the binary
//! record encoding of the caches.

pub mod date;
pub mod diagnostic;
pub mod frontmatter;
pub mod hash;
pub mod record;
pub mod slug;
pub mod timing;
pub mod url;
