//! Outputs made without templates: the offline search index, feeds and sitemap, the data
//! exports, BibTeX citations, the offline zip, and the scripts every site gets.

pub(crate) mod assets;
pub(crate) mod bibtex;
pub(crate) mod bundle;
pub(crate) mod exports;
pub(crate) mod feeds;
pub(crate) mod search;
