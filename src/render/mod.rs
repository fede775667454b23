//! Pages rendered through Tera templates: every entry page, every page of the other pages'
//! layouts, and the generated pages (collection lists, taxonomies and terms, the table, the
//! lineage graph, search, 404, the data page and the print view). Each page kind has its typed
//! context ([`context`]); every page shares the frame and the head metadata ([`meta`]).
//! Rendering is pure: a page comes back as its path and HTML (or its template error, or word
//! that the previous build rendered the same context: [`Html::Unchanged`]), and the build
//! decides where it goes.

pub(crate) mod context;
pub(crate) mod meta;
mod origins;
pub(crate) mod print;

use crate::base::diagnostic::Diagnostic;
use crate::base::url::root_for;
use crate::markup::highlight::Highlighter;
use crate::markup::links::LinkTargets;
use crate::markup::markdown::Rendered;
use crate::model::citation::Citation;
use crate::model::id::{CollectionId, IdVec, PageId, TaxonomyId, TermId};
use crate::model::lineage::LineageGraph;
use crate::model::schema::Layout;
use crate::model::site::Site;
use crate::outputs::{bibtex, exports};
use crate::templates::guard::TemplateGuard;
use crate::templates::{Call, Context, ContextError, Templates};
use crate::view::charts::{ChartView, PageFilter};
use crate::view::lineage::{entry_graph, lineage_page};
use crate::view::table::table_view;
use crate::view::{Group, PageCard, ViewMemo, Views};
use crate::write::contexts::{context_key, ContextCache};
use context::{
    Alternate, BibliographyPage, BodyView, CollectionLink, DataPage, EntryPage, ExportFiles,
    Features, FieldInfo, Frame, LayoutExtra, LicenseView, LineagePageContext, ListPage,
    PageContext, PlainPage, ProsePage, Release, SiteCitation, TablePage, TaxonomiesPage,
    TaxonomyHeading, TaxonomyPage, TaxonomyView, TermPage,
};
use meta::{HeadInput, Subject};
use print::{EntryPiece, PieceTools, PrintPlan};

/// Template of the bibliography page.
pub(crate) const BIBLIOGRAPHY_TEMPLATE: &str = "bibliography.html";

/// Output path of the data-and-citation page inside each language folder.
pub(crate) const DATA_FILE: &str = "data.html";

/// What rendering a page needs, shared by every page of a build.
pub(crate) struct Renderer<'a> {
    /// The site.
    pub(crate) site: &'a Site,
    /// The templates.
    pub(crate) templates: &'a Templates,
    /// Everything a link may point at.
    pub(crate) targets: &'a LinkTargets,
    /// Highlights code blocks, remembering the results.
    pub(crate) highlighter: &'a Highlighter,
    /// Bounds every template render.
    pub(crate) guard: &'a TemplateGuard,
    /// Template data shared by the pages of each language.
    pub(crate) memo: &'a ViewMemo<'a>,
    /// The lineage graph of the site.
    pub(crate) lineage: &'a LineageGraph,
    /// What the print view holds.
    pub(crate) print: &'a PrintPlan,
    /// True when the templates have a search page.
    pub(crate) has_search: bool,
    /// The context keys of the previous build and this one (a build only, not a check).
    pub(crate) contexts: Option<&'a ContextCache>,
    /// The site's own citation (`CITATION.cff`), if it has one.
    pub(crate) citation: Option<&'a Citation>,
}

/// One page to render.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Job {
    /// A page from `content/`.
    Content(PageId),
    /// The list of a collection's entries.
    List(CollectionId),
    /// The index of every taxonomy.
    Taxonomies,
    /// One taxonomy.
    Taxonomy(TaxonomyId),
    /// One term of a taxonomy.
    Term(TaxonomyId, TermId),
    /// `404.html`.
    NotFound,
    /// `search.html`.
    Search,
    /// `table.html`.
    Table,
    /// `lineage.html`.
    Lineage,
    /// The bibliography page.
    Bibliography,
}

/// A rendered page: where it goes (site-root-relative) and its HTML, or the template's error.
#[derive(Debug)]
pub(crate) struct PageOutput {
    /// Site-root-relative path, e.g. `en/models/medsam.html`.
    pub(crate) path: String,
    /// The HTML, or why the template could not render it.
    pub(crate) html: Result<Html, Diagnostic>,
}

/// A page's HTML as rendering leaves it.
#[derive(Debug)]
pub(crate) enum Html {
    /// Rendered by this build.
    Rendered(String),
    /// Not rendered: the previous build rendered the same template from the same context, and
    /// its file is there to link (see [`crate::write::contexts`]).
    Unchanged,
    /// Not rendered yet: the page was given its body by key alone ([`Body::Keyed`]) and its
    /// context changed, so it needs its body rendered and asked for again.
    NeedsBody,
}

