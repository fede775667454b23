//! The content model: the site configuration with its declared schema, the values pages give
//! their fields, parsing and validation of pages, and the site derived from them (order,
//! taxonomies, related entries, the lineage graph, publications to cite).

pub mod citation;
pub mod config;
pub mod lineage;
pub mod page;
pub mod parse;
pub mod schema;
pub mod site;
pub mod validate;
pub mod value;
