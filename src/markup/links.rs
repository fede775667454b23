//! Links in Markdown bodies: what they may point at and how they become relative URLs.
//! `@/models/x.md#anchor` names a content page, `#anchor` a heading of the same page,
//! `/images/x.png` a file of `static/` (copied to the site root), `https://…` the web.
//! [`render_body`] is the one place a body is rendered with its links resolved: the build renders
//! pages through it and `medfm check` runs it without templates or writes, so both report the
//! same problems.

use std::collections::{BTreeSet, HashMap, HashSet};

use rayon::prelude::*;

use crate::base::hash::StableHasher;
use crate::base::url::root_for;
use crate::markup::highlight::Highlighter;

use crate::base::diagnostic::{did_you_mean, Diagnostic};
use crate::markup::markdown::{
    self, percent_decode, LinkProblem, LinkResolver, PageCitations, RenderOptions, Rendered, Source,
};
use crate::markup::references::PageReferences;
use crate::model::id::PageId;
use crate::model::page::{Page, PageFile};
use crate::model::site::Site;
use crate::model::translation::{counterpart, lacks_sections};
use crate::model::validate::url_problem;

/// Link schemes accepted besides `https://` (they open another program, load nothing).
const OTHER_SCHEMES: [&str; 2] = ["mailto", "tel"];

/// Heading ids per (page source, language), in the order of the headings.
type Anchors = HashMap<(String, String), Vec<String>>;

/// Everything a link may point at: the heading ids of every page in every language and the
/// files at the site root.
#[derive(Debug, Default)]
pub(crate) struct LinkTargets {
    anchors: Anchors,
    files: BTreeSet<String>,
}

impl LinkTargets {
    /// A hash of every target (same targets, same hash), for the page cache's site key.
    pub(crate) fn digest(&self) -> u64 {
        let mut anchors: Vec<(&(String, String), Vec<&String>)> = self
            .anchors
            .iter()
            .map(|(page, ids)| {
                let mut ids: Vec<&String> =
                    ids.iter().collect::<HashSet<_>>().into_iter().collect();
                ids.sort();
                (page, ids)
            })
            .collect();
        anchors.sort();
        let mut h = StableHasher::new();
        for ((source, lang), ids) in anchors {
            h.str(source).str(lang).u64(ids.len() as u64);
            for id in ids {
                h.str(id);
            }
        }
        for file in &self.files {
            h.str(file);
        }
        h.finish()
    }

