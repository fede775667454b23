//! Writing: the staging folder every output goes through (swapped into place at the end of a
//! build), the page cache that lets the next build reuse pages whose body alone changed, and the
//! context cache that lets it skip the pages a front-matter edit leaves unchanged.

pub(crate) mod contexts;
pub(crate) mod incremental;
pub(crate) mod page_index;
pub(crate) mod staging;