impl PageOutput {
    /// Writes the page into `staging` (or links it from the previous site when unchanged), or
    /// adds its template error to `problems`.
    pub(crate) fn write_to(
        self,
        staging: &crate::write::staging::Staging,
        problems: &mut Vec<Diagnostic>,
    ) -> anyhow::Result<()> {
        match self.html {
            Ok(Html::Rendered(html)) => staging.write(&self.path, html.as_bytes()),
            Ok(Html::Unchanged) => staging.link_previous(&self.path),
            Ok(Html::NeedsBody) => anyhow::bail!("{} was never given its body", self.path),
            Err(problem) => {
                problems.push(problem);
                Ok(())
            }
        }
    }
}

/// A content page's body as the renderer is given it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Body<'b> {
    /// Rendered; with its key: what it is made from, the text and what its links and citations
    /// resolve against (see [`crate::write::incremental::PageStore::body_in_context`]).
    Rendered(u64, &'b Rendered),
    /// Known by its key alone: enough to find the page unchanged; otherwise the page is not
    /// rendered but answered with [`Html::NeedsBody`].
    Keyed(u64),
}

/// What the pages of one language share, made once before they are rendered.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    nav: Vec<PageCard>,
    fields: IdVec<CollectionId, Vec<FieldInfo>>,
    collections: IdVec<CollectionId, CollectionLink>,
    taxonomies: IdVec<TaxonomyId, TaxonomyView>,
    release: Option<Release>,
}

/// Every page to render in one language: the generated pages first (the largest of them list
/// every entry, so they start while the other threads take the content pages), then the
/// content pages.
pub(crate) fn jobs(site: &Site) -> Vec<Job> {
    let model = &site.config.model;
    let mut jobs = Vec::new();
    if model.table.is_some() {
        jobs.push(Job::Table);
    }
    if model.lineage.is_some() {
        jobs.push(Job::Lineage);
    }
    jobs.extend(model.collections.ids().map(Job::List));
    if !site.taxonomies.is_empty() {
        jobs.push(Job::Taxonomies);
    }
    jobs.extend([Job::NotFound, Job::Search]);
    if site.config.citations.is_some() {
        jobs.push(Job::Bibliography);
    }
    for (t, tax) in site.taxonomies.enumerate() {
        jobs.push(Job::Taxonomy(t));
        jobs.extend(tax.terms.ids().map(|term| Job::Term(t, term)));
    }
    jobs.extend(site.pages.ids().map(Job::Content));
    jobs
}

