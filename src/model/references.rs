//! Citations resolved once per build, and their references. Every page body (each language's
//! file once) is scanned for citations ([`crate::base::cite`]); each key names an entry (by
//! slug, any collection) or a work of the bibliography files. Unknown keys and malformed
//! citations are located errors, an uncited bibliography work a warning.
//!
//! References are formatted with a CSL style by hayagriva: each cited work once per language, in
//! the style `site.yaml` declares for that language (a style of hayagriva's bundled archive,
//! e.g. GB/T 7714 or Vancouver). An entry becomes a record through its collection's `citation`
//! mapping (title, authors, date, venue, volume, issue, pages, DOI, arXiv id, link); a work of a
//! bibliography file is formatted as its file records it.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use hayagriva::citationberg::taxonomy::{OtherTerm, Term};
use hayagriva::citationberg::{IndependentStyle, Locale, TermForm};
use hayagriva::types::EntryType;
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest,
    ElemChild, ElemChildren, Entry,
};

use rayon::prelude::*;

use crate::base::cite::{body_citations, BodyScan};
use crate::base::diagnostic::{did_you_mean, line_col, Diagnostic};
use crate::base::escape::{escape_markup, keep};
use crate::model::bibliography::{
    date_of, locales_for, BibWork, Bibliography, CitationsDecl, WorkFields, MORE_AUTHORS,
};
use crate::model::citation::{publication, split_name, Publication, VenueKind};
use crate::model::citations::{Citations, Citer, Reference, Work};
use crate::model::id::{Id as _, PageId};
use crate::model::page::PageFile;
use crate::model::site::Site;

/// Resolves the citations of every page of `site` against its entries and `bib`. With no
/// `citations` section in `site.yaml`, nothing is scanned.
pub(crate) fn resolve(site: &Site, bib: Bibliography) -> (Citations, Vec<Diagnostic>) {
    let Some(decl) = &site.config.citations else {
        return (Citations::default(), Vec::new());
    };
    let slugs = entry_slugs(site);
    let mut problems = key_clashes(&slugs, &bib);
    let scans = scan_files(site);
    let mut out = Citations::default();
    let known = |key: &str| slugs.contains_key(key) || bib.works.contains_key(key);
    let draft = |key: &str| {
        (site.config.model.collections.enumerate())
            .find_map(|(c, _)| site.draft_entry(c, key))
            .map(str::to_string)
    };
    let keys = Keys {
        known: &known,
        draft: &draft,
        slugs: &slugs,
        bib: &bib,
    };
    for ((i, lang), scan) in &scans {
        let file = &site.pages[*i].files[lang];
        problems.extend(file_problems(file, scan, &keys));
    }
    for (i, page) in site.pages.enumerate() {
        for lang in site.config.language_codes() {
            let written = match page.files.contains_key(lang) {
                true => lang,
                false => site.default_lang(),
            };
            let Some(scan) = scans.get(&(i, written.to_string())) else {
                continue;
            };
            add_page(
                &mut out,
                i,
                lang,
                page.file(lang, site.default_lang()),
                scan,
                &known,
            );
        }
    }
    let mut bib = bib;
    for key in out.cited_by.keys() {
        let work = match slugs.get(key.as_str()) {
            Some(&i) => Work::Entry(i),
            None => match bib.works.remove(key) {
                Some(w) => Work::External(Box::new(w)),
                None => continue,
            },
        };
        out.works.insert(key.clone(), work);
    }
    problems.extend(bib.works.iter().map(uncited));
    match format_all(site, decl, &out.works) {
        Ok(formatted) => out.formatted = formatted,
        Err(p) => problems.push(p),
    }
    (out, problems)
}

