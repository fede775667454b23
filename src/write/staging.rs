//! The only module that writes the site to disk. A build is written into a staging folder beside
//! the output and swapped in at the end, so a failed build leaves the previous site untouched.
//! A discarding staging ([`Staging::discard`]) takes every write and keeps nothing: `medfm
//! check` runs the whole build through one.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

/// Marker file in every built site: only a folder holding it (or an empty one) is replaced.
pub(crate) const MARKER: &str = ".medfm-site";

/// A build in progress, written into a temporary folder beside the final output.
#[derive(Debug)]
pub(crate) struct Staging {
    final_dir: PathBuf,
    /// The site a build may reuse files of: the output folder itself unless
    /// [`Staging::reuse_from`] names another.
    previous: PathBuf,
    temp: PathBuf,
    /// Working files of the build that are not part of the site (e.g. print-view fragments),
    /// beside the staging folder and removed with it.
    scratch: PathBuf,
    committed: bool,
    /// True for a staging that writes nothing (see [`Staging::discard`]).
    discard: bool,
    /// Every file of the site written so far (`/`-separated, relative to the site root).
    written: Mutex<Vec<String>>,
    /// HTML pages this build wrote (rendered or copied), not linked from the previous site.
    html_written: AtomicUsize,
}

/// Where [`Staging::create`] writes: a file, or nowhere.
pub(crate) type PageWriter = Box<dyn io::Write + Send>;

impl Staging {
    /// Prepares a staging folder for `out` after refusing outputs that would overwrite sources:
    /// the project root, `content/`, `templates/`, `static/`, anything containing or inside them.
    pub(crate) fn begin(
        out: &Path,
        protected_root: &Path,
        protected: &[PathBuf],
    ) -> Result<Staging> {
        let final_dir = absolute(out)?;
        check_output_path(&final_dir, protected_root, protected)?;
        check_replaceable(&final_dir)?;
        let parent = final_dir.parent().context("output folder has no parent")?;
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        let name = final_dir
            .file_name()
            .context("output folder has no name")?
            .to_string_lossy();
        recover_dead_builds(parent, &name, &final_dir)?;
        let temp = parent.join(format!(".{name}.{STAGING}-{}", std::process::id()));
        let scratch = parent.join(format!(".{name}.{SCRATCH}-{}", std::process::id()));
        for dir in [&temp, &scratch] {
            if dir.exists() {
                fs::remove_dir_all(dir)
                    .with_context(|| format!("removing stale {}", dir.display()))?;
            }
        }
        fs::create_dir_all(&temp).with_context(|| format!("creating {}", temp.display()))?;
        let staging = Staging {
            previous: final_dir.clone(),
            final_dir,
            temp,
            scratch,
            committed: false,
            discard: false,
            written: Mutex::default(),
            html_written: Default::default(),
        };
        staging.write(MARKER, b"built by medfm\n")?;
        Ok(staging)
    }

    /// A staging that takes every write and keeps nothing, and has no previous site.
    pub(crate) fn discard() -> Staging {
        Staging {
            final_dir: PathBuf::new(),
            previous: PathBuf::new(),
            temp: PathBuf::new(),
            scratch: PathBuf::new(),
            committed: false,
            discard: true,
            written: Mutex::default(),
            html_written: Default::default(),
        }
    }

    /// Every HTML page written so far, as sorted `/`-separated paths inside the site.
    pub(crate) fn html_pages(&self) -> Vec<String> {
        let mut pages = self.files();
        pages.retain(|p| is_html(p));
        pages
    }

    /// Every file of the site written (or linked from the previous site) so far, as sorted
    /// `/`-separated paths inside the site, each once.
    pub(crate) fn files(&self) -> Vec<String> {
        let mut files = self
            .written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        files.sort();
        files.dedup();
        files
    }

    fn record(&self, rel: &str) {
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(rel.to_string());
    }

