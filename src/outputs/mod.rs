//! Outputs made without templates: the offline search index, feeds and sitemap, the data
//! exports, BibTeX citations and the offline zip.

pub mod bibtex;
pub mod bundle;
pub mod exports;
pub mod feeds;
pub mod search;