    /// Collects the heading ids of `site` and the files at the site root a body may link:
    /// `files` (those of `static/` by their path inside it, and those the build generates).
    pub(crate) fn new<'a>(site: &Site, files: impl IntoIterator<Item = &'a str>) -> LinkTargets {
        let files: BTreeSet<String> = files.into_iter().map(str::to_string).collect();
        LinkTargets {
            anchors: collect_anchors(site),
            files,
        }
    }

    /// The heading ids of page `source` in `lang`, in order.
    fn anchors(&self, source: &str, lang: &str) -> &[String] {
        self.anchors
            .get(&(source.to_string(), lang.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// True when the page `source` has a heading with id `anchor` in `lang`.
    pub(crate) fn has_anchor(&self, source: &str, lang: &str, anchor: &str) -> bool {
        self.anchors(source, lang).iter().any(|id| id == anchor)
    }

    /// How to fix a link to `#anchor`, missing from page `source` in `lang`: the closest heading
    /// id, and the page's heading ids (the first [`ANCHORS_LISTED`]).
    fn anchor_hint(&self, source: &str, lang: &str, anchor: &str) -> String {
        let ids = self.anchors(source, lang);
        if ids.is_empty() {
            return format!("that page has no headings in `{lang}`; link the page without `#…`");
        }
        let mut listed: Vec<String> = ids
            .iter()
            .take(ANCHORS_LISTED)
            .map(|id| format!("#{id}"))
            .collect();
        if ids.len() > ANCHORS_LISTED {
            listed.push(format!("… ({} in all)", ids.len()));
        }
        let headings = format!(
            "its headings: {} (an id is the heading's text, lower-cased, spaces as `-`)",
            listed.join(", ")
        );
        match did_you_mean(anchor, ids.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `#{best}`? {headings}"),
            None => headings,
        }
    }

    /// True when `path` (`/`-separated, relative to the site root) is a file of the site.
    pub(crate) fn has_file(&self, path: &str) -> bool {
        self.files.contains(path)
    }
}

/// How many heading ids a hint lists.
const ANCHORS_LISTED: usize = 12;

fn collect_anchors(site: &Site) -> Anchors {
    site.pages
        .par_iter()
        .flat_map_iter(|p| {
            site.config.language_codes().map(move |lang| {
                let text = p.file(lang, site.default_lang());
                (
                    (p.source.clone(), lang.to_string()),
                    text.outline.iter().map(|h| h.id.clone()).collect(),
                )
            })
        })
        .collect()
}

/// Renders the Markdown body of page `i` in `lang` with every link resolved relative to that
/// page's output. Link problems come back as positioned diagnostics; the HTML is still produced.
pub(crate) fn render_body(
    site: &Site,
    targets: &LinkTargets,
    highlighter: &Highlighter,
    i: PageId,
    lang: &str,
) -> (Rendered, Vec<Diagnostic>) {
    let page = &site.pages[i];
    let text = page.file(lang, site.default_lang());
    let url = format!("{}{}", site.lang_prefix(lang), page.output);
    let resolver = Resolver {
        site,
        targets,
        lang,
        written_in: if page.files.contains_key(lang) {
            lang
        } else {
            site.default_lang()
        },
        page: &page.source,
        root: root_for(&url),
    };
    let references = PageReferences::of_page(site, i, lang);
    let source = Source {
        path: &text.file,
        file_text: &text.file_text,
        body: text.body(),
        body_line: text.body_line,
        references: references.as_ref().map(|r| r as &dyn PageCitations),
    };
    markdown::render_with(
        &source,
        &resolver,
        RenderOptions {
            trust_raw_html: site.config.trust_raw_html,
            strings: site.config.strings_for(lang),
        },
        highlighter,
    )
}

/// Resolves the links of one page in one language.
struct Resolver<'a> {
    site: &'a Site,
    targets: &'a LinkTargets,
    lang: &'a str,
    /// The language the body is written in: `lang`, or the default language when the page has
    /// no translation into `lang` (its text is shown instead).
    written_in: &'a str,
    /// Source path of the page being rendered (for same-page anchors).
    page: &'a str,
    /// `../` prefix from the page to the site root.
    root: String,
}

impl LinkResolver for Resolver<'_> {
    fn resolve(&self, target: &str, anchor: Option<&str>) -> Result<String, LinkProblem> {
        let Some(&i) = self.site.by_source.get(target) else {
            if self.site.drafts.iter().any(|d| d == target) {
                return Err(LinkProblem {
                    message: format!("link to a draft: content/{target} says `draft: true`"),
                    hint: Some(
                        "a published page cannot link to a page the build leaves out: publish \
                         it (remove `draft: true`), remove the link, or build with `--drafts`"
                            .to_string(),
                    ),
                });
            }
            return Err(LinkProblem {
                message: format!("link to a page that does not exist: content/{target}"),
                hint: Some(self.page_hint(target)),
            });
        };
        let page = &self.site.pages[i];
        let mut url = format!(
            "{}{}{}",
            self.root,
            self.site.lang_prefix(self.lang),
            page.output
        );
        if let Some(id) = anchor
            .map(|a| self.fragment(page, a))
            .transpose()?
            .flatten()
        {
            url.push('#');
            url.push_str(id);
        }
        Ok(url)
    }

    fn resolve_other(&self, dest: &str, image: bool) -> Result<String, LinkProblem> {
        match classify(dest) {
            Destination::Anchor(anchor) => self.same_page(dest, &anchor),
            Destination::Web => web(dest, image),
            Destination::Scheme(scheme) => other_scheme(dest, &scheme, image),
            Destination::SiteFile { path, rest } => self.site_file(dest, &path, rest, image),
            Destination::Relative => Err(relative(dest, image)),
        }
    }
}