fn add_page(
    out: &mut Citations,
    i: PageId,
    lang: &str,
    file: &PageFile,
    scan: &BodyScan,
    known: &dyn Fn(&str) -> bool,
) {
    let mut keys: Vec<String> = Vec::new();
    for citation in &scan.citations {
        let section = (file.outline.iter())
            .take_while(|h| h.line <= citation.line)
            .last()
            .map(|h| (h.id.clone(), h.text.clone()));
        for (key, _) in citation.cites.iter().filter(|(k, _)| known(k)) {
            if !keys.contains(key) {
                keys.push(key.clone());
            }
            out.cited_by.entry(key.clone()).or_default().push(Citer {
                page: i,
                lang: lang.to_string(),
                section: section.clone(),
            });
        }
    }
    if !keys.is_empty() {
        out.pages.insert((i, lang.to_string()), keys);
    }
    for citers in out.cited_by.values_mut() {
        citers.sort();
        citers.dedup();
    }
}

/// Slug → page index of every entry of every collection.
fn entry_slugs(site: &Site) -> HashMap<String, PageId> {
    (site.collections.iter())
        .flat_map(|c| c.order.iter())
        .map(|&i| (site.pages[i].slug.clone(), i))
        .collect()
}

/// A bibliography key that is also an entry's slug is an error: a key names one work.
fn key_clashes(slugs: &HashMap<String, PageId>, bib: &Bibliography) -> Vec<Diagnostic> {
    (bib.works.iter())
        .filter_map(|(key, w)| {
            let i = slugs.get(key)?;
            let message = format!("bibliography key `{key}` is also the slug of an entry");
            let d = Diagnostic::error(w.file.as_str(), w.line, w.col, message);
            Some(d.with_hint(format!(
                "a key names one work: rename it (the entry is page #{}), and cite the entry as `[@{key}]`", i.index()
            )))
        })
        .collect()
}

/// The scan of every file of every page, by (page, language of the file).
fn scan_files(site: &Site) -> HashMap<(PageId, String), BodyScan> {
    let files: Vec<(PageId, &String, &PageFile)> = (site.pages.enumerate())
        .flat_map(|(i, p)| p.files.iter().map(move |(lang, f)| (i, lang, f)))
        .collect();
    files
        .par_iter()
        .map(|&(i, lang, f)| ((i, lang.clone()), body_citations(f.body())))
        .collect()
}

/// What a citation key may name.
struct Keys<'a> {
    /// Whether a key names an entry or a bibliography work.
    known: &'a dyn Fn(&str) -> bool,
    /// The source path of the draft entry a key names, when the build leaves drafts out.
    draft: &'a dyn Fn(&str) -> Option<String>,
    /// Entry slugs (for suggestions).
    slugs: &'a HashMap<String, PageId>,
    /// The bibliography (for suggestions).
    bib: &'a Bibliography,
}

/// The errors of one file's citations: malformed ones and unknown keys.
fn file_problems(file: &PageFile, scan: &BodyScan, keys: &Keys<'_>) -> Vec<Diagnostic> {
    let Keys {
        known,
        draft,
        slugs,
        bib,
    } = keys;
    let located = |at: usize, message: String| {
        let (line, col) = line_col(file.body(), at);
        Diagnostic::error(&file.file, file.file_line(line), col, message)
            .with_source(&file.file_text)
    };
    let mut out: Vec<Diagnostic> = (scan.problems.iter())
        .map(|&(at, why)| located(at, format!("malformed citation: {why}")))
        .collect();
    for citation in &scan.citations {
        for ((key, _), &at) in citation.cites.iter().zip(&citation.at) {
            if known(key) {
                continue;
            }
            if let Some(source) = draft(key) {
                let message =
                    format!("citation of the draft `@{key}`: content/{source} says `draft: true`");
                let hint = "a published page cannot cite a page the build leaves out: publish it (remove `draft: true`), cite another work, or build with `--drafts`";
                out.push(located(at, message).with_hint(hint));
                continue;
            }
            let candidates = slugs.keys().chain(bib.works.keys()).map(String::as_str);
            let hint = match did_you_mean(key, candidates) {
                Some(best) => format!("did you mean `@{best}`? A key is an entry's slug or a key of the bibliography files"),
                None => "a key is an entry's slug (its file name) or a key of the bibliography files declared in site.yaml (`citations.bibliography`)".to_string(),
            };
            out.push(located(at, format!("citation of unknown key `@{key}`")).with_hint(hint));
        }
    }
    out
}

