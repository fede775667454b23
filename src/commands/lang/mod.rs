//! `medfm lang add <code> --name <name>`: adds a language to a site. Every per-language text of
//! `site.yaml` gets one in the new language ([`site_yaml`]), and every page a translation file
//! beside it ([`skeleton`]), each text copied from the default language and marked
//! `untranslated (<code>)`: the site builds at once, and `medfm check` warns about each marked
//! text until it is translated. Nothing is written unless all of it can be.

mod flow;
mod site_yaml;
mod skeleton;

use anyhow::Context as _;

use crate::base::diagnostic::display_path;
use crate::base::failure::Outcome;
use crate::load::Project;
use crate::model::languages::todo_mark;

/// Options of `medfm lang`.
#[derive(Debug, clap::Args)]
pub(crate) struct LangArgs {
    /// What to do.
    #[command(subcommand)]
    pub(crate) action: LangAction,
}

/// The subcommands of `medfm lang`.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum LangAction {
    /// Add a language: every text of site.yaml gets one in it, and every page a translation file
    /// `<page>.<code>.md` beside it (its translatable fields and its headings; an existing file
    /// is never overwritten), each text copied from the default language and marked
    /// `untranslated (<code>)` until translated: `medfm lang add fr --name Français`.
    Add(AddArgs),
}

/// Options of `medfm lang add`.
#[derive(Debug, clap::Args)]
pub(crate) struct AddArgs {
    /// The language code (BCP 47, e.g. `fr`, `pt-BR`): also the folder of its pages.
    pub(crate) code: String,
    /// The language's name in itself, shown in the language switch (e.g. `Français`).
    #[arg(long)]
    pub(crate) name: String,
    /// Its Open Graph locale (e.g. `fr_FR`). Default: the code.
    #[arg(long)]
    pub(crate) locale: Option<String>,
    /// Write no translation files, only site.yaml: until a page has its `<page>.<code>.md`,
    /// the new language's site shows it in the default language (a skeleton would show its
    /// headings alone).
    #[arg(long)]
    pub(crate) no_pages: bool,
}

/// Runs `medfm lang`.
pub(crate) fn run(project: &Project, args: &LangArgs) -> Outcome<()> {
    let LangAction::Add(add) = &args.action;
    let config = crate::load::config(project)?;
    let path = project.config_path();
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let language = site_yaml::NewLanguage {
        code: &add.code,
        name: &add.name,
        locale: add.locale.as_deref(),
    };
    let edit = site_yaml::add_language(&text, &config, &language)?;
    let pages = match add.no_pages {
        true => Vec::new(),
        false => skeleton::skeletons(project, &edit.text, &add.code)?,
    };
    let temp = path.with_extension("yaml.medfm-new");
    std::fs::write(&temp, &edit.text).with_context(|| format!("writing {}", temp.display()))?;
    std::fs::rename(&temp, &path).with_context(|| format!("writing {}", path.display()))?;
    let default = &config.default_language;
    println!(
        "added `{}` to {}: {} texts copied from `{default}`, each marked `{}`",
        add.code,
        path.display(),
        edit.copied,
        todo_mark(&add.code)
    );
    if add.no_pages {
        println!(
            "next: translate the marked texts (`medfm check` lists them), then write the `{0}` \
             translation of each page (`<page>.{0}.md` beside it; `medfm check` names the missing \
             ones)",
            add.code
        );
        return Ok(());
    }
    let written = skeleton::write_new(&pages)?;
    report_pages(
        project,
        &add.code,
        default,
        (written, pages.len() - written),
    );
    Ok(())
}

/// Says how many translation files into `code` were written and skipped, and what to do next.
fn report_pages(project: &Project, code: &str, default: &str, (written, skipped): (usize, usize)) {
    let files = match written {
        1 => "1 translation file".to_string(),
        n => format!("{n} translation files"),
    };
    let content = display_path(&project.root, &project.content_dir());
    println!(
        "wrote {files} in {} (`<page>.{}.md`: its translatable fields and headings, copied \
         from `{default}`, each marked); skipped {skipped} that exist",
        content.display(),
        code,
    );
    println!(
        "next: translate each marked text and remove its mark (`medfm check` gives one warning \
         per file that still has some)"
    );
}