    /// Writes `bytes` at `rel` (a `/`-separated path inside the site). When the previous site
    /// has the same bytes at `rel`, its file is hard-linked instead: nothing is written, and an
    /// unchanged file keeps its identity and modification time (so a deploy can skip it).
    pub(crate) fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        let Some((path, previous)) = self.place(rel)? else {
            return Ok(());
        };
        self.count_written(rel);
        if holds(&previous, bytes) && fs::hard_link(&previous, &path).is_ok() {
            return Ok(());
        }
        fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))
    }

    /// Hard-links (or, where links are impossible, copies) the previous site's file at `rel`:
    /// a page this build found unchanged without rendering it (see [`super::contexts`]).
    pub(crate) fn link_previous(&self, rel: &str) -> Result<()> {
        let Some((path, previous)) = self.place(rel)? else {
            return Ok(());
        };
        if fs::hard_link(&previous, &path).is_ok() {
            return Ok(());
        }
        fs::copy(&previous, &path)
            .with_context(|| format!("copying {} to {}", previous.display(), path.display()))?;
        Ok(())
    }

    /// Opens `rel` inside the site for writing piece by piece (for pages too big to hold).
    pub(crate) fn create(&self, rel: &str) -> Result<PageWriter> {
        let Some((path, _)) = self.place(rel)? else {
            return Ok(Box::new(io::sink()));
        };
        self.count_written(rel);
        let file =
            fs::File::create(&path).with_context(|| format!("writing {}", path.display()))?;
        Ok(Box::new(io::BufWriter::with_capacity(1 << 16, file)))
    }

    /// How many HTML pages of the site were linked from the previous site, not rendered (see
    /// [`Staging::link_previous`] and [`Staging::link_unchanged`]).
    pub(crate) fn unrendered_pages(&self) -> usize {
        if self.discard {
            return 0;
        }
        let html = self.html_pages().len();
        html.saturating_sub(self.html_written.load(Ordering::Relaxed))
    }

    /// The folder the site is committed to.
    pub(crate) fn final_dir(&self) -> &Path {
        &self.final_dir
    }

    /// Reuses the files of the site in `dir` instead of the output folder's (for `serve`, whose
    /// newest site is in the other of its two folders).
    pub(crate) fn reuse_from(mut self, dir: &Path) -> Result<Staging> {
        self.previous = absolute(dir)?;
        Ok(self)
    }

    /// The site this build may reuse files of (see [`Staging::reuse_from`]).
    pub(crate) fn previous_dir(&self) -> &Path {
        &self.previous
    }

    /// True if the previous site's folder holds a site built by medfm (which a build may reuse
    /// files of).
    pub(crate) fn has_previous_site(&self) -> bool {
        !self.discard && self.previous.join(MARKER).is_file()
    }

    /// Hard-links (or, where links are impossible, copies) every file of the previous site that
    /// this build did not write: the pages a reusing build left unchanged. Returns how many.
    pub(crate) fn link_unchanged(&self) -> Result<usize> {
        if self.discard {
            return Ok(0);
        }
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&self.previous).follow_links(false) {
            let entry = entry.with_context(|| format!("reading {}", self.previous.display()))?;
            let rel = entry.path().strip_prefix(&self.previous)?.to_path_buf();
            if entry.file_type().is_dir() {
                // Parents come first in the walk.
                match fs::create_dir(self.temp.join(&rel)) {
                    Err(e) if e.kind() != io::ErrorKind::AlreadyExists => {
                        return Err(e).with_context(|| format!("creating {}", rel.display()));
                    }
                    _ => {}
                }
            } else if entry.file_type().is_file() {
                self.record(&rel.to_string_lossy().replace('\\', "/"));
                files.push(rel);
            }
        }
        let linked = files
            .par_iter()
            .map(|rel| {
                let (source, target) = (self.previous.join(rel), self.temp.join(rel));
                match fs::hard_link(&source, &target) {
                    Ok(()) => Ok(1),
                    // Written by this build.
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(0),
                    Err(_) => match fs::copy(&source, &target) {
                        Ok(_) => Ok(1),
                        Err(e) => Err(e).with_context(|| {
                            format!("copying {} to {}", source.display(), target.display())
                        }),
                    },
                }
            })
            .collect::<Result<Vec<usize>>>()?;
        Ok(linked.iter().sum())
    }

    /// The scratch folder (may not exist yet).
    pub(crate) fn scratch_dir(&self) -> &Path {
        &self.scratch
    }

    /// Creates the working file `rel` in the scratch folder (never part of the site) and
    /// returns its path.
    pub(crate) fn create_scratch(&self, rel: &str) -> Result<(fs::File, PathBuf)> {
        let path = self.scratch.join(checked_relative(rel)?);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        let file =
            fs::File::create(&path).with_context(|| format!("writing {}", path.display()))?;
        Ok((file, path))
    }

    /// Copies the file `src` to `rel` inside the site (a link to the previous site's file when
    /// that has the same bytes, as [`Staging::write`] does).
    pub(crate) fn copy(&self, rel: &str, src: &Path) -> Result<()> {
        let Some((path, previous)) = self.place(rel)? else {
            return Ok(());
        };
        self.count_written(rel);
        if same_contents(src, &previous) && fs::hard_link(&previous, &path).is_ok() {
            return Ok(());
        }
        fs::copy(src, &path)
            .with_context(|| format!("copying {} to {}", src.display(), path.display()))?;
        Ok(())
    }

    /// The staging folder (for reading back what was written, e.g. to zip it).
    pub(crate) fn dir(&self) -> &Path {
        &self.temp
    }

    /// Counts `rel`, when it is an HTML page, as one this build wrote.
    fn count_written(&self, rel: &str) {
        if is_html(rel) {
            self.html_written.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Counts `rel` as a file of the site and returns where it goes in the staging folder, ready
    /// to be written (see [`Staging::prepare`]), and where the previous site has it; `None` for a
    /// discarding staging.
    fn place(&self, rel: &str) -> Result<Option<(PathBuf, PathBuf)>> {
        let checked = checked_relative(rel)?;
        self.record(rel);
        if self.discard {
            return Ok(None);
        }
        Ok(Some((self.prepare(rel)?, self.previous.join(checked))))
    }

    /// The staged path of `rel`, ready to be written: its folder made, and any file there linked
    /// from the previous site removed (see [`unlink_reused`]).
    fn prepare(&self, rel: &str) -> Result<PathBuf> {
        let path = self.temp.join(checked_relative(rel)?);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        unlink_reused(&path);
        Ok(path)
    }

    /// Puts the staging folder in place of the output, so that the output path holds either the
    /// old site or the new one at every instant: one atomic exchange of the two folders where
    /// the system has it (Linux), else two renames, the gap between which the next build
    /// repairs (see [`recover_dead_builds`]). The old site is removed last.
    pub(crate) fn commit(mut self) -> Result<PathBuf> {
        if self.discard {
            bail!("a discarding staging has nothing to commit");
        }
        let old = self.temp.with_file_name(format!(
            ".{}.{OLD}-{}",
            self.final_dir
                .file_name()
                .unwrap_or_default()
                .to_string_lossy(),
            std::process::id()
        ));
        let had_old = self.final_dir.exists();
        let swapped = had_old && exchange(&self.temp, &self.final_dir).is_ok();
        if swapped {
            // The old site is now where the staging folder was.
            fs::rename(&self.temp, &old)
                .with_context(|| format!("moving aside {}", self.temp.display()))?;
        } else {
            two_renames(
                &self.temp,
                &self.final_dir,
                had_old.then_some(old.as_path()),
            )?;
        }
        self.committed = true;
        let _ = fs::remove_dir_all(&self.scratch);
        if had_old {
            remove_tree(&old).with_context(|| format!("removing {}", old.display()))?;
        }
        Ok(self.final_dir.clone())
    }
}

/// True for the path of an HTML page inside the site.
pub(crate) fn is_html(rel: &str) -> bool {
    Path::new(rel).extension().is_some_and(|e| e == "html")
}

/// The suffixes of the working folders a build makes beside its output, each followed by the
/// building process's id: `.public.staging-123`.
const STAGING: &str = "staging";
const SCRATCH: &str = "scratch";
const OLD: &str = "old";

/// Exchanges two folders in one step (Linux `renameat2(RENAME_EXCHANGE)`); an error where the
/// system or the file system cannot.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use nix::fcntl::{renameat2, RenameFlags, AT_FDCWD};
    renameat2(AT_FDCWD, a, AT_FDCWD, b, RenameFlags::RENAME_EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// The swap without an atomic exchange: the output (if any) moved aside to `old`, then the new
/// site moved in; the old site is put back if the second step fails.
fn two_renames(new: &Path, out: &Path, old: Option<&Path>) -> Result<()> {
    if let Some(old) = old {
        fs::rename(out, old).with_context(|| format!("moving aside {}", out.display()))?;
    }
    if let Err(err) = fs::rename(new, out) {
        if let Some(old) = old {
            let _ = fs::rename(old, out);
        }
        return Err(err).with_context(|| format!("moving the new site to {}", out.display()));
    }
    Ok(())
}

/// Cleans up after builds of `out` (named `name`, in `parent`) that were killed: their staging,
/// scratch and old-site folders are removed, and if a build died between the two renames of a
/// swap without exchange (no output, an old site aside), the old site is put back first.
/// Folders of builds still running are left alone.
fn recover_dead_builds(parent: &Path, name: &str, out: &Path) -> Result<()> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Ok(());
    };
    let prefix = format!(".{name}.");
    let mut leftovers: Vec<(PathBuf, &str)> = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some((kind, pid)) = file_name
            .strip_prefix(&prefix)
            .and_then(|r| r.rsplit_once('-'))
        else {
            continue;
        };
        let kind = [STAGING, SCRATCH, OLD].into_iter().find(|k| *k == kind);
        let dead = pid
            .parse::<u32>()
            .is_ok_and(|pid| pid != std::process::id() && !running(pid));
        if let (Some(kind), true) = (kind, dead) {
            leftovers.push((entry.path(), kind));
        }
    }
    leftovers.sort();
    if !out.exists() {
        if let Some((old, _)) = leftovers.iter().find(|(_, kind)| *kind == OLD) {
            fs::rename(old, out)
                .with_context(|| format!("restoring {} from {}", out.display(), old.display()))?;
        }
    }
    for (path, _) in leftovers.iter().filter(|(p, _)| p.exists()) {
        remove_tree(path)
            .with_context(|| format!("removing {} left by a killed build", path.display()))?;
    }
    Ok(())
}

