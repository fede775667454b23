//! The commands besides `build`: `check`, `init`, `lang`, `new`, `schema` and `serve`, and the terminal progress
//! bar of builds.

pub(crate) mod check;
pub(crate) mod init;
pub(crate) mod lang;
pub(crate) mod new;
pub(crate) mod progress;
pub(crate) mod schema;
pub(crate) mod serve;
