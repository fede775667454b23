//! The content model: the site configuration with its declared schema, the values pages give
//! their fields, parsing and validation of pages (translations compared with their source), and the site derived from them (order,
//! taxonomies, related entries, the lineage graph, publications to cite).

pub(crate) mod bibliography;
pub(crate) mod citation;
pub(crate) mod citations;
pub(crate) mod config;
pub(crate) mod cycles;
pub(crate) mod id;
pub(crate) mod languages;
pub(crate) mod limits;
pub(crate) mod lineage;
pub(crate) mod names;
pub(crate) mod page;
pub(crate) mod parse;
pub(crate) mod references;
pub(crate) mod schema;
pub(crate) mod site;
#[cfg(test)]
pub(crate) mod testing;
pub(crate) mod translation;
pub(crate) mod validate;
pub(crate) mod value;
