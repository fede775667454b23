//! Why a command stopped, typed: problems found in the project (printed compiler style, each
//! command saying what it then did not do), or anything else (an unreadable folder, a full disk),
//! printed with its context. Commands match on it instead of downcasting an `anyhow::Error`.

use std::fmt;

use crate::base::diagnostic::Diagnostics;

/// Why a run stopped.
#[derive(Debug)]
pub enum Failure {
    /// Every problem found in the project: content, `site.yaml`, templates.
    Found(Diagnostics),
    /// Anything else, with its context.
    Other(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(err: anyhow::Error) -> Self {
        Failure::Other(err)
    }
}

impl From<Diagnostics> for Failure {
    fn from(found: Diagnostics) -> Self {
        Failure::Found(found)
    }
}

impl From<std::io::Error> for Failure {
    fn from(err: std::io::Error) -> Self {
        Failure::Other(err.into())
    }
}

impl fmt::Display for Failure {
    /// The diagnostics, or `error: ` and the error with its context.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Found(found) => write!(f, "{found}"),
            Failure::Other(err) => write!(f, "error: {err:#}"),
        }
    }
}

impl std::error::Error for Failure {}

/// A result whose error is a [`Failure`].
pub(crate) type Outcome<T> = Result<T, Failure>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostic::Diagnostic;

    #[test]
    fn findings_print_as_diagnostics_and_other_errors_with_their_context() {
        let found = Failure::from(Diagnostics(vec![Diagnostic::error("a.md", 1, 1, "bad")]));
        assert!(found.to_string().starts_with("a.md:1:1: error: bad"));
        let other = Failure::from(anyhow::anyhow!("disk full").context("writing x"));
        assert_eq!(other.to_string(), "error: writing x: disk full");
    }
}