/// True while the process `pid` runs (or cannot be told apart from a running one).
#[cfg(unix)]
fn running(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else {
        return true;
    };
    match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None) {
        Ok(()) => true,
        Err(errno) => errno != nix::errno::Errno::ESRCH,
    }
}

#[cfg(not(unix))]
fn running(_: u32) -> bool {
    true
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.discard {
            return;
        }
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temp);
        }
        let _ = fs::remove_dir_all(&self.scratch);
    }
}

/// Removes the folder `path` and everything in it, sub-folders in parallel (a previous site of
/// thousands of pages spends most of its removal in the file system, one folder at a time).
/// Symbolic links are removed, never followed.
fn remove_tree(path: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<fs::DirEntry> = fs::read_dir(path)?.collect::<io::Result<_>>()?;
    entries.into_par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            remove_tree(&entry.path())
        } else {
            fs::remove_file(entry.path())
        }
    })?;
    fs::remove_dir(path)
}

/// True if the file at `path` holds exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && fs::read(path).is_ok_and(|old| old == bytes)
}

/// True if the files at `a` and `b` hold the same bytes (`b` not a symbolic link).
fn same_contents(a: &Path, b: &Path) -> bool {
    let len = |p: &Path| {
        fs::symlink_metadata(p)
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len())
    };
    len(b).is_some() && len(a) == len(b) && fs::read(a).is_ok_and(|bytes| holds(b, &bytes))
}

