//! Markup: Markdown bodies rendered to HTML with highlighted code, and their links resolved.

pub(crate) mod external;
pub mod highlight;
pub(crate) mod links;
pub mod markdown;
