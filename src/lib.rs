//! medfm: the static site generator behind MedFM Atlas, a bilingual, offline-browsable review of
//! the medical foundation models of 2024.
//!
//! Pipeline: [`config`] and [`content`] are loaded and [`validate`]d, the [`site`] model is
//! derived, then [`render`] turns [`markdown`] bodies and Tera templates into pages that
//! [`output`] writes atomically. [`build`] runs the phases; [`cli`] parses arguments.

pub mod build;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod frontmatter;
pub mod highlight;
pub mod markdown;
pub mod output;
pub mod render;
pub mod schema;
pub mod site;
pub mod slug;
pub mod validate;
pub mod views;

pub use cli::run;
