//! medfm: the static site generator behind MedFM Atlas, a bilingual, offline-browsable review of
//! the medical foundation models of 2024.
//!
//! The crate is layered; each folder may use the folders listed before it, never those after:
//!
//! - [`base`]: diagnostics, slugs, front-matter splitting, binary records;
//! - [`model`]: the site configuration, the content schema, validation and the derived site;
//! - [`load`]: reading the project (content files);
//! - [`write`]: the staging folder (the only place that writes the site) and the page cache;
//! - [`markup`]: Markdown, code highlighting and link resolution;
//! - [`view`]: the data templates receive (cards, terms, the table, the lineage drawings);
//! - [`outputs`]: files made without templates (search index, feeds, exports, citations, zip);
//! - [`render`]: pages rendered through Tera templates, head metadata, the print view;
//! - [`build`]: the build pipeline, phase by phase;
//! - [`commands`]: `check`, `new`, `schema`, `serve`; [`cli`] parses arguments.

pub mod base;
pub mod build;
pub mod cli;
pub mod commands;
pub mod load;
pub mod markup;
pub mod model;
pub mod outputs;
pub mod render;
pub mod view;
pub mod write;

pub use cli::run;
