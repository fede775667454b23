//! The files besides the pages: the offline search index, the feeds, sitemap and `robots.txt`
//! (from templates a site may replace), the data exports, BibTeX citations, the offline zip,
//! and the scripts every site gets.

pub(crate) mod assets;
pub(crate) mod bibtex;
pub(crate) mod bundle;
pub(crate) mod exports;
pub(crate) mod feeds;
pub(crate) mod search;
