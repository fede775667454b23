//! Markup: Markdown bodies rendered to HTML with highlighted code, and their links resolved.

pub mod highlight;
pub(crate) mod links;
pub mod markdown;
