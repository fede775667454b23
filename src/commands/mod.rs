//! The commands besides `build`: `check`, `new`, `schema` and `serve`, and the terminal progress
//! bar of builds.

pub mod check;
pub mod new;
pub mod progress;
pub mod schema;
pub mod serve;
