//! `medfm check`: the build's pipeline ([`build::check`]) run into a staging folder that keeps
//! nothing, so it reports every problem a build would — configuration, front matter, links,
//! templates, citations — and writes nothing. The findings are printed like a compiler or as
//! GitHub Actions annotations.

use std::fmt::Write as _;

use anyhow::{anyhow, Result};

use crate::build::{self, CheckReport};
use crate::load::Project;

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Format {
    /// `file:line:col: error: message`, the source line, a caret and a hint.
    #[default]
    Human,
    /// `::error file=…,line=…,col=…::message`, shown by GitHub on the pull request's diff.
    Github,
}

/// Options of `medfm check`.
#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    /// Output format: `human` (like a compiler) or `github` (Actions annotations on stdout).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Fail on warnings too (an incomplete translation, a placeholder left in), as a release
    /// build with `--strict` would.
    #[arg(long)]
    pub strict: bool,
}

/// Runs `medfm check`: prints the findings; fails (exit code 1) on any error.
pub(crate) fn run(project: &Project, args: &CheckArgs) -> Result<()> {
    let options = build::BuildOptions {
        strict: args.strict,
        ..Default::default()
    };
    let report = build::check_with(project, options)?;
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

/// How a check's findings read.
trait Printed {
    /// True when nothing stops the build.
    fn passed(&self) -> bool;
    /// The findings in `format` (the summary line is separate).
    fn render(&self, format: Format) -> String;
    /// `check failed: 2 errors, 1 warning (41 pages)`.
    fn summary(&self) -> String;
}

impl Printed for CheckReport {
    fn passed(&self) -> bool {
        !self.diagnostics.has_errors()
    }

    fn render(&self, format: Format) -> String {
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

    fn summary(&self) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostic::{Diagnostic, Diagnostics};

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
