//! The build pipeline, as named phases: load the project (config, templates, content), check it,
//! derive the site, then render everything into a staging folder and swap it into place.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::config::{SiteConfig, CONFIG_FILE};
use crate::content;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::Staging;
use crate::render;
use crate::schema::PartialDate;
use crate::site::Site;
use crate::validate;

/// The folders and files of a project.
#[derive(Debug, Clone)]
pub struct Project {
    /// Project root (holds `site.yaml`).
    pub root: PathBuf,
}

impl Project {
    /// A project rooted at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Project { root: root.into() }
    }

    /// `content/`.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// `templates/`.
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }

    /// `static/`.
    pub fn static_dir(&self) -> PathBuf {
        self.root.join("static")
    }

    /// `site.yaml`.
    pub fn config_path(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    /// Source folders an output must never overlap.
    pub fn protected(&self) -> Vec<PathBuf> {
        vec![self.content_dir(), self.templates_dir(), self.static_dir()]
    }
}

/// Time spent in each phase of a build.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<(&'static str, Duration)>);

impl Timings {
    fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.0.push((name, start.elapsed()));
        out
    }
}

/// What a finished build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages rendered (all languages).
    pub pages: usize,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// Where the site was written.
    pub out: PathBuf,
    /// Phase timings.
    pub timings: Timings,
}

/// Loads and checks everything; returns the site and its warnings, or every error found.
pub fn load(project: &Project, timings: &mut Timings) -> Result<(Site, Diagnostics)> {
    let config = timings.time("config", || load_config(project))?;
    let loaded = timings
        .time("read", || content::read_tree(&project.root, &project.content_dir()))
        .map_err(anyhow::Error::new)?;
    let pages = timings.time("parse", || content::parse_pages(&loaded.files, &config)).map_err(anyhow::Error::new)?;
    let findings = timings.time("validate", || validate::validate(&pages, &config, today()));
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = findings.into_iter().partition(Diagnostic::is_error);
    fail_on(errors)?;
    let site = timings.time("derive", || Site::new(config, pages)).map_err(|d| anyhow::Error::new(sorted(d)))?;
    Ok((site, sorted(warnings)))
}

fn load_config(project: &Project) -> Result<SiteConfig> {
    let path = project.config_path();
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    SiteConfig::parse(CONFIG_FILE, &text).map_err(anyhow::Error::new)
}

fn sorted(list: Vec<Diagnostic>) -> Diagnostics {
    let mut d = Diagnostics(list);
    d.sort();
    d
}

fn fail_on(errors: Vec<Diagnostic>) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(anyhow::Error::new(sorted(errors)))
    }
}

/// Builds the project into `out`. Nothing is written unless every page renders without error.
pub fn build(project: &Project, out: &Path) -> Result<BuildReport> {
    let mut timings = Timings::default();
    let tera = timings
        .time("templates", || render::load_templates(&project.root, &project.templates_dir()))
        .map_err(|d| anyhow::Error::new(sorted(d)));
    let (site, warnings) = load(project, &mut timings)?;
    let tera = tera?;
    let staging = Staging::begin(out, &project.root, &project.protected())?;
    let (pages, problems) = timings.time("render", || render::render_site(&site, &tera, &staging))?;
    fail_on(problems)?;
    timings.time("static", || render::copy_static(&project.root, &project.static_dir(), &staging))?;
    let out = timings.time("commit", || staging.commit())?;
    Ok(BuildReport { pages, warnings, out, timings })
}

/// Today's date (UTC), the bound for `date` fields.
pub fn today() -> PartialDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    PartialDate { year: y as u16, month: Some(m as u8), day: Some(d as u8) }
}

/// Gregorian date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }
}
