//! Outputs made without templates: the offline search index, feeds and sitemap, the data
//! exports, BibTeX citations and the offline zip.

pub(crate) mod bibtex;
pub(crate) mod bundle;
pub(crate) mod exports;
pub(crate) mod feeds;
pub mod search;
