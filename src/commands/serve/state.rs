//! The state `medfm serve`'s watcher and request handlers share: the two site folders, the
//! outcome of the latest build, and the rebuild that updates both.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use crate::build;
use crate::load::Project;

/// The state shared by the watcher and the request handlers.
pub(super) struct Shared {
    /// The project built.
    pub(super) project: Project,
    /// Two folders used in turn: one is served while the next build fills the other, so a
    /// request never meets a site being replaced.
    pub(super) sites: [PathBuf; 2],
    /// The outcome of the latest build.
    pub(super) status: Mutex<Status>,
    /// Print every request.
    pub(super) verbose: bool,
    /// Build drafts too.
    pub(super) drafts: bool,
}

/// The outcome of the latest build.
#[derive(Debug, Clone, Default)]
pub(super) struct Status {
    /// Incremented by every build, failed or not.
    pub(super) version: u64,
    /// The diagnostics of a failed build, as printed in the terminal.
    pub(super) error: Option<String>,
    /// Index (into `Shared::sites`) of the folder served: the latest successful build.
    pub(super) current: usize,
}

impl Shared {
    /// The outcome of the latest build.
    pub(super) fn status(&self) -> Status {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Builds the site; reports the outcome in the terminal and to the pages.
    pub(super) fn rebuild(&self) {
        let start = Instant::now();
        let current = self.status().current;
        let next = 1 - current;
        // The newest site is the one being served: unchanged pages are linked from it.
        let options = build::BuildOptions {
            reuse_from: Some(self.sites[current].clone()),
            drafts: self.drafts,
            ..Default::default()
        };
        let result = build::build_with(&self.project, &self.sites[next], options);
        let outcome = match result {
            Ok(report) => {
                for w in &report.warnings.0 {
                    eprintln!("{w}");
                }
                let ms = start.elapsed().as_secs_f64() * 1000.0;
                eprintln!("built {} in {ms:.0} ms ({})", report.count, report.notes());
                Ok(())
            }
            Err(err) => {
                let text = err.to_string();
                eprintln!(
                    "{text}\nbuild failed: the pages show the errors until a change fixes them"
                );
                Err(text)
            }
        };
        let mut status = self.status.lock().unwrap_or_else(PoisonError::into_inner);
        status.version += 1;
        match outcome {
            Ok(()) => {
                status.current = next;
                status.error = None;
            }
            Err(text) => status.error = Some(text),
        }
    }
}
