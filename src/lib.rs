//! medfm: a static site generator for offline-browsable review sites — one Markdown page per
//! entry with YAML front matter, a content model declared in `site.yaml`, Tera templates — and
//! the generator behind MedFM Atlas, a bilingual review of the medical foundation models of 2024.
//!
//! The crate is layered; each folder may use the folders listed before it, never those after
//! (`tests/architecture.rs` checks it, and that no modules import each other in a cycle):
//!
//! - `base`: diagnostics, dates, slugs, front-matter splitting, hashes, binary records;
//! - `model`: the site configuration with its declared content model, parsing and validation
//!   of pages, and the derived site;
//! - `templates`: the Tera adapter, the only module that names Tera: loading the templates,
//!   rendering one under the watchdog, locating its errors;
//! - `load`: reading the project, once;
//! - `write`: the staging folder (the only place that writes the site) and the page cache;
//! - `markup`: Markdown, code highlighting and link resolution;
//! - `view`: the data templates receive (cards, terms, the table, the lineage drawings);
//! - `outputs`: the files besides the pages (search index, feeds and sitemap, exports,
//!   citations, zip);
//! - `render`: pages rendered through Tera templates, head metadata, the print view;
//! - `build`: the one pipeline of `build`, `check` and `serve`;
//! - `commands`: `check`, `new`, `init`, `schema`, `serve`; `cli` parses arguments.
//!
//! Every module is private: the public items, re-exported below, are what the `medfm` and `floor`
//! binaries, the integration tests and the fuzz targets use; everything else is `pub(crate)`.

#![warn(unreachable_pub, missing_docs)]

mod base;
mod build;
mod cli;
mod commands;
mod load;
mod markup;
mod model;
mod outputs;
mod render;
mod templates;
mod view;
mod write;

// The command line: what `main.rs` calls.
pub use cli::run;

// Building a project in-process (tests), and how a run stops.
pub use base::diagnostic::{Diagnostic, Diagnostics, Severity};
pub use base::failure::Failure;
pub use build::{build, build_with, BuildOptions, BuildReport, SiteCount};
pub use load::Project;

// One page through everything but the templates (the `page` fuzz target).
pub use build::{OnePage, PageChecker};
// The page cache file's layout (the `page_cache` fuzz target).
pub use write::page_index::{IndexEntry, PageIndex, Slot, Span};

// What the tests read pages and the built site with, exactly as the build does.
pub use base::date::{optional_date, PartialDate};
pub use base::frontmatter::{parse as parse_front_matter, split as split_front_matter, strip_bom};
pub use base::slug::slugify;
pub use markup::markdown::percent_decode;
pub use outputs::search::encode::read_script;
pub use outputs::search::tokenize::query_tokens;

// The floor benchmark (`src/bin/floor.rs`): the same Markdown options and highlighter.
pub use markup::highlight::{escape as escape_code, highlight_block};
pub use markup::markdown::parser_options;