/// Removes `path` before it is written: it may be a hard link into the previous site (see
/// [`Staging::link_unchanged`]), which writing through would change.
fn unlink_reused(path: &Path) {
    let _ = fs::remove_file(path);
}

/// `rel` as a path that stays inside the folder it is joined to (no `..`, no root).
pub(crate) fn checked_relative(rel: &str) -> Result<&Path> {
    let rel_path = Path::new(rel);
    if rel.is_empty()
        || rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_)))
    {
        bail!("refusing to write outside the site folder: `{rel}`");
    }
    Ok(rel_path)
}

fn absolute(path: &Path) -> Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    Ok(normalize(&abs))
}

/// Resolves `.` and `..` lexically, and symlinks of the longest existing ancestor.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    let mut existing = out.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut resolved = fs::canonicalize(&existing).unwrap_or(existing);
    resolved.extend(rest.iter().rev());
    resolved
}

fn check_output_path(out: &Path, root: &Path, protected: &[PathBuf]) -> Result<()> {
    let root = normalize(&absolute(root)?);
    if out == root || root.starts_with(out) {
        bail!(
            "refusing to build into {}: it is or contains the project folder",
            out.display()
        );
    }
    for dir in protected {
        let dir = normalize(&absolute(dir)?);
        if out.starts_with(&dir) || dir.starts_with(out) {
            bail!(
                "refusing to build into {}: it overlaps the source folder {}",
                out.display(),
                dir.display()
            );
        }
    }
    Ok(())
}

