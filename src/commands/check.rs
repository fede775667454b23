//! `medfm check`: every check the build makes, without writing anything. It loads the project
//! with [`build::load_all`] (config, front matter, vocabularies, required fields, lineage, dates,
//! duplicate slugs, translations), parses the templates, then renders every Markdown body with
//! [`links::check_bodies`] (internal links, anchors, site files, external URLs), and prints the
//! findings like a compiler or as GitHub Actions annotations.

use std::fmt::Write as _;

use anyhow::{anyhow, Result};

use crate::base::diagnostic::{Diagnostic, Diagnostics};
use crate::build::{self, Project, Timings};
use crate::markup::links::{self, LinkTargets};
use crate::render;

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col: error: message`, the source line, a caret and a hint.
    #[default]
    Human,
    /// `::error file=…,line=…,col=…::message`, shown by GitHub on the pull request's diff.
    Github,
}

/// Options of `medfm check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Output format: `human` (like a compiler) or `github` (Actions annotations on stdout).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// Runs `medfm check`: prints the findings; fails (exit code 1) on any error.
pub fn run(project: &Project, args: &CheckArgs) -> Result<()> {
    let report = check(project)?;
    match args.format {
        Format::Human => eprint!("{}", report.render(Format::Human)),
        Format::Github => print!("{}", report.render(Format::Github)),
    }
    if report.passed() {
        eprintln!("{}", report.summary());
        Ok(())
    } else {
        Err(anyhow!(report.summary()))
    }
}

/// What a check found.
#[derive(Debug, Default)]
pub struct CheckReport {
    /// Every error and warning, sorted by file and position.
    pub diagnostics: Diagnostics,
    /// Pages checked (0 when the content could not be parsed).
    pub pages: usize,
}

impl CheckReport {
    /// True when nothing stops the build.
    pub fn passed(&self) -> bool {
        !self.diagnostics.has_errors()
    }

    /// The findings in `format` (the summary line is separate).
    pub fn render(&self, format: Format) -> String {
        let mut out = String::new();
        for d in &self.diagnostics.0 {
            match format {
                Format::Human => {
                    let _ = write!(out, "{d}\n\n");
                }
                Format::Github => {
                    let _ = writeln!(out, "{}", d.to_github());
                }
            }
        }
        out
    }

    /// `check failed: 2 errors, 1 warning (41 pages)`.
    pub fn summary(&self) -> String {
        let verdict = if self.passed() {
            "check passed"
        } else {
            "check failed"
        };
        let pages = if self.pages > 0 {
            format!(" ({} pages)", self.pages)
        } else {
            String::new()
        };
        format!("{verdict}: {}{pages}", self.diagnostics.summary())
    }
}

/// Runs every check on `project`. `Err` only for problems that are not about content
/// (an unreadable `site.yaml`, an unreadable folder).
pub fn check(project: &Project) -> Result<CheckReport> {
    let mut findings: Vec<Diagnostic> = Vec::new();
    if let Err(problems) = render::load_templates(&project.root, &project.templates_dir()) {
        findings.extend(problems);
    }
    let mut pages = 0;
    match build::load_all(project, &mut Timings::default()) {
        Ok((site, found)) => {
            findings.extend(found);
            if let Some(site) = site {
                let targets = LinkTargets::new(&site, &project.static_dir())?;
                findings.extend(links::check_bodies(&site, &targets));
                pages = site.pages.len();
            }
        }
        Err(err) => findings.extend(err.downcast::<Diagnostics>()?.0),
    }
    let mut diagnostics = Diagnostics(findings);
    diagnostics.sort();
    Ok(CheckReport { diagnostics, pages })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(list: Vec<Diagnostic>) -> CheckReport {
        CheckReport {
            diagnostics: Diagnostics(list),
            pages: 3,
        }
    }

    #[test]
    fn summary_and_formats() {
        let text = "---\nmodalities: [CT scan]\n";
        let d = Diagnostic::error("content/models/x.md", 2, 15, "unknown modality \"CT scan\"")
            .with_source(text);
        let r = report(vec![
            d,
            Diagnostic::warning("content/models/x.md", 0, 0, "no `en` translation"),
        ]);
        assert!(!r.passed());
        assert_eq!(r.summary(), "check failed: 1 error, 1 warning (3 pages)");
        let github = r.render(Format::Github);
        assert_eq!(
            github,
            "::error file=content/models/x.md,line=2,col=15::unknown modality \"CT scan\"\n\
             ::warning file=content/models/x.md::no `en` translation\n"
        );
        let human = r.render(Format::Human);
        assert!(human.starts_with("content/models/x.md:2:15: error: unknown modality \"CT scan\"\n 2 | modalities: [CT scan]\n"));
        assert!(report(Vec::new()).passed());
    }
}