/// The warning for a bibliography work no page cites.
fn uncited((key, w): (&String, &BibWork)) -> Diagnostic {
    Diagnostic::warning(
        w.file.as_str(),
        w.line,
        w.col,
        format!("bibliography work `{key}` is not cited by any page"),
    )
    .with_hint(format!("cite it as `[@{key}]`, or remove it from the file"))
}

/// The reference of every cited work in every language of the site.
pub(crate) fn format_all(
    site: &Site,
    decl: &CitationsDecl,
    works: &BTreeMap<String, Work>,
) -> Result<BTreeMap<String, HashMap<String, Reference>>, Diagnostic> {
    if works.is_empty() {
        return Ok(BTreeMap::new());
    }
    let entries: Vec<Entry> = (works.iter())
        .map(|(key, work)| match work {
            Work::Entry(i) => entry_record(site, key, *i),
            Work::External(w) => w.entry.clone(),
        })
        .collect();
    let urls: Vec<Option<String>> = (works.values())
        .map(|w| match w {
            Work::Entry(i) => site
                .collection_of(*i)
                .and_then(|c| publication(c, &site.pages[*i]).and_then(|p| p.primary_url())),
            Work::External(w) => external_url(&w.entry),
        })
        .collect();
    let styles = (site.config.language_codes())
        .map(|lang| {
            let name = decl.style.get(lang).map_or("", String::as_str);
            let style = crate::model::bibliography::style(name)
                .map_err(|m| Diagnostic::error(crate::model::config::CONFIG_FILE, 0, 0, m))?;
            Ok((lang, style))
        })
        .collect::<Result<Vec<_>, Diagnostic>>()?;
    let locales = locales_for(&styles.iter().map(|(_, s)| s).collect::<Vec<_>>());
    let mut out = BTreeMap::new();
    for (lang, style) in &styles {
        let mut refs = format_language(style, &locales, &entries);
        for ((key, r), url) in works.keys().zip(&mut refs).zip(&urls) {
            debug_assert_eq!(key, &r.0);
            r.1.url.clone_from(url);
        }
        out.insert(lang.to_string(), refs.into_iter().collect());
    }
    Ok(out)
}

/// The references of `entries` in one style: each entry cited alone once (its label), then the
/// bibliography of them all (its text).
fn format_language(
    style: &IndependentStyle,
    locales: &[Locale],
    entries: &[Entry],
) -> Vec<(String, Reference)> {
    let mut driver = BibliographyDriver::new();
    for entry in entries {
        let item = CitationItem::with_entry(entry);
        driver.citation(CitationRequest::from_items(vec![item], style, locales));
    }
    let rendered = driver.finish(BibliographyRequest::new(style, None, locales));
    let mut texts: HashMap<String, ElemChildren> = rendered
        .bibliography
        .map(|b| b.items.into_iter().map(|i| (i.key, i.content)).collect())
        .unwrap_or_default();
    let more = MoreAuthors::of(style, locales);
    (entries.iter().zip(rendered.citations))
        .map(|(entry, cited)| {
            let key = entry.key().to_string();
            let content = texts.remove(&key).unwrap_or_default();
            let mut sort = String::new();
            let _ = content.write_buf(&mut sort, BufWriteFormat::Plain);
            let sort = more.mark(&sort);
            let mut label = String::new();
            let _ = cited.citation.write_buf(&mut label, BufWriteFormat::Plain);
            let label = label
                .trim()
                .trim_start_matches(['(', '[', '（'])
                .trim_end_matches([')', ']', '）'])
                .to_string();
            let reference = Reference {
                html: more.mark(&html(&content)),
                label,
                sort,
                url: None,
            };
            (key, reference)
        })
        .collect()
}

/// How a style's locale ends an author list cut short: its "et al." term, and the "and" it
/// puts before a list's last name (dropped before "et al.").
struct MoreAuthors {
    et_al: String,
    and: String,
}

