//! `medfm init [DIR]`: writes a new, empty site — a `site.yaml` declaring a small content model
//! (one collection of entries with a kind, a date, tags and links), a home page, and the starter
//! theme (templates for every kind of page and a stylesheet) — that builds and passes
//! `medfm check` at once. The files are embedded in the binary; nothing is overwritten.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};

/// Options of `medfm init`.
#[derive(Debug, clap::Args)]
pub(crate) struct InitArgs {
    /// Folder of the new site (created if missing; default: the current folder).
    #[arg(default_value = ".")]
    pub(crate) dir: PathBuf,
}

/// The files of a new site: (path inside the site, text).
const FILES: [(&str, &str); 22] = [
    ("site.yaml", include_str!("theme/site.yaml")),
    ("content/_index.md", include_str!("theme/content/_index.md")),
    ("static/style.css", include_str!("theme/static/style.css")),
    (
        "templates/base.html",
        include_str!("theme/templates/base.html"),
    ),
    (
        "templates/macros.html",
        include_str!("theme/templates/macros.html"),
    ),
    (
        "templates/home.html",
        include_str!("theme/templates/home.html"),
    ),
    (
        "templates/page.html",
        include_str!("theme/templates/page.html"),
    ),
    (
        "templates/entry.html",
        include_str!("theme/templates/entry.html"),
    ),
    (
        "templates/list.html",
        include_str!("theme/templates/list.html"),
    ),
    (
        "templates/taxonomies.html",
        include_str!("theme/templates/taxonomies.html"),
    ),
    (
        "templates/taxonomy.html",
        include_str!("theme/templates/taxonomy.html"),
    ),
    (
        "templates/term.html",
        include_str!("theme/templates/term.html"),
    ),
    (
        "templates/search.html",
        include_str!("theme/templates/search.html"),
    ),
    (
        "templates/404.html",
        include_str!("theme/templates/404.html"),
    ),
    (
        "templates/table.html",
        include_str!("theme/templates/table.html"),
    ),
    (
        "templates/data.html",
        include_str!("theme/templates/data.html"),
    ),
    (
        "templates/bibliography.html",
        include_str!("theme/templates/bibliography.html"),
    ),
    (
        "templates/lineage.html",
        include_str!("theme/templates/lineage.html"),
    ),
    (
        "templates/print.html",
        include_str!("theme/templates/print.html"),
    ),
    (
        "templates/print-work.html",
        include_str!("theme/templates/print-work.html"),
    ),
    (".gitignore", "/public\n/.medfm-cache\n"),
    ("content/entries/.gitkeep", ""),
];

/// Runs `medfm init`: writes the site and says what to do next.
pub(crate) fn run(args: &InitArgs) -> Result<()> {
    let written = create(&args.dir)?;
    println!(
        "created a new site in {} ({} files)",
        args.dir.display(),
        written.len()
    );
    let root = if args.dir == Path::new(".") {
        String::new()
    } else {
        format!(" --root {}", args.dir.display())
    };
    println!(
        "next: medfm{root} new article my-first-entry, then medfm{root} serve to preview and medfm{root} build"
    );
    Ok(())
}

/// Writes the files of a new site into `dir`; refuses (writing nothing) when any already exists.
pub(crate) fn create(dir: &Path) -> Result<Vec<PathBuf>> {
    let taken: Vec<String> = FILES
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .filter(|path| path.exists())
        .map(|path| path.display().to_string())
        .collect();
    if !taken.is_empty() {
        bail!(
            "refusing to overwrite: {} already exist{} in {}",
            taken.join(", "),
            if taken.len() == 1 { "s" } else { "" },
            dir.display()
        );
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_template_is_written() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands/init/theme");
        for entry in walkdir::WalkDir::new(&dir) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(&dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                assert!(
                    FILES.iter().any(|(f, _)| *f == rel),
                    "{rel} is not written by init"
                );
            }
        }
    }

    #[test]
    fn refuses_to_overwrite_anything() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("site.yaml"), "mine").unwrap();
        let e = create(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("refusing to overwrite") && e.contains("site.yaml"),
            "{e}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("site.yaml")).unwrap(),
            "mine"
        );
        assert!(!dir.path().join("templates").exists());
    }
}
