//! Reading the project: the content tree, parsed into pages.

pub mod content;
