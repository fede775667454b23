//! The foundation every other layer uses: positioned diagnostics, partial dates, slugs, escaping,
//! front-matter splitting and YAML parsing with file positions, the heading outline of a Markdown
//! body, stable hashes, phase timings, site-relative URLs, and the binary record encoding of the
//! caches.

pub(crate) mod cite;
pub(crate) mod date;
pub(crate) mod diagnostic;
pub(crate) mod escape;
pub(crate) mod failure;
pub(crate) mod feed;
pub(crate) mod frontmatter;
pub(crate) mod hash;
pub(crate) mod outline;
pub(crate) mod record;
pub(crate) mod slug;
pub(crate) mod timing;
pub(crate) mod url;