impl Resolver<'_> {
    /// The fragment a link to heading `anchor` of `target` gets on this page's site, or why the
    /// heading does not exist. The anchor names a heading of the target's text in the language
    /// the link is written in; the link leads to the target in the language of the site, whose
    /// text may be another language's when either page is not translated:
    ///
    /// - the same language: the heading must exist, unless the target's translation lacks
    ///   sections of its source (the heading may be one of them; the link leads to the top of
    ///   the page, and the incomplete translation is reported on its own);
    /// - the link is in the default language's text (shown because this page has no
    ///   translation), the target translated: the heading must exist in the default language's
    ///   text, and the link leads to its counterpart in the translation (see
    ///   [`crate::model::translation::counterpart`]), or to the top of the page without one;
    /// - the target has no text in the link's language (its translation is missing): the
    ///   heading cannot be checked until it is translated, and the link leads to the top of the
    ///   page (the missing translation is reported once, on its own).
    fn fragment<'b>(
        &'b self,
        target: &'b Page,
        anchor: &'b str,
    ) -> Result<Option<&'b str>, LinkProblem> {
        let default = self.site.default_lang();
        let shown = match target.files.contains_key(self.lang) {
            true => self.lang,
            false => default,
        };
        let written_in = self.written_in;
        let has = |file: &PageFile| file.outline.iter().any(|h| h.id == anchor);
        let Some(written) = target.files.get(written_in) else {
            return Ok(has(&target.files[shown]).then_some(anchor));
        };
        if !has(written) {
            if lacks_sections(target, written_in, default) {
                // Maybe one of the sections its translation is missing, reported on its own.
                return Ok(None);
            }
            return Err(LinkProblem {
                message: format!(
                    "link to a missing heading: content/{} has no `#{anchor}` in language `{written_in}`",
                    target.source
                ),
                hint: Some(self.targets.anchor_hint(&target.source, written_in, anchor)),
            });
        }
        if written_in == shown {
            return Ok(Some(anchor));
        }
        Ok(counterpart(
            &written.outline,
            &target.files[shown].outline,
            anchor,
        ))
    }

    fn same_page(&self, dest: &str, anchor: &str) -> Result<String, LinkProblem> {
        if self.targets.has_anchor(self.page, self.lang, anchor) {
            return Ok(dest.to_string());
        }
        Err(problem(
            format!(
                "link to a missing heading: this page has no `#{anchor}` in language `{}`",
                self.lang
            ),
            self.targets.anchor_hint(self.page, self.lang, anchor),
        ))
    }

    /// How to fix a link to `target`, which is no page: the closest content path (by the whole
    /// path, else a page with the same file name in another folder).
    fn page_hint(&self, target: &str) -> String {
        let sources = self.site.by_source.keys().map(String::as_str);
        let file = |s: &str| s.rsplit('/').next().unwrap_or(s).to_string();
        let best = did_you_mean(target, sources).or_else(|| {
            let wanted = file(target);
            let mut same = self.site.by_source.keys().filter(|s| file(s) == wanted);
            match (same.next(), same.next()) {
                (Some(only), None) => Some(only.as_str()),
                _ => None,
            }
        });
        match best {
            Some(best) => format!("did you mean `@/{best}`? `@/` paths start inside content/"),
            None => "`@/` paths start inside content/ and name the file, e.g. `@/models/x.md`"
                .to_string(),
        }
    }

    fn site_file(
        &self,
        dest: &str,
        path: &str,
        rest: &str,
        image: bool,
    ) -> Result<String, LinkProblem> {
        if self.targets.has_file(path) {
            return Ok(format!("{}{path}{rest}", self.root));
        }
        let what = if image { "image" } else { "file" };
        let hint = if std::path::Path::new(path)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html"))
        {
            "link a page by its source file, e.g. `@/models/medsam.md`".to_string()
        } else {
            format!("put the file at static/{path} (static/ is copied to the site root), or fix the path")
        };
        Err(problem(
            format!("{what} `{dest}` does not exist: there is no static/{path}"),
            hint,
        ))
    }
}

/// What a link destination (other than `@/…`) points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Destination<'a> {
    /// `#anchor`: a heading of the same page (percent-decoded).
    Anchor(String),
    /// `https://…`, `http://…` or `//host/…`.
    Web,
    /// Another scheme such as `mailto:` (the scheme, lower-cased).
    Scheme(String),
    /// `/path`: a file at the site root; `path` is decoded and checked, `rest` is `?…`/`#…`.
    SiteFile {
        /// The file, relative to the site root, `/`-separated, percent-decoded.
        path: String,
        /// The query and fragment as written (may be empty).
        rest: &'a str,
    },
    /// Anything else: a relative path, an unsafe `/..` path, or nothing at all.
    Relative,
}

/// Classifies a link destination.
pub(crate) fn classify(dest: &str) -> Destination<'_> {
    if let Some(anchor) = dest.strip_prefix('#') {
        return Destination::Anchor(percent_decode(anchor));
    }
    if dest.starts_with("//") {
        return Destination::Web;
    }
    if let Some(scheme) = scheme_of(dest) {
        return match scheme.as_str() {
            "http" | "https" => Destination::Web,
            _ => Destination::Scheme(scheme),
        };
    }
    match dest.strip_prefix('/') {
        Some(rooted) => {
            let end = rooted.find(['?', '#']).unwrap_or(rooted.len());
            match site_path(&rooted[..end]) {
                Some(path) => Destination::SiteFile {
                    path,
                    rest: &rooted[end..],
                },
                None => Destination::Relative,
            }
        }
        None => Destination::Relative,
    }
}