impl<'a> Renderer<'a> {
    /// Views in `lang`.
    pub(crate) fn views(&self, lang: &'a str) -> Views<'a> {
        Views {
            site: self.site,
            lang,
            memo: self.memo,
        }
    }

    /// What the pages of `lang` share. A build that renders no generated page needs only the
    /// navigation; one that does gets every entry's card made first ([`Views::make_cards`]).
    pub(crate) fn shared(&self, lang: &'a str, generated: bool) -> Shared {
        let views = self.views(lang);
        let site = self.site;
        if generated {
            views.make_cards();
        }
        let nav = site.nav_pages.iter().map(|&i| views.page_card(i)).collect();
        let collections = (site.config.model.collections.enumerate())
            .map(|(c, decl)| CollectionLink {
                name: decl.name.clone(),
                folder: decl.folder.clone(),
                label: site.config.localized(&decl.label, lang).to_string(),
                url: views.url(&format!("{}/index.html", decl.folder)),
                count: site.collections[c].order.len(),
            })
            .collect();
        let taxonomies = match generated {
            true => (site.taxonomies.ids())
                .map(|t| taxonomy_view(&views, t))
                .collect(),
            false => IdVec::default(),
        };
        let fields = (site.config.model.collections.iter())
            .map(|c| {
                // `draft` is not a fact about the work: every built page has it, false
                // (unless drafts are built, where a template may show `page.draft`).
                (c.schema.fields.iter())
                    .filter(|f| f.name != crate::model::schema::DRAFT_FIELD)
                    .map(|f| FieldInfo {
                        name: f.name.clone(),
                        label: f.label.as_ref().map_or_else(
                            || f.name.clone(),
                            |l| site.config.localized(l, lang).to_string(),
                        ),
                        ty: crate::model::schema::type_name(f.ty),
                    })
                    .collect()
            })
            .collect();
        Shared {
            nav,
            fields,
            collections,
            taxonomies,
            release: self.citation.map(|c| release(&views, c)),
        }
    }

    /// Which site-wide pages this site has.
    fn features(&self) -> Features {
        let model = &self.site.config.model;
        Features {
            feed: model.feed.is_some(),
            table: model.table.is_some(),
            lineage: model.lineage.is_some(),
            print: model.print.is_some(),
            exports: model.exports.is_some(),
            taxonomies: !self.site.taxonomies.is_empty(),
            bibliography: (self.site.config.citations.as_ref()).map(|c| c.page.clone()),
        }
    }

    /// Renders the content page `i` in `lang`, whose body is `body`. Also returns its piece of
    /// the print view, when it has one (or the print template's error).
    pub(crate) fn content(
        &self,
        lang: &'a str,
        shared: &Shared,
        i: PageId,
        body: Body<'_>,
    ) -> (PageOutput, Option<Result<EntryPiece, Diagnostic>>) {
        let body_view = match body {
            Body::Rendered(key, body) => BodyView {
                key,
                html: &body.html,
                toc: (body.headings.iter())
                    .filter(|h| (2..=3).contains(&h.level))
                    .collect(),
                highlighted: body.highlighted,
                rendered: true,
            },
            Body::Keyed(key) => BodyView {
                key,
                html: "",
                toc: Vec::new(),
                highlighted: false,
                rendered: false,
            },
        };
        let views = self.views(lang);
        match self.site.pages[i].collection {
            Some(c) => self.entry_page(&views, shared, i, c, body_view),
            None => self.prose_page(&views, shared, i, body_view),
        }
    }

    /// The spec of content page `i`: its title and summary in `views.lang`.
    fn content_spec<'p>(&self, views: &Views<'a>, i: PageId, template: &'p str) -> PageSpec<'p>
    where
        'a: 'p,
    {
        let site = self.site;
        PageSpec::new(
            template,
            &site.pages[i].output,
            site.title(i, views.lang).to_string(),
        )
        .described(site.summary(i, views.lang).to_string())
    }

    /// Entry `i` of collection `c`, with its print piece.
    fn entry_page(
        &self,
        views: &Views<'a>,
        shared: &Shared,
        i: PageId,
        c: CollectionId,
        body: BodyView<'_>,
    ) -> (PageOutput, Option<Result<EntryPiece, Diagnostic>>) {
        let site = self.site;
        let mut entry = views.entry(i);
        let piece = self.print.includes(i).then(|| {
            let tools = PieceTools {
                templates: self.templates,
                guard: self.guard,
                highlighter: self.highlighter,
                contexts: self.contexts,
            };
            (self.print).entry_piece(&tools, views, i, &body, &mut entry)
        });
        let url = views.url(&site.pages[i].output);
        let lineage_graph = site.config.model.lineage.as_ref().and_then(|decl| {
            (decl.at == c)
                .then(|| entry_graph(views, decl, self.lineage, i, &root_for(&url)))
                .flatten()
        });
        let kind = EntryPage {
            page: entry,
            body,
            labels: views.labels(c),
            fields: &shared.fields[c],
            lineage_graph,
            bibtex: bibtex::page_entry(site, i).map(|e| e.to_bibtex()),
            discussed_in: views.discussed_in(i),
        };
        let template = &site.config.model.collections[c].template;
        let spec = (self.content_spec(views, i, template))
            .about(Subject::Entry(i))
            .with_body(&kind.body);
        (self.render(views, shared, spec, kind), piece)
    }

    /// Page `i` outside the collections, in its layout, with its print piece.
    fn prose_page(
        &self,
        views: &Views<'a>,
        shared: &Shared,
        i: PageId,
        body: BodyView<'_>,
    ) -> (PageOutput, Option<Result<EntryPiece, Diagnostic>>) {
        let site = self.site;
        let layout = site.layout(i).unwrap_or("page");
        let piece = (self.print.includes(i)).then(|| {
            let body = self.print.body(site, self.highlighter, views.lang, i);
            Ok(EntryPiece::Rendered(body))
        });
        let kind = ProsePage {
            page: views.page_card(i),
            body,
            layout,
            extra: self.layout_extra(views, i, layout),
        };
        let layouts = &site.config.model.pages.layouts;
        let template = layouts
            .get(layout)
            .map_or("page.html", |l| l.template.as_str());
        let subject = match layout {
            "home" => Subject::Home,
            _ => Subject::Page,
        };
        let spec = (self.content_spec(views, i, template))
            .about(subject)
            .with_body(&kind.body);
        (self.render(views, shared, spec, kind), piece)
    }

    /// What layout `layout` adds to page `i`.
    fn layout_extra(&self, views: &Views<'a>, i: PageId, layout: &str) -> LayoutExtra<'a> {
        let site = self.site;
        let Some(decl) = site.config.model.pages.layouts.get(layout) else {
            return LayoutExtra::default();
        };
        let r = decl.resolved;
        let mut extra = LayoutExtra {
            charts: self.charts(views, i, decl),
            ..LayoutExtra::default()
        };
        if let (Some(count), Some(c)) = (decl.newest, r.newest_collection) {
            let mut newest = site.collections[c].order.clone();
            newest.sort_by_key(|&j| (std::cmp::Reverse(site.date(j)), site.pages[j].slug.clone()));
            newest.truncate(count);
            extra.newest = Some(views.cards(newest));
            extra.total = Some(site.collections[c].order.len());
            extra.counts = Some(
                (site.taxonomies.ids())
                    .map(|t| {
                        let counts = serde_json::to_value(views.term_counts(t)).unwrap_or_default();
                        (site.taxonomies[t].name.clone(), counts)
                    })
                    .collect(),
            );
        }
        if let Some(c) = r.collection {
            // Listed by a term field: the entries with the page's term; else every entry.
            let by_term = r.page_field.zip(r.entry_field);
            let mut entries = match by_term {
                Some((page_field, entry_field)) => {
                    let key = site.pages[i].values[page_field].as_str();
                    extra.term = Some(views.term(c, entry_field, key));
                    site.entries_with(c, entry_field, key)
                }
                None => site.collections[c].order.clone(),
            };
            match r.group_by {
                Some(g) => {
                    // Every group's entries in turn too, so that a template never concatenates
                    // the groups itself (`concat` in a loop copies the list once per group).
                    let groups = views.groups(c, g, &entries);
                    let all = groups.iter().flat_map(|g| g.entries.iter().copied());
                    extra.entries = Some(all.collect());
                    extra.groups = Some(groups);
                }
                None => extra.entries = Some(views.cards(entries.iter().copied())),
            }
            if r.timeline {
                if let (Some(ancestors), Some((_, entry_field))) = (r.ancestors, by_term) {
                    entries.extend(site.unlisted_ancestors(
                        c,
                        &entries,
                        ancestors,
                        entry_field,
                        layout,
                    ));
                }
                extra.timeline = Some(views.timeline(c, &entries));
            }
        }
        extra
    }

    /// The charts of layout `decl` on page `i`: counting only the entries of the page's term
    /// when the layout lists entries by a term.
    fn charts(&self, views: &Views<'a>, i: PageId, decl: &Layout) -> Vec<ChartView> {
        let site = self.site;
        let r = decl.resolved;
        let term = r
            .page_field
            .zip(r.entry_field)
            .zip(r.collection)
            .map(|((p, e), c)| {
                let name = site.config.model.collections[c].schema.fields[e]
                    .name
                    .as_str();
                (name, site.pages[i].values[p].as_str())
            });
        let root = root_for(&views.url(&site.pages[i].output));
        (decl.charts.iter())
            .map(|name| views.chart(name, PageFilter { term }, &root))
            .collect()
    }

    /// Renders generated page `job` in `lang` (not a content page).
    pub(crate) fn generated(&self, lang: &'a str, shared: &Shared, job: Job) -> PageOutput {
        let views = self.views(lang);
        let plain = |template: &str, title: String| {
            self.render(
                &views,
                shared,
                PageSpec::new(template, template, title),
                PlainPage {},
            )
        };
        match job {
            Job::Content(_) => unreachable!("content pages are rendered by `content`"),
            Job::List(c) => self.list_page(&views, shared, c),
            Job::Taxonomies => {
                let kind = TaxonomiesPage {
                    taxonomies: &shared.taxonomies,
                };
                let title = views.t("taxonomies");
                let spec = PageSpec::new("taxonomies.html", "taxonomies/index.html", title);
                self.render(&views, shared, spec, kind)
            }
            Job::Taxonomy(t) => {
                let view = &shared.taxonomies[t];
                let path = format!("taxonomies/{}/index.html", view.name);
                let spec = PageSpec::new("taxonomy.html", &path, view.label.clone());
                self.render(&views, shared, spec, TaxonomyPage { taxonomy: view })
            }
            Job::Term(t, term) => self.term_page(&views, shared, t, term),
            Job::NotFound => plain("404.html", views.t("not_found_title")),
            Job::Search => plain("search.html", views.t("search_title")),
            Job::Table => self.table_page(&views, shared),
            Job::Lineage => self.lineage_page(&views, shared),
            Job::Bibliography => self.bibliography_page(&views, shared),
        }
    }

    /// The list of collection `c`'s entries, grouped by its group field.
    fn list_page(&self, views: &Views<'a>, shared: &Shared, c: CollectionId) -> PageOutput {
        let site = self.site;
        let decl = &site.config.model.collections[c];
        let order = &site.collections[c].order;
        let groups = match decl.roles.group {
            Some(g) => views.groups(c, g, order),
            None => vec![Group {
                term: None,
                entries: views.cards(order.iter().copied()),
            }],
        };
        let kind = ListPage {
            collection: &shared.collections[c],
            groups,
        };
        let path = format!("{}/index.html", decl.folder);
        let title = shared.collections[c].label.clone();
        self.render(
            views,
            shared,
            PageSpec::new("list.html", &path, title),
            kind,
        )
    }

    /// The page of term `term` of taxonomy `t`.
    fn term_page(
        &self,
        views: &Views<'a>,
        shared: &Shared,
        t: TaxonomyId,
        term: TermId,
    ) -> PageOutput {
        let site = self.site;
        let taxonomy = &site.taxonomies[t];
        let term = &taxonomy.terms[term];
        let term_ref = views.taxonomy_term(t, &term.key);
        let view = &shared.taxonomies[t];
        let colon = views.punctuation("colon", ": ");
        let title = format!("{}{colon}{}", view.label, term_ref.label);
        let filter = site.config.model.table.as_ref().is_some_and(|table| {
            table.at == taxonomy.collection && table.filters.contains(&taxonomy.name)
        });
        let kind = TermPage {
            // Only the heading: the term list would make every term page as long as the
            // taxonomy (quadratic in the number of terms).
            taxonomy: TaxonomyHeading {
                name: &view.name,
                label: &view.label,
                url: &view.url,
            },
            table_url: filter
                .then(|| views.url(&format!("table.html?{}={}", taxonomy.name, term.key))),
            term: term_ref,
            entries: views.cards(term.entries.iter().copied()),
        };
        let path = format!("taxonomies/{}/{}.html", taxonomy.name, term.slug);
        self.render(
            views,
            shared,
            PageSpec::new("term.html", &path, title),
            kind,
        )
    }

    /// The table page.
    fn table_page(&self, views: &Views<'a>, shared: &Shared) -> PageOutput {
        let model = &self.site.config.model;
        let decl = model.table.as_ref().expect("a table job has a table");
        let kind = TablePage {
            table: table_view(views, decl),
        };
        let spec = PageSpec::new("table.html", "table.html", views.t("table"));
        self.render(views, shared, spec, kind)
    }

    /// The lineage page.
    fn lineage_page(&self, views: &Views<'a>, shared: &Shared) -> PageOutput {
        let model = &self.site.config.model;
        let decl = model.lineage.as_ref().expect("a lineage job has a lineage");
        let root = root_for(&views.url("lineage.html"));
        let kind = LineagePageContext {
            lineage: lineage_page(views, decl, self.lineage, &root),
            labels: views.labels(decl.at),
        };
        let spec = PageSpec::new("lineage.html", "lineage.html", views.t("lineage"));
        self.render(views, shared, spec, kind)
    }

    /// The bibliography page.
    fn bibliography_page(&self, views: &Views<'a>, shared: &Shared) -> PageOutput {
        let decl = (self.site.config.citations.as_ref()).expect("a bibliography job has citations");
        let kind = BibliographyPage {
            works: views.bibliography(),
        };
        let spec = PageSpec::new(
            BIBLIOGRAPHY_TEMPLATE,
            &decl.page,
            views.t("bibliography_title"),
        )
        .described(views.t("bibliography_summary"));
        self.render(views, shared, spec, kind)
    }

    /// The data and citation page of `lang`.
    pub(crate) fn data_page(&self, lang: &'a str, shared: &Shared) -> Option<PageOutput> {
        let site = self.site;
        let decl = site.config.model.exports.as_ref()?;
        let views = self.views(lang);
        let name = exports::file_name(site, decl);
        // references.bib is written only when some entry has a publication to cite.
        let collection = &site.config.model.collections[decl.at];
        let cites = site.collections[decl.at].order.iter().any(|&i| {
            crate::model::citation::publication(collection, &site.pages[i])
                .is_some_and(|p| p.exists())
        });
        let kind = DataPage {
            site_citation: self.citation.map(|c| SiteCitation {
                bibtex: bibtex::site_entry(c, &site.config.base_url).to_bibtex(),
                message: c.message.clone().unwrap_or_default(),
            }),
            total: site.collections[decl.at].order.len(),
            json_version: exports::JSON_VERSION,
            exports: ExportFiles {
                json: format!("{name}.json"),
                csv: format!("{name}.csv"),
                bib: cites.then_some("references.bib"),
            },
        };
        let spec = PageSpec::new("data.html", DATA_FILE, views.t("data_title"))
            .described(views.t("data_summary"));
        Some(self.render(&views, shared, spec, kind))
    }

    /// The print view of `lang`, each body a marker for the stored pieces to stream in.
    pub(crate) fn print_page(&self, lang: &'a str, shared: &Shared) -> PageOutput {
        let views = self.views(lang);
        let kind = print::PrintPage {
            print: self.print.view(&views),
        };
        let title = views.t("print_title");
        // The bodies stream in after rendering: link the stylesheet in case one has code.
        let spec = (PageSpec::new(print::TEMPLATE, print::PRINT_FILE, title))
            .with_code(true)
            .always_rendered();
        self.render(&views, shared, spec, kind)
    }

    /// Renders the page `spec` describes with the frame, the head metadata and `kind`'s fields.
    fn render<T: PageKind>(
        &self,
        views: &Views<'a>,
        shared: &Shared,
        spec: PageSpec<'_>,
        mut kind: T,
    ) -> PageOutput {
        let url = views.url(spec.path);
        let (template, subject, spec_fresh) = (spec.template, spec.subject, spec.fresh);
        let needs_body = !spec.body_rendered;
        let frame = self.frame(views, shared, spec, &url);
        let moved = kind.take_moved();
        let context = PageContext { frame, page: kind };
        // The key is walked from the typed context: an unchanged page is never turned into a
        // JSON value.
        if let Some(cache) = self.contexts.filter(|_| !spec_fresh) {
            let moved = moved.as_ref().map(|(k, v)| (*k, v));
            let key = context_key(template, &context, moved);
            if key.is_some_and(|key| cache.unchanged(&url, key)) {
                return PageOutput {
                    path: url,
                    html: Ok(Html::Unchanged),
                };
            }
        }
        if needs_body {
            return PageOutput {
                path: url,
                html: Ok(Html::NeedsBody),
            };
        }
        let value = match serde_json::to_value(&context) {
            Ok(value) => value,
            Err(e) => {
                let html = Err(render_problem(template, &url, &ContextError::from(e)));
                return PageOutput { path: url, html };
            }
        };
        let html = match Context::from_value(value) {
            Ok(mut context) => {
                if let Some((key, value)) = moved {
                    context.insert_value(key, value);
                }
                let call = Call {
                    template,
                    page: &url,
                    guard: self.guard,
                    origins: &|| origins::origins(self.site, subject, ""),
                };
                self.templates.render(&call, &context).map(Html::Rendered)
            }
            Err(e) => Err(render_problem(template, &url, &e)),
        };
        PageOutput { path: url, html }
    }

    /// What every page shares around its kind's fields: languages, navigation, head metadata.
    fn frame<'s>(
        &self,
        views: &Views<'a>,
        shared: &'s Shared,
        spec: PageSpec<'_>,
        url: &str,
    ) -> Frame<'s>
    where
        'a: 's,
    {
        let site = self.site;
        let config = &site.config;
        let lang = views.lang;
        let base = &config.base_url;
        let alternates = config
            .languages
            .iter()
            .map(|l| {
                let alt = format!("{}{}", site.lang_prefix(&l.code), spec.path);
                Alternate {
                    absolute: crate::base::url::absolute(base, &alt),
                    lang: &l.code,
                    name: &l.name,
                    url: alt,
                    current: l.code == lang,
                }
            })
            .collect();
        let site_description = config.localized(&config.description, lang);
        let description = if spec.description.is_empty() {
            site_description.to_string()
        } else {
            spec.description
        };
        let site_title = config.localized(&config.title, lang);
        let canonical = crate::base::url::absolute(base, url);
        let (title, code) = (spec.title, spec.code);
        let head = meta::head(
            views,
            &HeadInput {
                title: &title,
                description: &description,
                canonical: &canonical,
                site_title,
                site_description,
                has_search: self.has_search,
            },
            spec.subject,
        );
        Frame {
            lang,
            root: root_for(url),
            url: url.to_string(),
            canonical,
            title,
            description,
            site_title,
            site_description,
            home_url: views.url("index.html"),
            prefix: views.prefix(),
            nav: &shared.nav,
            collections: &shared.collections,
            alternates,
            t: views.strings(),
            head,
            features: self.features(),
            code,
            release: shared.release.as_ref(),
        }
    }
}

/// One page besides its kind's context: its template, where it goes inside the language folder,
/// its title and description (the site's when empty), and what it is about (head metadata, the
/// hints of template errors).
pub(crate) struct PageSpec<'p> {
    template: &'p str,
    path: &'p str,
    title: String,
    description: String,
    subject: Subject,
    code: bool,
    /// False when the page's body is known by its key alone (see [`Body::Keyed`]).
    body_rendered: bool,
    /// Rendered even when the previous build rendered the same context (the print view, whose
    /// file is more than its rendered template).
    fresh: bool,
}

