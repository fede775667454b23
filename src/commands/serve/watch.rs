//! Noticing changes to the sources of `medfm serve`, which then rebuilds.
//!
//! Changes are noticed through the operating system's change events (`notify`, debounced by
//! `notify-debouncer-full`): the three folders recursively, and the project root without its
//! subfolders, filtered to the two files, so a file created later or replaced by an editor's
//! rename-on-save counts. Reads (the build's own among them) are no changes. `--poll`, or a
//! watcher that cannot start, falls back to comparing every watched file's size and
//! modification time 10 times a second ([`POLL_INTERVAL`]), for file systems without change
//! events.

use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, SystemTime};

use notify_debouncer_full::notify::{self, event::ModifyKind, EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};
use walkdir::WalkDir;

use super::state::Shared;
use crate::load::Project;
use crate::model::citation::CITATION_FILE;
/// How `serve` notices changes to the sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Watch {
    /// The operating system's change events; polling at [`POLL_INTERVAL`] if they cannot be had.
    Events,
    /// Compare every watched file's size and modification time at this interval.
    Poll(Duration),
}

/// How often `--poll` (and the fallback for a watcher that cannot start) checks the sources.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// How long change events are held back and merged (per path) before they make a rebuild; the
/// events of a save, and any that come during a build, make one rebuild. The poller waits as
/// long after noticing a change.
const DEBOUNCE: Duration = Duration::from_millis(50);

/// Rebuilds whenever the watched files change, until the process ends.
pub(super) fn watch(shared: &Shared, how: Watch) {
    let interval = match how {
        Watch::Poll(interval) => interval,
        Watch::Events => {
            let Err(e) = watch_events(shared);
            eprintln!(
                "warning: cannot watch for change events ({e}); checking the files every {} ms \
                 instead (as with --poll)",
                POLL_INTERVAL.as_millis()
            );
            POLL_INTERVAL
        }
    };
    poll(shared, interval);
}

/// The watched folders and files of `project`: folders first.
fn watched(project: &Project) -> ([PathBuf; 3], [PathBuf; 2]) {
    (
        [
            project.content_dir(),
            project.templates_dir(),
            project.static_dir(),
        ],
        [project.config_path(), project.root.join(CITATION_FILE)],
    )
}

/// Rebuilds on the operating system's change events until the process ends; returns only when
/// watching cannot start or stops working.
fn watch_events(shared: &Shared) -> Result<std::convert::Infallible, notify::Error> {
    // Events name paths under the watched path as given: a canonical root makes them comparable.
    let root = shared
        .project
        .root
        .canonicalize()
        .unwrap_or_else(|_| shared.project.root.clone());
    let project = Project::new(root);
    let (folders, _) = watched(&project);
    let (sender, events) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, sender)?;
    // The root alone: site.yaml and CITATION.cff whether or not they exist yet, and the folders
    // appearing (then watched in turn).
    debouncer.watch(&project.root, RecursiveMode::NonRecursive)?;
    for folder in folders.iter().filter(|f| f.is_dir()) {
        debouncer.watch(folder, RecursiveMode::Recursive)?;
    }
    loop {
        let batch = events
            .recv()
            .map_err(|_| notify::Error::generic("the watcher stopped"))?;
        // Events that came meanwhile (during a build, say) make the same rebuild.
        let mut changed = false;
        for batch in std::iter::once(batch).chain(events.try_iter()) {
            let batch = match batch {
                Ok(batch) => batch,
                Err(errors) => {
                    for e in errors {
                        eprintln!("warning: watching for changes: {e}");
                    }
                    continue;
                }
            };
            for event in batch {
                changed |= is_change(&project, &event);
                // A watched folder created, or moved into place, after the start.
                let appeared = matches!(
                    event.kind,
                    EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))
                );
                for folder in folders.iter().filter(|f| event.paths.contains(f)) {
                    if appeared && folder.is_dir() {
                        if let Err(e) = debouncer.watch(folder, RecursiveMode::Recursive) {
                            eprintln!("warning: cannot watch {}: {e}", folder.display());
                        }
                    }
                }
            }
        }
        if changed {
            eprintln!("change detected, rebuilding");
            shared.rebuild();
        }
    }
}

/// Whether `event` may change the site: anything but a read, on a path inside a watched folder
/// or on a watched file (or a rescan, when the system dropped events).
fn is_change(project: &Project, event: &notify::Event) -> bool {
    if event.need_rescan() {
        return true;
    }
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    let (folders, files) = watched(project);
    event
        .paths
        .iter()
        .any(|path| folders.iter().any(|f| path.starts_with(f)) || files.iter().any(|f| path == f))
}

/// Rebuilds whenever the fingerprint of the watched files changes, checking every `interval`,
/// until the process ends.
fn poll(shared: &Shared, interval: Duration) {
    let mut last = fingerprint(&shared.project);
    loop {
        thread::sleep(interval);
        let now = fingerprint(&shared.project);
        if now == last {
            continue;
        }
        // Let a save that touches several files settle, then build what is there.
        thread::sleep(interval.min(DEBOUNCE));
        last = fingerprint(&shared.project);
        eprintln!("change detected, rebuilding");
        shared.rebuild();
    }
}

/// Path, modification time and size of every watched file, sorted.
fn fingerprint(project: &Project) -> Vec<(PathBuf, Option<SystemTime>, u64)> {
    let mut files = Vec::new();
    let (folders, watched_files) = watched(project);
    for root in folders.into_iter().chain(watched_files) {
        for entry in WalkDir::new(root)
            .follow_links(false)
            .into_iter()
            .filter_map(|e| e.ok())
        {
            if let Ok(meta) = entry.metadata() {
                files.push((entry.path().to_path_buf(), meta.modified().ok(), meta.len()));
            }
        }
    }
    files.sort();
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_writes_to_watched_folders_and_files() {
        use notify::event::{
            AccessKind, AccessMode, CreateKind, DataChange, Flag, ModifyKind, RemoveKind,
            RenameMode,
        };
        let project = Project::new("/p");
        let change = |kind: EventKind, paths: &[&str]| {
            let event = paths
                .iter()
                .fold(notify::Event::new(kind), |e, p| e.add_path(p.into()));
            is_change(&project, &event)
        };
        let write = EventKind::Modify(ModifyKind::Data(DataChange::Any));
        let renamed = EventKind::Modify(ModifyKind::Name(RenameMode::Both));
        assert!(change(write, &["/p/content/models/a.md"]));
        assert!(change(write, &["/p/templates/page.html"]));
        assert!(change(
            EventKind::Remove(RemoveKind::File),
            &["/p/static/x.css"]
        ));
        assert!(change(
            EventKind::Create(CreateKind::File),
            &["/p/CITATION.cff"]
        ));
        assert!(change(renamed, &["/p/.site.yaml.swp", "/p/site.yaml"]));
        assert!(change(renamed, &["/p/content/a.md", "/p/drafts/a.md"]));
        // Reads, the build's own included, change nothing.
        let open = EventKind::Access(AccessKind::Open(AccessMode::Any));
        assert!(!change(open, &["/p/content/models/a.md"]));
        assert!(!change(open, &["/p/site.yaml"]));
        for other in [
            "/p/site.yaml~",
            "/p/notes.txt",
            "/p/.medfm-cache/highlight.bin",
            "/p/public/index.html",
            "/p/contents/a.md",
        ] {
            assert!(!change(write, &[other]), "{other}");
        }
        let rescan = notify::Event::new(EventKind::Other).set_flag(Flag::Rescan);
        assert!(is_change(&project, &rescan), "events were lost");
    }
}