impl MoreAuthors {
    /// The terms of `style`'s default locale (English when it has none or lacks them).
    fn of(style: &IndependentStyle, locales: &[Locale]) -> Self {
        let lang = style.default_locale.as_ref().map(|c| c.0.as_str());
        let term = |wanted: OtherTerm| {
            let of = |l: &Locale| {
                (l.terms.as_ref()?.terms.iter())
                    .find(|t| t.name == Term::Other(wanted) && t.form == TermForm::Long)
                    .and_then(|t| t.single().map(str::to_string))
            };
            fn code(l: &Locale) -> Option<&str> {
                l.lang.as_ref().map(|c| c.0.as_str())
            }
            (style.locale.iter().chain(locales))
                .filter(|l| code(l) == lang || code(l) == Some("en-US"))
                .max_by_key(|l| code(l) == lang)
                .and_then(of)
        };
        MoreAuthors {
            et_al: term(OtherTerm::EtAl).unwrap_or_else(|| "et al.".into()),
            and: term(OtherTerm::And).unwrap_or_else(|| "and".into()),
        }
    }

    /// `text` with the placeholder of a cut author list, and the connector before it, replaced
    /// by "et al.": "A. Kirillov, E. Mintun, and ⟨…⟩," becomes "A. Kirillov, E. Mintun, et al.,".
    fn mark(&self, text: &str) -> String {
        let Some((before, after)) = text.split_once(MORE_AUTHORS) else {
            return text.to_string();
        };
        let mut head = before.trim_end();
        for connector in [self.and.as_str(), "&amp;", "&"] {
            head = head.strip_suffix(connector).unwrap_or(head).trim_end();
        }
        let head = head.strip_suffix([',', '，']).unwrap_or(head);
        format!("{head}, {}{after}", self.et_al)
    }
}

/// `text` with `&`, `<`, `>` and `"` escaped (`'` kept).
fn escape(text: &str) -> String {
    escape_markup(text, "'", keep)
}

/// `children` as HTML, text escaped (hayagriva writes text as it is).
fn html(children: &ElemChildren) -> String {
    let mut out = String::new();
    for child in &children.0 {
        write_child(&mut out, child);
    }
    out.trim().to_string()
}

fn write_child(out: &mut String, child: &ElemChild) {
    match child {
        ElemChild::Text(t) => {
            let mut t = t.clone();
            t.text = escape(&t.text);
            let _ = ElemChild::Text(t).write_buf(out, BufWriteFormat::Html);
        }
        ElemChild::Elem(e) => {
            for c in &e.children.0 {
                write_child(out, c);
            }
        }
        ElemChild::Markup(m) => out.push_str(&escape(m)),
        ElemChild::Link { text, url } => {
            let safe = url.starts_with("https://") || url.starts_with("http://");
            match safe {
                true => {
                    let _ = write!(
                        out,
                        "<a href=\"{}\">{}</a>",
                        escape(url),
                        escape(&text.text)
                    );
                }
                false => out.push_str(&escape(&text.text)),
            }
        }
        ElemChild::Transparent { .. } => {}
    }
}

/// The address of a work of a bibliography file: its DOI, else its URL.
fn external_url(entry: &Entry) -> Option<String> {
    match (entry.doi(), entry.url()) {
        (Some(doi), _) => Some(format!("https://doi.org/{doi}")),
        (None, Some(url)) => Some(url.value.to_string()),
        _ => None,
    }
}

/// Entry `i`'s record: through its collection's `citation` mapping, or its title alone.
fn entry_record(site: &Site, key: &str, i: PageId) -> Entry {
    let page = &site.pages[i];
    let Some(p) = site.collection_of(i).and_then(|c| publication(c, page)) else {
        let mut e = Entry::new(key, EntryType::Misc);
        e.set_title(site.title(i, site.default_lang()).to_string().into());
        return e;
    };
    fields_of(&p).entry(key)
}