fn check_replaceable(out: &Path) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        bail!("refusing to replace {}: it is not a folder", out.display());
    }
    let mut entries = fs::read_dir(out).with_context(|| format!("reading {}", out.display()))?;
    let empty = entries.next().is_none();
    if empty || out.join(MARKER).exists() {
        return Ok(());
    }
    bail!(
        "refusing to replace {}: it is not empty and was not built by medfm (no {MARKER} file)",
        out.display()
    )
}

/// Refuses a path for a file made beside the site (the offline zip) that would replace a source
/// or something that is not such a file, or grow the site it is made from: a path inside the
/// project's source folders or inside the output folder `out`, an existing folder, or an
/// existing file that does not start with one of `magic` (the file formats it may replace).
pub(crate) fn check_artifact_path(
    path: &Path,
    out: &Path,
    protected: &[PathBuf],
    magic: &[&[u8]],
) -> Result<()> {
    let path = normalize(&absolute(path)?);
    let inside = |dir: &Path| normalize(&absolute(dir).unwrap_or_default());
    if let Some(dir) = (protected.iter().map(|d| inside(d)))
        .chain([inside(out)])
        .find(|dir| path.starts_with(dir))
    {
        bail!(
            "refusing to write {} inside {}: the file would become part of the site or its sources",
            path.display(),
            dir.display()
        );
    }
    if path.is_dir() {
        bail!("refusing to replace {}: it is a folder", path.display());
    }
    if let Ok(mut file) = fs::File::open(&path) {
        let mut head = [0u8; 4];
        let read = io::Read::read(&mut file, &mut head).unwrap_or(0);
        if read > 0 && !magic.iter().any(|m| head[..read].starts_with(m)) {
            bail!(
                "refusing to replace {}: it exists and is not a zip archive",
                path.display()
            );
        }
    }
    Ok(())
}

/// Writes a single file outside the site (e.g. the offline zip) atomically: a temporary file
/// beside it, then a rename, so a reader never sees half a file.
pub(crate) fn write_artifact(path: &Path, bytes: &[u8]) -> Result<()> {
    replace_atomically(path, |temp| fs::write(temp, bytes))
}

/// Copies the file `src` to `path` the way [`write_artifact`] writes (streamed, not read into
/// memory): for moving a scratch file to another file system.
pub(crate) fn copy_artifact(src: &Path, path: &Path) -> Result<()> {
    replace_atomically(path, |temp| fs::copy(src, temp).map(drop))
}

/// Writes `path` through `write` (streamed into a buffered temporary file beside it), then
/// renames it into place, like [`write_artifact`].
pub(crate) fn write_artifact_with(
    path: &Path,
    write: impl FnOnce(&mut io::BufWriter<fs::File>) -> io::Result<()>,
) -> Result<()> {
    replace_atomically(path, |temp| {
        let mut out = io::BufWriter::new(fs::File::create(temp)?);
        write(&mut out)?;
        io::Write::flush(&mut out)
    })
}