impl<'p> PageSpec<'p> {
    /// A page of `template` at `path` titled `title`, with the site's description, about no
    /// entry.
    fn new(template: &'p str, path: &'p str, title: String) -> Self {
        PageSpec {
            template,
            path,
            title,
            description: String::new(),
            subject: Subject::Page,
            code: false,
            body_rendered: true,
            fresh: false,
        }
    }

    /// Showing `body`: linking `highlight.css` if it has code.
    fn with_body(self, body: &BodyView<'_>) -> Self {
        PageSpec {
            code: body.highlighted,
            body_rendered: body.rendered,
            ..self
        }
    }

    /// Showing highlighted code (when `code`), so that it links `highlight.css`.
    fn with_code(self, code: bool) -> Self {
        PageSpec { code, ..self }
    }

    /// With its own description.
    fn described(self, description: String) -> Self {
        PageSpec {
            description,
            ..self
        }
    }

    /// About `subject`.
    fn about(self, subject: Subject) -> Self {
        PageSpec { subject, ..self }
    }

    /// Rendered by every build (see [`PageSpec::fresh`]).
    fn always_rendered(self) -> Self {
        PageSpec {
            fresh: true,
            ..self
        }
    }
}

/// A page kind's context. Its largest value may be moved into the template context instead of
/// serialised (copied) with the rest.
pub(crate) trait PageKind: serde::Serialize {
    /// The value to move in, with its name; it must be skipped by `Serialize`.
    fn take_moved(&mut self) -> Option<(&'static str, serde_json::Value)> {
        None
    }
}

