//! `medfm check`: the build's pipeline ([`build::check_with`]) run into a staging folder that keeps
//! nothing, so it reports every problem a build would — configuration, front matter, links,
//! templates, citations — and writes nothing. The findings are printed like a compiler or as
//! GitHub Actions annotations; in GitHub Actions they are also written whole into the job summary,
//! since GitHub shows only the first few annotations of a step.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::{anyhow, Result};

use crate::base::failure::Outcome;
use crate::build::{self, CheckReport};
use crate::load::Project;

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum Format {
    /// `file:line:col: error: message`, the source line, a caret and a hint.
    #[default]
    Human,
    /// `::error file=…,line=…,col=…::message`, shown by GitHub on the pull request's diff; with
    /// `GITHUB_STEP_SUMMARY` set (as in GitHub Actions), every finding also goes into the job
    /// summary.
    Github,
}

/// Options of `medfm check`.
#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    /// Output format: `human` (like a compiler) or `github` (Actions annotations on stdout).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
    /// Fail on warnings too (an incomplete translation, a placeholder left in), as a release
    /// build with `--strict` would.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Include the pages that say `draft: true` (left out otherwise, with a located error for
    /// any link or citation to one).
    #[arg(long)]
    pub(crate) drafts: bool,
}

/// Runs `medfm check`: prints the findings; fails (exit code 1) on any error.
pub(crate) fn run(project: &Project, args: &CheckArgs) -> Outcome<()> {
    let options = build::BuildOptions {
        strict: args.strict,
        drafts: args.drafts,
        ..Default::default()
    };
    let report = build::check_with(project, options)?;
    match args.format {
        Format::Human => eprint!("{}", report.render(Format::Human)),
        Format::Github => {
            print!("{}", report.render(Format::Github));
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                append_summary(Path::new(&path), &report.job_summary())?;
            }
        }
    }
    if report.passed() {
        eprintln!("{}", report.summary());
        Ok(())
    } else {
        Err(anyhow!(report.summary()).into())
    }
}

/// GitHub's annotation limit: it shows at most this many errors, and as many warnings, per step.
const ANNOTATIONS_SHOWN: usize = 10;

/// Appends `markdown` to the job summary file at `path` (GitHub creates it; others append too).
fn append_summary(path: &Path, markdown: &str) -> Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| anyhow!("cannot write the job summary {}: {e}", path.display()))?;
    file.write_all(markdown.as_bytes())
        .map_err(|e| anyhow!("cannot write the job summary {}: {e}", path.display()))
}

/// How a check's findings read.
trait Printed {
    /// True when nothing stops the build.
    fn passed(&self) -> bool;
    /// The findings in `format` (the summary line is separate).
    fn render(&self, format: Format) -> String;
    /// `check failed: 2 errors, 1 warning (41 content pages)`, or when it passed `check passed:
    /// 0 errors, 0 warnings (41 content pages → 260 HTML pages, 30 other files)`.
    fn summary(&self) -> String;
    /// The verdict and every finding as Markdown, for a GitHub job summary.
    fn job_summary(&self) -> String;
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
        // A failed check's site is incomplete: only what was read is counted.
        let pages = match (self.count.content, self.passed()) {
            (0, _) => String::new(),
            (_, true) => format!(" ({})", self.count),
            (_, false) => format!(" ({})", self.count.content_pages()),
        };
        format!("{verdict}: {}{pages}", self.diagnostics.summary())
    }

    fn job_summary(&self) -> String {
        let list = &self.diagnostics;
        let mut out = format!("### medfm {}\n\n", self.summary());
        if list.0.is_empty() {
            return out;
        }
        if list.error_count() > ANNOTATIONS_SHOWN || list.warning_count() > ANNOTATIONS_SHOWN {
            let _ = write!(
                out,
                "GitHub annotates the diff with the first {ANNOTATIONS_SHOWN} errors and \
                 {ANNOTATIONS_SHOWN} warnings only; all {} findings are listed here.\n\n",
                list.0.len()
            );
        }
        out.push_str("| | Where | Problem |\n|---|---|---|\n");
        for d in &list.0 {
            let mut problem = d.full_message();
            for note in d.notes() {
                let _ = write!(problem, " — note: {note}");
            }
            if let Some(hint) = &d.hint {
                let _ = write!(problem, " — help: {hint}");
            }
            let _ = writeln!(
                out,
                "| {} | `{}` | {} |",
                d.severity,
                d.location(),
                markdown_cell(&problem)
            );
        }
        out.push('\n');
        out
    }
}

/// `text` made safe for one cell of a Markdown table: no line breaks, no column bars, no HTML.
fn markdown_cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::diagnostic::{Diagnostic, Diagnostics};
    use crate::build::SiteCount;

    fn report(list: Vec<Diagnostic>) -> CheckReport {
        CheckReport {
            diagnostics: Diagnostics(list),
            count: SiteCount {
                content: 3,
                html: 7,
                other: 2,
            },
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
        assert_eq!(
            r.summary(),
            "check failed: 1 error, 1 warning (3 content pages)"
        );
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

    #[test]
    fn job_summary_is_a_markdown_table_of_every_finding() {
        let d = Diagnostic::error("content/models/x.md", 2, 15, "bad | value\n<b>")
            .with_hint("allowed: a, b");
        let r = report(vec![d]);
        assert_eq!(
            r.job_summary(),
            "### medfm check failed: 1 error, 0 warnings (3 content pages)\n\n\
             | | Where | Problem |\n|---|---|---|\n\
             | error | `content/models/x.md:2:15` | bad \\| value &lt;b> — help: allowed: a, b |\n\n"
        );
        assert_eq!(
            report(Vec::new()).job_summary(),
            "### medfm check passed: 0 errors, 0 warnings \
             (3 content pages → 7 HTML pages, 2 other files)\n\n"
        );
        let many: Vec<Diagnostic> = (1..=11)
            .map(|i| Diagnostic::warning("a.md", i, 1, "w"))
            .collect();
        assert!(report(many)
            .job_summary()
            .contains("first 10 errors and 10 warnings only; all 11 findings are listed here."));
    }
}