/// Writes `path` through `write` into a temporary file beside it, then renames it into place.
fn replace_atomically(path: &Path, write: impl FnOnce(&Path) -> io::Result<()>) -> Result<()> {
    let path = absolute(path)?;
    let parent = path.parent().context("output file has no parent folder")?;
    fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let name = path
        .file_name()
        .context("output file has no name")?
        .to_string_lossy();
    let temp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let written = write(&temp)
        .with_context(|| format!("writing {}", temp.display()))
        .and_then(|()| {
            fs::rename(&temp, &path)
                .with_context(|| format!("moving {} to {}", temp.display(), path.display()))
        });
    if written.is_err() {
        // A full disk or a failed rename leaves no half-written temporary file behind.
        let _ = fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_sources_and_their_parents() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("proj");
        let content = root.join("content");
        fs::create_dir_all(&content).unwrap();
        let protected = vec![content.clone()];
        assert!(Staging::begin(&root, &root, &protected).is_err());
        assert!(Staging::begin(tmp.path(), &root, &protected).is_err());
        assert!(Staging::begin(&content.join("x"), &root, &protected).is_err());
        assert!(Staging::begin(&root.join("public"), &root, &protected).is_ok());
    }

    #[test]
    fn commit_swaps_and_drop_cleans() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::begin(&out, &tmp.path().join("proj"), &[]).unwrap();
        s.write("a/b.html", b"x").unwrap();
        assert!(s.write("../evil", b"x").is_err());
        s.commit().unwrap();
        assert_eq!(fs::read_to_string(out.join("a/b.html")).unwrap(), "x");
        let s = Staging::begin(&out, &tmp.path().join("proj"), &[]).unwrap();
        s.write("c.html", b"y").unwrap();
        drop(s);
        assert!(out.join("a/b.html").exists());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    /// The id of a process that has ended.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        pid
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_output_is_exchanged_whole_and_nothing_is_left_beside_it() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        for text in ["old", "new"] {
            let s = Staging::begin(&out, &tmp.path().join("proj"), &[]).unwrap();
            s.write("index.html", text.as_bytes()).unwrap();
            s.commit().unwrap();
        }
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert_eq!(names_in(tmp.path()), ["public"]);
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        {
            let a = tmp.path().join("a");
            fs::create_dir(&a).unwrap();
            exchange(&a, &out).unwrap();
            assert!(a.join("index.html").exists() && out.read_dir().unwrap().next().is_none());
        }
    }

    #[test]
    fn a_build_killed_between_the_two_renames_is_repaired_by_the_next() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let s = Staging::begin(&out, &tmp.path().join("proj"), &[]).unwrap();
        s.write("index.html", b"old").unwrap();
        s.commit().unwrap();
        // A build (now dead) staged a new site and moved the old one aside, then was killed
        // before moving the new one in: no `public` at all.
        let pid = dead_pid();
        let staged = tmp.path().join(format!(".public.staging-{pid}"));
        fs::create_dir(&staged).unwrap();
        fs::write(staged.join("index.html"), "half").unwrap();
        fs::create_dir(tmp.path().join(format!(".public.scratch-{pid}"))).unwrap();
        let aside = tmp.path().join(format!(".public.old-{pid}"));
        fs::rename(&out, &aside).unwrap();
        // A running build's folder is left alone (pid 1 always runs).
        fs::create_dir(tmp.path().join(".public.staging-1")).unwrap();
        let next = Staging::begin(&out, &tmp.path().join("proj"), &[]).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "old");
        let own = format!(".public.staging-{}", std::process::id());
        assert_eq!(
            names_in(tmp.path()),
            [".public.staging-1", own.as_str(), "public"]
        );
        drop(next);
    }

    #[test]
    fn a_discarding_staging_keeps_nothing_but_the_list() {
        let s = Staging::discard();
        s.write("b.html", b"x").unwrap();
        let mut out = s.create("a.html").unwrap();
        io::Write::write_all(&mut out, b"y").unwrap();
        s.write("x.css", b"z").unwrap();
        assert!(s.write("../evil.html", b"x").is_err());
        assert_eq!(s.html_pages(), ["a.html", "b.html"]);
        assert!(!s.has_previous_site());
    }

    #[test]
    fn refuses_foreign_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("docs");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("thesis.tex"), "x").unwrap();
        assert!(Staging::begin(&out, &tmp.path().join("proj"), &[]).is_err());
    }
}
