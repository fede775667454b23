//! The offline bundle: the built site as one zip file that works wherever it is unpacked (every
//! link in the site is relative). The archive is deterministic — entries sorted by path under one
//! top folder, every timestamp 1980-01-01 00:00, permissions 0644, deflate at a fixed level — so
//! the same site always gives the same bytes.

use std::io::{Cursor, Write};
use std::path::Path;

use anyhow::{Context as _, Result};
use walkdir::WalkDir;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::write::staging::MARKER;

/// Default file name of the bundle.
pub(crate) const BUNDLE_FILE: &str = "medfm-site.zip";

/// How a zip archive starts (a local file header, or the end record of an empty archive): the
/// only files `--zip` may replace.
pub(crate) const ZIP_MAGIC: &[&[u8]] = &[b"PK\x03\x04", b"PK\x05\x06"];
/// The folder every entry sits in, so unpacking makes one folder.
pub(crate) const TOP_FOLDER: &str = "medfm-site";

/// Every file of the site at `dir` (except the build marker), as sorted `/`-separated paths.
pub(crate) fn site_files(dir: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).follow_links(false) {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if rel != MARKER {
                files.push(rel);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// The zip archive of the site at `dir`, in memory.
pub(crate) fn zip_site(dir: &Path) -> Result<Vec<u8>> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for rel in site_files(dir)? {
        let path = dir.join(&rel);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        zip.start_file(format!("{TOP_FOLDER}/{rel}"), options)
            .with_context(|| format!("zipping {rel}"))?;
        zip.write_all(&bytes)
            .with_context(|| format!("zipping {rel}"))?;
    }
    Ok(zip
        .finish()
        .context("finishing the zip archive")?
        .into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_folder_same_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("en")).unwrap();
        std::fs::write(tmp.path().join("index.html"), "<p>中文</p>").unwrap();
        std::fs::write(tmp.path().join("en/index.html"), "<p>en</p>").unwrap();
        std::fs::write(tmp.path().join(MARKER), "x").unwrap();
        let a = zip_site(tmp.path()).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        std::fs::write(tmp.path().join("index.html"), "<p>中文</p>").unwrap();
        assert_eq!(a, zip_site(tmp.path()).unwrap());
        assert_eq!(
            site_files(tmp.path()).unwrap(),
            ["en/index.html", "index.html"]
        );
    }
}
