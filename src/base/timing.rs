//! Timing of named build phases (`medfm build --timings`): wall time, and the process's peak
//! memory when each phase ended.

use std::time::{Duration, Instant};

/// Time spent in each phase of a build.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<PhaseTiming>);

/// One phase of a build: how long it took and the process's peak memory when it ended.
#[derive(Debug, Clone)]
pub struct PhaseTiming {
    /// Phase name, as `--timings` prints it.
    pub name: &'static str,
    /// Wall time of the phase.
    pub elapsed: Duration,
    /// Peak resident memory of the process so far, in KiB (where the platform reports it).
    pub peak_kib: Option<u64>,
    /// For work done inside another phase on several threads: what it is. `elapsed` is then
    /// CPU time summed over the threads, not wall time.
    pub within: Option<&'static str>,
}

impl Timings {
    /// Runs phase `name` and records its time.
    pub fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let (out, timing) = timed(name, f);
        self.0.push(timing);
        out
    }

    /// Records `cpu`, time spent by several threads on part `name` of the phase `within`.
    pub fn part(&mut self, name: &'static str, within: &'static str, cpu: Duration) {
        self.0.push(PhaseTiming {
            name,
            elapsed: cpu,
            peak_kib: None,
            within: Some(within),
        });
    }

    /// Runs two independent phases side by side (on the thread pool) and times each.
    pub fn time_pair<A: Send, B: Send>(
        &mut self,
        (name_a, a): (&'static str, impl FnOnce() -> A + Send),
        (name_b, b): (&'static str, impl FnOnce() -> B + Send),
    ) -> (A, B) {
        let ((out_a, timing_a), (out_b, timing_b)) =
            rayon::join(|| timed(name_a, a), || timed(name_b, b));
        self.0.extend([timing_a, timing_b]);
        (out_a, out_b)
    }
}

/// Runs phase `name` and measures it.
pub(crate) fn timed<T>(name: &'static str, f: impl FnOnce() -> T) -> (T, PhaseTiming) {
    let start = Instant::now();
    let out = f();
    let timing = PhaseTiming {
        name,
        elapsed: start.elapsed(),
        peak_kib: peak_memory_kib(),
        within: None,
    };
    (out, timing)
}

/// The process's peak resident set size (`VmHWM` in `/proc/self/status`), where there is one.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
