//! The integration tests: one binary, so the shared helpers ([`common`]) compile once. Each
//! module covers one area; most build a small fixture site (`tests/fixtures/`) or the real one
//! and read the output back with real parsers, or run the `medfm` binary as a user would.

// The tests read the generator's own output, whose extensions are lower-case by construction.
#![allow(clippy::case_sensitive_file_extension_comparisons)]

mod architecture;
mod bilingual;
mod browser;
mod common;
mod content;
mod contributor;
mod discovery;
mod engine;
mod example_site;
mod grouping;
mod guide;
mod languages;
mod mistakes;
mod publishing;
mod robustness;
mod search;
mod site_yaml;
mod snapshots;
mod starter;
mod translations;
mod xss;
