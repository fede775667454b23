//! The foundation every other layer uses: positioned diagnostics, partial dates, slugs,
//! front-matter splitting and YAML parsing with file positions, the heading outline of a Markdown
//! body, stable hashes, phase timings, site-relative URLs, and the binary record encoding of the
//! caches.

pub mod date;
pub mod diagnostic;
pub mod failure;
pub mod frontmatter;
pub(crate) mod hash;
pub mod outline;
pub(crate) mod record;
pub mod slug;
pub mod timing;
pub(crate) mod url;
