//! medfm: the static site generator behind MedFM Atlas, a bilingual, offline-browsable review of
//! the medical foundation models of 2024.
//!
//! Pipeline: [`config`] and [`content`] are loaded and [`validate`]d, the [`site`] model is
//! derived, then [`render`] turns [`markdown`] bodies and Tera templates into pages that
//! [`output`] writes atomically. [`build`] runs the phases; [`cli`] parses arguments.

pub mod bibtex;
pub mod build;
pub mod bundle;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod exports;
pub mod feeds;
pub mod frontmatter;
pub mod guard;
pub mod highlight;
pub mod http;
pub mod incremental;
pub mod lineage;
pub mod links;
pub mod markdown;
pub mod meta;
pub mod output;
pub mod print;
pub mod progress;
pub mod publish;
pub mod record;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod schema_doc;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod table;
pub mod validate;
pub mod views;

pub use cli::run;