impl PageKind for EntryPage<'_> {
    fn take_moved(&mut self) -> Option<(&'static str, serde_json::Value)> {
        Some(("page", std::mem::take(&mut self.page)))
    }
}

macro_rules! serialised_whole {
    ($($kind:ty),*) => {
        $(impl PageKind for $kind {})*
    };
}

serialised_whole!(
    ProsePage<'_>,
    ListPage<'_>,
    TaxonomiesPage<'_>,
    TaxonomyPage<'_>,
    TermPage<'_>,
    TablePage<'_>,
    LineagePageContext<'_>,
    PlainPage,
    DataPage<'_>,
    BibliographyPage,
    print::PrintPage
);

/// The release `citation` states, with its date in `views`' language.
fn release(views: &Views<'_>, citation: &Citation) -> Release {
    let date = (citation.date_released.as_deref())
        .and_then(|d| crate::base::date::PartialDate::parse(d).ok())
        .map(|d| views.date(Some(d)));
    Release {
        version: citation.version.clone().unwrap_or_default(),
        date,
        licenses: (citation.license.ids().iter())
            .map(|id| LicenseView {
                id: id.clone(),
                url: citation.license_url_of(id),
            })
            .collect(),
    }
}

fn render_problem(template: &str, url: &str, e: &ContextError) -> Diagnostic {
    Diagnostic::error(
        format!("templates/{template}"),
        0,
        0,
        format!("cannot render {url}: {e}"),
    )
}

