//! A time bound on template renders. Tera has no loop limit and a site's templates run once per
//! page, so a template could hang the build with an endless or enormous loop. (Recursion, the
//! other way a template can run away, is refused when the templates are loaded: see
//! [`super::recursion`].)
//!
//! [`TemplateGuard`] times every render. When one page's template runs longer than the budget,
//! its watchdog thread removes the build's staging folders and reports the template and the page
//! to whoever waits for the build ([`Overdue`] through [`TemplateGuard::overdue`]). Tera cannot
//! be interrupted: the runaway render keeps a thread busy until the process ends, which is why
//! the waiting side (see [`crate::build::supervised`]) returns the error instead of waiting for
//! the build, and the command-line program then exits. The previous site is untouched, because
//! the staging folder is never committed.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::base::diagnostic::Diagnostic;

/// Longest one page's template may run before the build is stopped.
pub(crate) const DEFAULT_BUDGET: Duration = Duration::from_secs(20);
/// Environment variable overriding [`DEFAULT_BUDGET`], in seconds (used by tests).
pub(crate) const BUDGET_ENV: &str = "MEDFM_TEMPLATE_TIMEOUT";

/// A render that ran past the budget.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Overdue {
    /// The template.
    pub(crate) template: String,
    /// The page being rendered.
    pub(crate) url: String,
    /// The budget, in seconds.
    pub(crate) budget_secs: f64,
}

impl Overdue {
    /// The error to report, located at the template.
    pub(crate) fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(
            format!("templates/{}", self.template),
            0,
            0,
            format!(
                "rendering {} took longer than {} s; stopped",
                self.url, self.budget_secs
            ),
        )
        .with_hint(format!(
            "look for a loop that never ends or grows too large in templates/{} (or a template it includes)",
            self.template
        ))
    }
}

/// Renders in flight: id → (start, template, page).
#[derive(Debug, Default)]
struct State {
    running: HashMap<u64, (Instant, String, String)>,
    next: u64,
    stop: bool,
}

#[derive(Default)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    cleanup: Mutex<Vec<PathBuf>>,
    report: Mutex<Option<Report>>,
}

/// What is told of an overdue render.
type Report = Box<dyn FnOnce(Overdue) + Send>;

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Times template renders and reports one that runs past the budget (see the module
/// documentation). The watchdog thread starts with the first render and stops on drop.
pub(crate) struct TemplateGuard {
    budget: Duration,
    shared: Arc<Shared>,
    thread: OnceLock<JoinHandle<()>>,
}

impl std::fmt::Debug for TemplateGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TemplateGuard")
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

impl Default for TemplateGuard {
    fn default() -> Self {
        let budget = std::env::var(BUDGET_ENV)
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s > 0.0)
            .map_or(DEFAULT_BUDGET, Duration::from_secs_f64);
        TemplateGuard::new(budget)
    }
}

/// A render being timed; dropping it ends the timing.
pub(crate) struct Ticket<'a> {
    guard: &'a TemplateGuard,
    id: u64,
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.guard.shared.lock().running.remove(&self.id);
    }
}

impl TemplateGuard {
    /// A guard allowing `budget` per render.
    pub(crate) fn new(budget: Duration) -> Self {
        TemplateGuard {
            budget,
            shared: Arc::default(),
            thread: OnceLock::new(),
        }
    }

    /// Who is told of an overdue render (once: the watchdog stops after reporting one).
    pub(crate) fn on_overdue(&self, report: impl FnOnce(Overdue) + Send + 'static) {
        *self
            .shared
            .report
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Box::new(report));
    }

    /// The folders removed when a render is overdue (the build's staging and scratch folders).
    pub(crate) fn set_cleanup(&self, dirs: Vec<PathBuf>) {
        *self
            .shared
            .cleanup
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = dirs;
    }

    /// Starts timing the render of `template` for page `url`.
    pub(crate) fn watch(&self, template: &str, url: &str) -> Ticket<'_> {
        self.thread
            .get_or_init(|| spawn_watchdog(Arc::clone(&self.shared), self.budget));
        let mut state = self.shared.lock();
        let id = state.next;
        state.next += 1;
        state
            .running
            .insert(id, (Instant::now(), template.to_string(), url.to_string()));
        Ticket { guard: self, id }
    }
}

impl Drop for TemplateGuard {
    fn drop(&mut self) {
        self.shared.lock().stop = true;
        self.shared.wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn spawn_watchdog(shared: Arc<Shared>, budget: Duration) -> JoinHandle<()> {
    let tick = (budget / 10).clamp(Duration::from_millis(10), Duration::from_millis(250));
    std::thread::spawn(move || loop {
        let state = shared.lock();
        let (state, _) = shared
            .wake
            .wait_timeout(state, tick)
            .unwrap_or_else(PoisonError::into_inner);
        if state.stop {
            return;
        }
        let overdue = state
            .running
            .values()
            .filter(|(start, _, _)| start.elapsed() > budget)
            .min_by_key(|(start, _, _)| *start)
            .cloned();
        drop(state);
        if let Some((_, template, url)) = overdue {
            report(&shared, template, url, budget);
            return;
        }
    })
}

/// Removes the staging folders and hands the overdue render to whoever waits for the build.
fn report(shared: &Shared, template: String, url: String, budget: Duration) {
    let dirs = std::mem::take(
        &mut *shared
            .cleanup
            .lock()
            .unwrap_or_else(PoisonError::into_inner),
    );
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
    let overdue = Overdue {
        template,
        url,
        budget_secs: budget.as_secs_f64(),
    };
    let report = shared
        .report
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    if let Some(report) = report {
        report(overdue);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overdue_render_is_reported_and_its_folders_removed() {
        let dir = tempfile::tempdir().unwrap();
        let staging = dir.path().join("staging");
        std::fs::create_dir(&staging).unwrap();
        let guard = TemplateGuard::new(Duration::from_millis(50));
        let (send, receive) = std::sync::mpsc::channel();
        guard.on_overdue(move |o| send.send(o).unwrap());
        guard.set_cleanup(vec![staging.clone()]);
        let _slow = guard.watch("loop.html", "models/x.html");
        let overdue = receive.recv_timeout(Duration::from_secs(600)).unwrap();
        assert_eq!(overdue.template, "loop.html");
        assert_eq!(overdue.url, "models/x.html");
        assert!(!staging.exists());
        let d = overdue.diagnostic();
        assert!(d
            .message
            .starts_with("rendering models/x.html took longer than 0.05 s"));
    }

    #[test]
    fn finished_renders_are_never_reported() {
        let guard = TemplateGuard::new(Duration::from_millis(20));
        let (send, receive) = std::sync::mpsc::channel();
        guard.on_overdue(move |o| send.send(o).unwrap());
        for _ in 0..100 {
            let _t = guard.watch("x.html", "x.html");
        }
        assert!(guard.shared.lock().running.is_empty());
        // The watchdog runs (its first tick is after 10 ms) and finds nothing overdue.
        std::thread::sleep(Duration::from_millis(100));
        assert!(receive.try_recv().is_err());
    }
}
