//! The terminal progress bar of a build (indicatif), drawn on its own thread from the build's
//! page counter ([`Progress`]), only on a terminal and only when a build runs longer than a
//! moment.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::build::Progress;

/// Builds shorter than this never show a bar.
const SHOW_AFTER: Duration = Duration::from_millis(700);
/// How often the bar is redrawn.
const TICK: Duration = Duration::from_millis(80);

/// A progress bar on stderr, drawn from a [`Progress`] by a background thread.
#[derive(Debug)]
pub(crate) struct Bar {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Bar {
    /// Starts drawing `progress` on stderr if stderr is a terminal; otherwise draws nothing.
    pub(crate) fn start(progress: Arc<Progress>) -> Bar {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = std::io::stderr().is_terminal().then(|| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || draw(&progress, &stop))
        });
        Bar { stop, thread }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn draw(progress: &Progress, stop: &AtomicBool) {
    let start = Instant::now();
    let mut bar: Option<ProgressBar> = None;
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(TICK);
        let (done, total) = progress.get();
        if bar.is_none() && start.elapsed() >= SHOW_AFTER && total > 0 {
            let style = ProgressStyle::with_template(
                "{spinner} rendering {bar:32} {pos}/{len} HTML pages ({rate}, {eta} left)",
            )
            .map(|s| {
                s.with_key(
                    "rate",
                    |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = w.write_str(&rate(state.per_sec()));
                    },
                )
            })
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            let b = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            b.set_style(style);
            bar = Some(b);
        }
        if let Some(b) = &bar {
            b.set_length(total as u64);
            b.set_position(done as u64);
        }
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
}

/// A rate as the bar shows it: whole pages per second (`1234 pages/s`; indicatif's own
/// `{per_sec}` prints `1234.5678/s`).
fn rate(per_sec: f64) -> String {
    if per_sec.is_finite() && per_sec >= 0.0 {
        format!("{per_sec:.0} pages/s")
    } else {
        "– pages/s".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_a_whole_number() {
        assert_eq!(rate(1234.5678), "1235 pages/s");
        assert_eq!(rate(0.4), "0 pages/s");
        assert_eq!(rate(12.0), "12 pages/s");
        assert_eq!(rate(f64::NAN), "– pages/s");
        assert_eq!(rate(f64::INFINITY), "– pages/s");
    }

    #[test]
    fn counts_and_never_reports_more_done_than_total() {
        let p = Progress::default();
        p.set_total(2);
        p.page_done();
        assert_eq!(p.get(), (1, 2));
        p.page_done();
        p.page_done();
        assert_eq!(p.get(), (3, 3));
        drop(Bar::start(Arc::new(p)));
    }
}
