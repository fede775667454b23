//! Reads `content/`: walks the tree without following symlinks, reads every Markdown file
//! (size-capped, UTF-8 checked, BOM stripped) and passes over the other files. Problems are
//! reported for every file at once; parsing is [`crate::model::parse`]'s job.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::base::diagnostic::{Diagnostic, Diagnostics};
use crate::base::frontmatter;
use crate::model::page::SourceFile;

/// Largest content file read, in bytes; larger files are an error rather than a slow build.
pub(crate) const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub(crate) struct ContentTree {
    /// Markdown files.
    pub(crate) files: Vec<SourceFile>,
}

/// Reads every file under `content_dir`. Symlinks, unreadable, oversized and non-UTF-8 files
/// are reported (all of them), never followed or half-read.
pub(crate) fn read_tree(root: &Path, content_dir: &Path) -> Result<ContentTree, Diagnostics> {
    let mut loaded = ContentTree::default();
    let mut problems = Vec::new();
    let mut markdown = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        match markdown_file(root, content_dir, entry) {
            Ok(Some(path)) => markdown.push((rel_path(content_dir, &path), path)),
            Ok(None) => {}
            Err(problem) => problems.push(problem),
        }
    }
    // Reading (and checking UTF-8) in parallel; the walk's order is kept.
    let read: Vec<_> = markdown
        .into_par_iter()
        .map(|(rel, path)| {
            let display = display(root, &path);
            let text = read_text(&path, &display).map(Arc::<str>::from);
            (rel, display, text)
        })
        .collect();
    for (rel, display, text) in read {
        match text {
            Ok(text) => loaded.files.push(SourceFile { rel, display, text }),
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(loaded)
    } else {
        Err(Diagnostics(problems))
    }
}

/// What the walk found: a Markdown file to read (its path), something to pass over (hidden
/// files, folders, other files such as images, which are reached through static/), or a
/// problem (an unreadable entry, a symlink, a Markdown file not ending in lower-case `.md`).
fn markdown_file(
    root: &Path,
    content_dir: &Path,
    entry: walkdir::Result<walkdir::DirEntry>,
) -> Result<Option<PathBuf>, Diagnostic> {
    let entry = entry.map_err(|err| {
        let path = (err.path().map(Path::to_path_buf)).unwrap_or_else(|| content_dir.to_path_buf());
        Diagnostic::error(display(root, &path), 0, 0, format!("cannot read: {err}"))
    })?;
    let path = entry.path();
    let name = entry.file_name().to_string_lossy();
    if name.starts_with('.') && entry.depth() > 0 {
        return Ok(None);
    }
    if entry.path_is_symlink() {
        return Err(Diagnostic::error(
            display(root, path),
            0,
            0,
            "symbolic links are not followed in content/",
        )
        .with_hint("copy the file into content/ instead of linking to it"));
    }
    if !entry.file_type().is_file() {
        return Ok(None);
    }
    let extension = name.rsplit_once('.').map(|(_, e)| e);
    if extension.is_some_and(|e| e != "md" && e.eq_ignore_ascii_case("md")) {
        return Err(
            Diagnostic::error(display(root, path), 0, 0, "Markdown files end in `.md`").with_hint(
                "rename the file with a lower-case `.md`: any other file is copied as it is",
            ),
        );
    }
    Ok(name.ends_with(".md").then(|| path.to_path_buf()))
}

/// A content file's text without its byte-order mark; too large, unreadable or not UTF-8 is a
/// diagnostic for `display` (positioned at the first invalid byte).
fn read_text(path: &Path, display: &Path) -> Result<String, Diagnostic> {
    let whole_file = |message: String| Diagnostic::error(display, 0, 0, message);
    let size = fs::metadata(path)
        .map_err(|e| whole_file(format!("cannot read: {e}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(whole_file(format!(
            "file is {size} bytes; content files are limited to {} MiB",
            MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    let bytes = fs::read(path).map_err(|e| whole_file(format!("cannot read: {e}")))?;
    match String::from_utf8(bytes) {
        Ok(text) if text.contains('\0') => {
            let offset = text.find('\0').unwrap_or_default();
            let (line, col) = crate::base::diagnostic::line_col(&text, offset);
            Err(Diagnostic::error(
                display,
                line,
                col,
                "the file holds a NUL character (U+0000)",
            )
            .with_hint("remove it: a text file has none (editors may show it as `^@` or `\\0`)"))
        }
        Ok(mut text) => {
            let bom = text.len() - frontmatter::strip_bom(&text).len();
            text.drain(..bom);
            Ok(text)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            let (line, col) = crate::base::diagnostic::line_col(&valid, offset);
            Err(Diagnostic::error(display, line, col, "invalid UTF-8")
                .with_hint("content files must be UTF-8; re-save the file with UTF-8 encoding"))
        }
    }
}

/// An entry of a source folder that a build would otherwise skip without a word: a symbolic
/// link (never followed: it could lead outside the project) or something that is neither a
/// file nor a folder (a FIFO, a socket, a device).
pub(crate) fn not_a_plain_file(
    root: &Path,
    entry: &walkdir::DirEntry,
    folder: &str,
) -> Option<Diagnostic> {
    let path = crate::base::diagnostic::display_path(root, entry.path());
    if entry.path_is_symlink() {
        Some(
            Diagnostic::error(
                path,
                0,
                0,
                format!("symbolic links are not followed in {folder}"),
            )
            .with_hint(format!(
                "copy the file into {folder} instead of linking to it"
            )),
        )
    } else if !entry.file_type().is_file() && !entry.file_type().is_dir() {
        Some(
            Diagnostic::error(path, 0, 0, "not a regular file (a FIFO, socket or device)")
                .with_hint(format!("only files and folders are read from {folder}")),
        )
    } else {
        None
    }
}

/// `path` relative to `base`, `/`-separated.
pub(crate) fn rel_path(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn display(root: &Path, path: &Path) -> PathBuf {
    crate::base::diagnostic::display_path(root, path)
}
