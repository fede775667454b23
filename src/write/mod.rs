//! Writing: the staging folder every output goes through (swapped into place at the end of a
//! build) and the page cache that lets the next build reuse unchanged pages.

pub(crate) mod incremental;
pub(crate) mod page_index;
pub(crate) mod staging;