/// A taxonomy with its non-empty terms, in `views.lang`.
fn taxonomy_view(views: &Views<'_>, t: TaxonomyId) -> TaxonomyView {
    let name = &views.site.taxonomies[t].name;
    TaxonomyView {
        name: name.clone(),
        label: views.taxonomy_label(t),
        url: views.url(&format!("taxonomies/{name}/index.html")),
        terms: views.term_counts(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::links::render_body;
    use crate::model::id::Id as _;

    /// Renders with the real site's model and content, and `templates` (the real ones unless
    /// a test replaces some), as `check` does (no context cache).
    fn with_renderer<T>(templates: Option<Templates>, test: impl FnOnce(&Renderer<'_>) -> T) -> T {
        let (site, real) = crate::load::real_site();
        let templates = templates.unwrap_or(real);
        let targets = LinkTargets::new(&site, []);
        let (highlighter, guard) = (Highlighter::default(), TemplateGuard::default());
        let memo = ViewMemo::new(&site.config, site.pages.len());
        let lineage = LineageGraph::of_site(&site);
        let print = PrintPlan::new(&site);
        let renderer = Renderer {
            site: &site,
            templates: &templates,
            targets: &targets,
            highlighter: &highlighter,
            guard: &guard,
            memo: &memo,
            lineage: &lineage,
            print: &print,
            has_search: templates.has("search.html"),
            contexts: None,
            citation: None,
        };
        test(&renderer)
    }

    /// The real templates, with `name` replaced by `text`.
    fn templates_with(name: &str, text: &str) -> Templates {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut files = crate::load::templates::read(dir.parent().unwrap(), &dir).unwrap();
        let file = files.iter_mut().find(|(n, _)| n == name).unwrap();
        file.1 = text.to_string();
        Templates::load(&dir, &files).unwrap()
    }

    /// The first entry of the first collection: a work of the real site.
    fn first_entry(site: &Site) -> PageId {
        site.collections[CollectionId::FIRST].order[0]
    }

    #[test]
    fn jobs_list_the_generated_pages_first_then_every_content_page_once() {
        let (site, _) = crate::load::real_site();
        let jobs = jobs(&site);
        let first_content = (jobs.iter())
            .position(|j| matches!(j, Job::Content(_)))
            .unwrap();
        let content: Vec<PageId> = (jobs[first_content..].iter())
            .map(|j| match j {
                Job::Content(i) => *i,
                other => panic!("{other:?} after the content pages"),
            })
            .collect();
        assert_eq!(content, site.pages.ids().collect::<Vec<_>>());
        let generated = &jobs[..first_content];
        assert!(matches!(generated[0], Job::Table), "the largest page first");
        let lists = generated.iter().filter(|j| matches!(j, Job::List(_)));
        assert_eq!(lists.count(), site.config.model.collections.iter().count());
        let terms = generated.iter().filter(|j| matches!(j, Job::Term(..)));
        let declared: usize = site.taxonomies.iter().map(|t| t.terms.len()).sum();
        assert_eq!(terms.count(), declared);
    }

    #[test]
    fn an_entry_renders_through_its_collection_template_in_each_language() {
        with_renderer(None, |r| {
            let i = first_entry(r.site);
            for (lang, prefix) in [("zh", ""), ("en", "en/")] {
                let shared = r.shared(lang, true);
                let (body, problems) = render_body(r.site, r.targets, r.highlighter, i, lang);
                assert!(problems.is_empty(), "{problems:?}");
                let (output, piece) = r.content(lang, &shared, i, Body::Rendered(0, &body));
                assert_eq!(output.path, format!("{prefix}{}", r.site.pages[i].output));
                let Ok(Html::Rendered(html)) = output.html else {
                    panic!("{lang}: {:?}", output.html);
                };
                assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{lang}");
                let title = crate::markup::highlight::escape(r.site.title(i, lang));
                assert!(
                    html.contains(&format!("<h1>{title}")),
                    "{lang}: no <h1>{title}"
                );
                assert!(
                    html.contains(&body.html),
                    "{lang}: the body is not in the page"
                );
                assert_eq!(piece.is_some(), r.print.includes(i), "{lang}: print piece");
            }
        });
    }

    #[test]
    fn a_template_error_is_the_pages_output_located_at_the_template() {
        let broken = templates_with(
            "work.html",
            "{% extends \"base.html\" %}\n{% block main %}{{ page.nope.deeper }}{% endblock %}\n",
        );
        with_renderer(Some(broken), |r| {
            let i = first_entry(r.site);
            let shared = r.shared("en", true);
            let (body, _) = render_body(r.site, r.targets, r.highlighter, i, "en");
            let (output, _) = r.content("en", &shared, i, Body::Rendered(0, &body));
            let problem = output.html.expect_err("the template cannot render");
            let text = problem.to_string();
            assert!(text.starts_with("templates/work.html:2:"), "{text}");
            assert!(text.contains("page.nope.deeper"), "{text}");
        });
    }

    #[test]
    fn term_pages_list_their_entries_by_link() {
        with_renderer(None, |r| {
            let shared = r.shared("en", true);
            let t = r.site.taxonomies.ids().next().unwrap();
            let taxonomy = &r.site.taxonomies[t];
            let term = &taxonomy.terms[TermId::new(0)];
            let output = r.generated("en", &shared, Job::Term(t, TermId::new(0)));
            let path = format!("en/taxonomies/{}/{}.html", taxonomy.name, term.slug);
            assert_eq!(output.path, path);
            let Ok(Html::Rendered(html)) = output.html else {
                panic!("{:?}", output.html);
            };
            for &i in &term.entries {
                let href = format!("/{}\"", r.site.pages[i].output);
                assert!(html.contains(&href), "no {href} on {}", output.path);
            }
        });
    }
}
