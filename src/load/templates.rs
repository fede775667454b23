//! Reading the templates: every file of `templates/`, by its path inside the folder. Parsing
//! them is the template adapter's ([`crate::templates`]).

use std::path::Path;

use walkdir::WalkDir;

use crate::base::diagnostic::{display_path, Diagnostic};
use crate::templates::TemplateSource;

/// Reads every file under `dir` (names are paths relative to it, `/`-separated).
pub(crate) fn read(root: &Path, dir: &Path) -> Result<Vec<TemplateSource>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    for entry in WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if let Some(problem) = crate::load::content::not_a_plain_file(root, &entry, "templates/") {
            return Err(vec![problem]);
        }
        if entry.file_type().is_file() {
            let name = crate::load::content::rel_path(dir, entry.path());
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => files.push((name, text)),
                Err(e) => {
                    return Err(vec![Diagnostic::error(
                        display_path(root, entry.path()),
                        0,
                        0,
                        format!("cannot read template: {e}"),
                    )])
                }
            }
        }
    }
    Ok(files)
}