/// The scheme of `dest` (`https` in `https://…`), lower-cased, if it has one.
fn scheme_of(dest: &str) -> Option<String> {
    let (scheme, _) = dest.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Decodes a site-root path and refuses empty, `.`/`..` and backslash segments.
pub(crate) fn site_path(raw: &str) -> Option<String> {
    let decoded = percent_decode(raw);
    let safe = !decoded.is_empty()
        && !decoded.contains('\\')
        && !decoded.contains('\0')
        && decoded
            .split('/')
            .all(|seg| !seg.is_empty() && seg != "." && seg != "..");
    safe.then_some(decoded)
}

fn web(dest: &str, image: bool) -> Result<String, LinkProblem> {
    if image {
        return Err(problem(
            format!("image `{dest}` is on another site: pages must not load anything from outside the site"),
            "save the image under static/ (e.g. static/images/x.png) and write `/images/x.png`",
        ));
    }
    if dest.starts_with("//") {
        return Err(problem(
            format!("malformed external URL `{dest}`: it has no scheme"),
            "write it in full: `https://…`",
        ));
    }
    match url_problem(dest) {
        Some(why) => Err(problem(
            format!("malformed external URL `{dest}`: {why}"),
            "external links look like `https://example.org/page`",
        )),
        None => Ok(dest.to_string()),
    }
}

fn other_scheme(dest: &str, scheme: &str, image: bool) -> Result<String, LinkProblem> {
    if !image && OTHER_SCHEMES.contains(&scheme) {
        return Ok(dest.to_string());
    }
    Err(problem(
        format!("unsupported link `{dest}`: `{scheme}:` links are not allowed"),
        "links are `@/models/x.md` (a page), `/file` (from static/), `#heading` or `https://…`",
    ))
}

fn relative(dest: &str, image: bool) -> LinkProblem {
    let what = if image { "image" } else { "link" };
    if dest.trim().is_empty() {
        return problem(
            format!("empty {what} target"),
            "write the target between the parentheses: `[text](@/models/x.md)`",
        );
    }
    problem(
        format!("{what} `{dest}` is not a page, a site file or a web address"),
        "link a page as `@/models/x.md`, a file of static/ as `/images/x.png`, a web page as `https://…`",
    )
}

fn problem(message: String, hint: impl Into<String>) -> LinkProblem {
    LinkProblem {
        message,
        hint: Some(hint.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_destinations() {
        assert_eq!(classify("#方法"), Destination::Anchor("方法".into()));
        assert_eq!(
            classify("#%E6%96%B9%E6%B3%95"),
            Destination::Anchor("方法".into())
        );
        assert_eq!(classify("https://x.org"), Destination::Web);
        assert_eq!(classify("HTTP://x.org"), Destination::Web);
        assert_eq!(classify("//x.org/a.png"), Destination::Web);
        assert_eq!(
            classify("mailto:a@b.org"),
            Destination::Scheme("mailto".into())
        );
        assert_eq!(
            classify("/images/a%20b.png?v=1"),
            Destination::SiteFile {
                path: "images/a b.png".into(),
                rest: "?v=1"
            }
        );
        assert_eq!(classify("images/a.png"), Destination::Relative);
        assert_eq!(classify("www.example.org"), Destination::Relative);
        assert_eq!(classify(""), Destination::Relative);
    }

    #[test]
    fn site_paths_never_leave_the_site() {
        assert_eq!(site_path("a/b.png").as_deref(), Some("a/b.png"));
        for bad in [
            "../x",
            "a/../../x",
            "%2e%2e/x",
            "a/%2E%2E/x",
            "a\\..\\x",
            "a//b",
            "",
            "./a",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
        assert_eq!(classify("/../site.yaml"), Destination::Relative);
    }

    #[test]
    fn web_links() {
        assert!(web("https://arxiv.org/abs/1", false).is_ok());
        assert!(web("https://arxiv.org/a.png", true).is_err());
        assert!(web("http://arxiv.org", false)
            .unwrap_err()
            .message
            .contains("https://"));
        assert!(web("https://localhost/x", false).is_err());
        assert!(other_scheme("mailto:a@b.org", "mailto", false).is_ok());
        assert!(other_scheme("ftp://x", "ftp", false).is_err());
    }
}