/// The facts of a publication, as a record's fields.
fn fields_of(p: &Publication<'_>) -> WorkFields {
    let (kind, parent_kind, container) = match p.venue_kind() {
        VenueKind::Journal => (
            EntryType::Article,
            EntryType::Periodical,
            p.venue.to_string(),
        ),
        VenueKind::Conference(full) => {
            (EntryType::Article, EntryType::Proceedings, full.to_string())
        }
        VenueKind::Other if !p.arxiv.is_empty() => (
            EntryType::Article,
            EntryType::Repository,
            "arXiv".to_string(),
        ),
        VenueKind::Other => (EntryType::Article, EntryType::Misc, p.venue.to_string()),
    };
    let kind = if p.is_dataset() {
        EntryType::Repository
    } else {
        kind
    };
    let authors = (p.authors.iter())
        .filter_map(|a| {
            let (family, given) = split_name(a);
            let parts = if given.is_empty() {
                vec![family]
            } else {
                vec![family, given]
            };
            hayagriva::types::Person::from_strings(parts).ok()
        })
        .collect();
    WorkFields {
        title: p.cited_title().to_string(),
        authors,
        more_authors: p.more_authors,
        date: p.date.map(|d| date_of(i32::from(d.year), d.month, d.day)),
        container,
        volume: p.volume.to_string(),
        issue: p.number.to_string(),
        pages: p.pages.to_string(),
        doi: p.doi.to_string(),
        url: if p.doi.is_empty() {
            p.primary_url().unwrap_or_default()
        } else {
            String::new()
        },
        arxiv: p.arxiv.to_string(),
        kind,
        parent_kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hayagriva::archive;
    use hayagriva::types::Person;

    fn article() -> Entry {
        let bib = "@article{ma2024,\n  title = {Segment anything in medical images},\n  author = {Ma, Jun and He, Yuting and Li, Feifei},\n  year = {2024},\n  journal = {Nature Communications},\n  volume = {15},\n  pages = {654},\n  doi = {10.1038/s41467-024-44824-z}\n}\n";
        hayagriva::io::from_biblatex_str(bib)
            .unwrap()
            .iter()
            .next()
            .unwrap()
            .clone()
    }

    #[test]
    fn formats_in_the_declared_style() {
        let locales = archive::locales();
        for name in ["vancouver", "gb-7714-2015-numeric", "apa"] {
            let style = crate::model::bibliography::style(name).unwrap();
            let refs = format_language(&style, &locales, &[article()]);
            let r = &refs[0].1;
            assert!(
                r.html.contains("Segment anything in medical images"),
                "{name}: {}",
                r.html
            );
            assert!(
                !r.html.starts_with('['),
                "{name}: the number is the page's: {}",
                r.html
            );
            assert!(r.sort.to_uppercase().contains("MA"), "{name}: {}", r.sort);
            eprintln!("{name}: {} | {}", r.html, r.label);
        }
    }

    #[test]
    fn unknown_styles_suggest_a_name() {
        let e = crate::model::bibliography::style("vancover").unwrap_err();
        assert!(e.contains("did you mean `vancouver`"), "{e}");
    }

    #[test]
    fn a_cut_author_list_ends_with_the_locales_et_al() {
        let mut e = Entry::new("x", EntryType::Article);
        e.set_title("A study".to_string().into());
        let names = [vec!["Doe", "John"], vec!["Roe", "Jane"], vec![MORE_AUTHORS]];
        let people = names.into_iter().map(|n| Person::from_strings(n).unwrap());
        e.set_authors(people.collect());
        let format = |style: &str| {
            let style = crate::model::bibliography::style(style).unwrap();
            let refs = format_language(&style, &archive::locales(), std::slice::from_ref(&e));
            refs[0].1.html.clone()
        };
        let ieee = format("ieee");
        assert!(ieee.contains("J. Doe, J. Roe, et al.,"), "{ieee}");
        let gb = format("gb-7714-2015-numeric");
        assert!(gb.contains("DOE J, ROE J, 等."), "{gb}");
        assert!(!ieee.contains(MORE_AUTHORS) && !gb.contains(MORE_AUTHORS));
    }

    #[test]
    fn text_is_escaped() {
        let mut e = Entry::new("x", EntryType::Misc);
        e.set_title("<b>A & B</b>".to_string().into());
        let refs = format_language(
            &crate::model::bibliography::style("apa").unwrap(),
            &archive::locales(),
            &[e],
        );
        assert!(
            refs[0].1.html.contains("&lt;b&gt;A &amp; B"),
            "{}",
            refs[0].1.html
        );
    }
}
