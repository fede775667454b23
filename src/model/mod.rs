//! The content model: the site configuration, the front-matter schema, validation of pages
//! against both, and the site derived from the pages (order, taxonomies, lineage, related works).

pub mod config;
pub mod schema;
pub mod site;
pub mod validate;
