//! medfm: a static site generator for offline-browsable review sites — one Markdown page per
//! entry with YAML front matter, a content model declared in `site.yaml`, Tera templates — and
//! the generator behind MedFM Atlas, a bilingual review of the medical foundation models of 2024.
//!
//! The crate is layered; each folder may use the folders listed before it, never those after
//! (`tests/architecture.rs` checks it, and that no modules import each other in a cycle):
//!
//! - [`base`]: diagnostics, dates, slugs, front-matter splitting, hashes, binary records;
//! - `model`: the site configuration with its declared content model, parsing and validation
//!   of pages, and the derived site;
//! - [`load`]: reading the project, once;
//! - `write`: the staging folder (the only place that writes the site) and the page cache;
//! - [`markup`]: Markdown, code highlighting and link resolution;
//! - `view`: the data templates receive (cards, terms, the table, the lineage drawings);
//! - [`outputs`]: files made without templates (search index, feeds, exports, citations, zip);
//! - `render`: pages rendered through Tera templates, head metadata, the print view;
//! - [`build`]: the one pipeline of `build`, `check` and `serve`;
//! - `commands`: `check`, `new`, `init`, `schema`, `serve`; `cli` parses arguments.
//!
//! The public items are what the `medfm`, `floor` binaries, the tests and the fuzz target use.

#![warn(unreachable_pub, missing_docs)]

pub mod base;
pub mod build;
mod cli;
mod commands;
pub mod load;
pub mod markup;
mod model;
pub mod outputs;
mod render;
mod view;
mod write;

pub use cli::run;
pub use write::page_index::{IndexEntry, PageIndex, Slot, Span};
