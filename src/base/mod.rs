//! The foundation every other layer uses: positioned diagnostics, slugs, front-matter splitting
//! and YAML parsing with file positions, and the binary record encoding of the caches.

pub mod diagnostic;
pub mod frontmatter;
pub mod record;
pub mod slug;
