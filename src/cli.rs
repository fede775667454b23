//! Command-line interface: arguments (clap derive) and the dispatch to library commands.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::base::failure::{Failure, Outcome};
use crate::build;
use crate::load::Project;

/// medfm — builds a static review site from Markdown pages with YAML front matter, as declared
/// in its site.yaml.
#[derive(Debug, Parser)]
#[command(name = "medfm", version, about)]
pub(crate) struct Cli {
    /// Project root (the folder holding site.yaml).
    #[arg(long, global = true, default_value = ".")]
    pub(crate) root: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into a folder (default: public/).
    Build(BuildArgs),
    /// Check everything the build checks, without writing anything; exit code 1 on any error.
    Check(crate::commands::check::CheckArgs),
    /// Create a new, empty site that builds at once: `medfm init my-site`.
    Init(crate::commands::init::InitArgs),
    /// Create a new entry page and its translations: `medfm new model my-model`.
    New(crate::commands::new::NewArgs),
    /// Add a language to the site: `medfm lang add fr --name Français`.
    Lang(crate::commands::lang::LangArgs),
    /// Build into a temporary folder, serve it on 127.0.0.1, rebuild and reload on every change.
    Serve(crate::commands::serve::ServeArgs),
    /// Print the front-matter reference (or, with --templates, the template reference) as
    /// Markdown, generated from site.yaml.
    Schema(crate::commands::schema::SchemaArgs),
}

/// Options of `medfm build`.
#[derive(Debug, clap::Args)]
pub(crate) struct BuildArgs {
    /// Output folder, relative to the current directory.
    #[arg(long, short, default_value = "public")]
    pub(crate) out: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub(crate) quiet: bool,
    /// Print the time of each build phase.
    #[arg(long)]
    pub(crate) timings: bool,
    /// Fail on warnings too (an incomplete translation, a placeholder left in): for release
    /// builds. Nothing is written when it fails.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Include the pages that say `draft: true` (left out otherwise, with a located error for
    /// any link or citation to one).
    #[arg(long)]
    pub(crate) drafts: bool,
    /// Also write the built site as a deterministic zip for offline use (default file:
    /// medfm-site.zip in the current directory).
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = crate::outputs::bundle::BUNDLE_FILE)]
    pub(crate) zip: Option<PathBuf>,
}

/// Runs the CLI with `args` (including the program name); returns the process exit code.
pub fn run<I, T>(args: I) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let project = Project::new(cli.root.clone());
    let result = match &cli.command {
        Command::Build(args) => run_build(&project, args),
        Command::Check(args) => crate::commands::check::run(&project, args),
        Command::Init(args) => crate::commands::init::run(args).map_err(Failure::from),
        Command::New(args) => crate::commands::new::run(&project, args),
        Command::Lang(args) => crate::commands::lang::run(&project, args),
        Command::Serve(args) => crate::commands::serve::run(&project, args).map_err(Failure::from),
        Command::Schema(args) => crate::commands::schema::run(&project, args),
    };
    match result {
        Ok(()) => 0,
        Err(failure) => {
            eprintln!("{failure}");
            if let Failure::Found(_) = failure {
                eprintln!("error: {}", cli.command.stopped());
            }
            1
        }
    }
}

impl Command {
    /// What the command did not do when it found problems in the project.
    fn stopped(&self) -> &'static str {
        match self {
            Command::Build(_) | Command::Serve(_) => "build failed; nothing was written",
            Command::Check(_) => "check failed",
            Command::Init(_) => "init failed; nothing was written",
            Command::New(_) => "no page was created: fix the errors above first",
            Command::Lang(_) => "no language was added: fix the errors above first",
            Command::Schema(_) => "no reference was printed: fix the errors above first",
        }
    }
}

fn run_build(project: &Project, args: &BuildArgs) -> Outcome<()> {
    let start = Instant::now();
    if let Some(zip) = &args.zip {
        crate::write::staging::check_artifact_path(
            zip,
            &args.out,
            &project.protected(),
            crate::outputs::bundle::ZIP_MAGIC,
        )?;
    }
    let progress = std::sync::Arc::new(build::Progress::default());
    let bar = (!args.quiet)
        .then(|| crate::commands::progress::Bar::start(std::sync::Arc::clone(&progress)));
    let report = build::build_with(
        project,
        &args.out,
        build::BuildOptions {
            progress: Some(progress),
            strict: args.strict,
            drafts: args.drafts,
            ..Default::default()
        },
    );
    drop(bar);
    let report = report?;
    let zipped = args
        .zip
        .as_ref()
        .map(|zip| write_bundle(&report.out, zip))
        .transpose()?;
    if !args.quiet {
        for w in &report.warnings.0 {
            eprintln!("{w}");
        }
        if args.timings {
            for phase in &report.timings.0 {
                let peak = phase
                    .peak_kib
                    .map(|kib| format!("   peak {:>6.1} MiB", kib as f64 / 1024.0))
                    .unwrap_or_default();
                let within = phase
                    .within
                    .map(|w| format!("   CPU within {w}, summed over threads"))
                    .unwrap_or_default();
                eprintln!(
                    "{:>10}: {:>8.1} ms{peak}{within}",
                    phase.name,
                    phase.elapsed.as_secs_f64() * 1000.0
                );
            }
            let (rendered, bodies) = report.bodies;
            eprintln!("    bodies: {rendered} of {bodies} rendered, the rest kept from the previous build");
        }
        let summary = format!(
            "built {} into {} in {:.2} s ({})",
            report.count,
            report.out.display(),
            start.elapsed().as_secs_f64(),
            report.notes()
        );
        if std::io::stderr().is_terminal() {
            eprintln!("\x1b[1m{summary}\x1b[0m");
        } else {
            eprintln!("{summary}");
        }
        if let Some((path, size)) = zipped {
            eprintln!("wrote the offline bundle {} ({size} bytes)", path.display());
        }
    }
    Ok(())
}

/// Zips the built site at `site` into `zip`; returns where and how many bytes.
fn write_bundle(site: &std::path::Path, zip: &std::path::Path) -> anyhow::Result<(PathBuf, usize)> {
    let bytes = crate::outputs::bundle::zip_site(site)?;
    crate::write::staging::write_artifact(zip, &bytes)?;
    Ok((zip.to_path_buf(), bytes.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arguments_are_declared_consistently() {
        use clap::CommandFactory as _;
        Cli::command().debug_assert();
    }
}
