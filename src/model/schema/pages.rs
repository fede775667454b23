//! The pages outside the collections: their fields (with the built-in `layout` and `weight`)
//! and their layouts, resolved against the collections they list.

use std::ops::Deref;

use super::collection::CollectionOutline;
use super::field::{
    builtin_field, resolve_fields, resolve_schema, FieldDecl, FieldScope, FieldType, Fields,
    Schema, SearchWeight, Translation,
};
use super::problems::{Context, Problems};
use crate::model::id::{CollectionId, FieldId, IdVec};
use indexmap::IndexMap;
use serde::Deserialize;

/// The pages outside the collections.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Other pages", rename = "Pages")]
pub(crate) struct PagesDecl {
    /// Their fields, declared like a collection's (besides the built-in `layout` and `weight`).
    /// Default: a required `title` text field.
    #[serde(default)]
    pub(crate) fields: IndexMap<String, FieldDecl>,
    /// What their translations may hold. Default: nothing but the body.
    #[serde(default)]
    pub(crate) translation: Translation,
    /// Layouts: name → template and what the page lists. A page names its layout in front
    /// matter (`layout:`); `content/_index.md` defaults to `home`, any other page to `page`.
    /// Default: `home` (`home.html`) and `page` (`page.html`).
    #[serde(default)]
    pub(crate) layouts: IndexMap<String, LayoutDecl>,
}

/// The pages outside the collections, resolved.
#[derive(Debug, Clone)]
pub(crate) struct Pages {
    /// Their fields, with the built-in `layout`, `weight` and `draft`.
    pub(crate) schema: Schema,
    /// The built-in `layout` field.
    pub(crate) layout_field: FieldId,
    /// The built-in `weight` field.
    pub(crate) weight_field: FieldId,
    /// The layouts (`home` and `page` when none is declared), by name.
    pub(crate) layouts: IndexMap<String, Layout>,
}

/// A layout of pages outside the collections.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Layout")]
pub(crate) struct LayoutDecl {
    /// Its template, a file of `templates/`. Required.
    #[schemars(example = &"home.html")]
    pub(crate) template: String,
    /// How many of the newest entries the page shows (of the first collection with a `date`
    /// field). Default: none.
    #[serde(default)]
    pub(crate) newest: Option<usize>,
    /// The entries the page lists: those whose `field` equals the page's own `field`, or every
    /// entry of the collection when `field` is left out. Default: none.
    #[serde(default)]
    pub(crate) lists: Option<Lists>,
    /// For pages that list entries (needs `lists`): the term field with a vocabulary grouping
    /// them. Default: none.
    #[serde(default)]
    pub(crate) group_by: Option<String>,
    /// For pages that list entries (needs `lists`): a timeline by the collection's `date`, with
    /// earlier entries reached through a refs field. Default: none.
    #[serde(default)]
    pub(crate) timeline: Option<TimelineDecl>,
    /// The key of the UI string naming such pages in search results (it must be in `strings`).
    /// Default: `search_kind_page`.
    #[serde(default)]
    pub(crate) search_label: Option<String>,
    /// The charts (names of `charts`) the page shows, in order; on a page listing the entries
    /// of a term, each counts only those entries. Default: none.
    #[serde(default)]
    #[schemars(example = &["by-month"])]
    pub(crate) charts: Vec<String>,
}

/// A resolved layout: its declaration (which it reads as, through `Deref`) and what it lists.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// The declaration.
    pub(crate) decl: LayoutDecl,
    /// The collection and fields it lists by.
    pub(crate) resolved: ResolvedLayout,
}

impl Deref for Layout {
    type Target = LayoutDecl;

    fn deref(&self) -> &LayoutDecl {
        &self.decl
    }
}

/// What a layout lists: the entries of `collection` whose term field `field` equals the
/// page's own `field`, or all of them without `field`.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Listed entries")]
pub(crate) struct Lists {
    /// The collection. Required.
    #[schemars(example = &"models")]
    pub(crate) collection: String,
    /// A term field of the same vocabulary declared both in `pages.fields` and in the
    /// collection's fields. Default: none, the page lists every entry.
    #[serde(default)]
    #[schemars(example = &"topic")]
    pub(crate) field: Option<String>,
}

/// The timeline of a listing page.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Timeline")]
pub(crate) struct TimelineDecl {
    /// A refs field of the collection: the earlier entries it reaches whose term has no page of
    /// this layout are shown too. Default: none.
    #[serde(default)]
    pub(crate) ancestors: Option<String>,
}

/// The indexes a layout works with.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ResolvedLayout {
    /// The listed collection.
    pub(crate) collection: Option<CollectionId>,
    /// The page's term field.
    pub(crate) page_field: Option<FieldId>,
    /// The entries' term field.
    pub(crate) entry_field: Option<FieldId>,
    /// The entries' grouping field.
    pub(crate) group_by: Option<FieldId>,
    /// Whether the page has a timeline.
    pub(crate) timeline: bool,
    /// The ancestors' refs field.
    pub(crate) ancestors: Option<FieldId>,
    /// The collection of `newest`.
    pub(crate) newest_collection: Option<CollectionId>,
}

/// The collections while the model resolves.
type Collections = IdVec<CollectionId, CollectionOutline>;

/// The layouts of the pages: those declared, else `home` (`home.html`) and `page`
/// (`page.html`).
pub(super) fn effective_layouts(pages: &PagesDecl) -> IndexMap<String, LayoutDecl> {
    if !pages.layouts.is_empty() {
        return pages.layouts.clone();
    }
    (["home", "page"].into_iter())
        .map(|name| {
            let layout = LayoutDecl {
                template: format!("{name}.html"),
                newest: None,
                lists: None,
                group_by: None,
                timeline: None,
                search_label: None,
                charts: Vec::new(),
            };
            (name.to_string(), layout)
        })
        .collect()
}

/// Resolves the pages' fields and their `layouts` (see [`effective_layouts`]) against
/// `collections`. `None` when their fields have no title (reported).
pub(super) fn resolve_pages(
    pages: &PagesDecl,
    layouts: &IndexMap<String, LayoutDecl>,
    collections: &Collections,
    cx: &Context<'_>,
    p: &mut Problems,
) -> Option<Pages> {
    let (fields, [layout_field, weight_field], draft) = page_fields(pages, collections, cx, p);
    let scope = LayoutScope {
        pages: &fields,
        collections,
    };
    let layouts = (layouts.iter())
        .map(|(name, decl)| {
            let resolved = resolve_layout(name, decl, &scope, p);
            let layout = Layout {
                decl: decl.clone(),
                resolved,
            };
            (name.clone(), layout)
        })
        .collect();
    Some(Pages {
        schema: resolve_schema(fields, draft, &pages.translation, &["pages"], p)?,
        layout_field,
        weight_field,
        layouts,
    })
}

/// The fields of the pages: those declared, the built-in `layout` and `weight` (whose ids come
/// second) and `draft` (whose id comes last).
pub(super) fn page_fields(
    pages: &PagesDecl,
    collections: &Collections,
    cx: &Context<'_>,
    p: &mut Problems,
) -> (Fields, [FieldId; 2], FieldId) {
    let names: Vec<&str> = collections.iter().map(|c| c.name.as_str()).collect();
    let scope = FieldScope {
        base: &["pages"],
        collections: &names,
        // A refs field of a page that names no collection refers to the first.
        own: CollectionId::FIRST,
        cx,
    };
    let builtins = [
        ("layout", builtin_field(FieldType::Text, "Which layout renders the page: one of `pages.layouts` in site.yaml. Default: `home` for `content/_index.md`, else `page`.")),
        ("weight", builtin_field(
            FieldType::Integer,
            "Order in the main navigation; pages without it are not listed there.",
        )),
    ];
    resolve_fields(&declared_fields(pages), builtins, &scope, p)
}

/// The declared fields of the pages; without declarations, a page has a title.
fn declared_fields(pages: &PagesDecl) -> IndexMap<String, FieldDecl> {
    let mut fields = pages.fields.clone();
    if fields.is_empty() {
        let mut title = builtin_field(FieldType::Text, "Page title.");
        (title.required, title.search, title.export) = (true, Some(SearchWeight::Title), true);
        fields.insert("title".into(), title);
    }
    fields
}

/// What layouts are checked against: the fields of the pages and the collections.
pub(super) struct LayoutScope<'a> {
    /// The fields of the pages.
    pub(super) pages: &'a Fields,
    /// The collections.
    pub(super) collections: &'a Collections,
}

/// What layout `name` lists, and the collection of its newest entries.
pub(super) fn resolve_layout(
    name: &str,
    layout: &LayoutDecl,
    scope: &LayoutScope<'_>,
    p: &mut Problems,
) -> ResolvedLayout {
    let path = ["pages", "layouts", name];
    let mut r = resolve_lists(layout, scope, &path, p);
    if layout.newest.is_some() {
        r.newest_collection = scope.collections.position(|c| c.roles.date.is_some());
        if r.newest_collection.is_none() {
            p.push(
                &[&path[..], &["newest"]].concat(),
                "`newest` needs a collection with a `date` field".into(),
            );
        }
    }
    r
}

/// The collection a layout (at `path`) lists, and the fields it lists, groups and dates its
/// entries by.
fn resolve_lists(
    layout: &LayoutDecl,
    scope: &LayoutScope<'_>,
    path: &[&str],
    p: &mut Problems,
) -> ResolvedLayout {
    let mut r = ResolvedLayout::default();
    let Some(lists) = &layout.lists else {
        if layout.group_by.is_some() || layout.timeline.is_some() {
            p.push(path, "`group_by` and `timeline` need `lists`".into());
        }
        return r;
    };
    let collections = scope.collections;
    let Some(ci) = collections.position(|c| c.name == lists.collection) else {
        let names: Vec<&str> = collections.iter().map(|c| c.name.as_str()).collect();
        let at = [path, &["lists"]].concat();
        p.unknown(&at, "collection", &lists.collection, &names);
        return r;
    };
    let c = &collections[ci];
    r.collection = Some(ci);
    if let Some(field) = &lists.field {
        let at = [path, &["lists"]].concat();
        (r.page_field, r.entry_field) = scope.listing_fields(c, field, &at, p);
    }
    if let Some(g) = &layout.group_by {
        r.group_by = (c.fields.named(g))
            .filter(|&i| c.fields[i].vocabulary.is_some() && c.fields[i].ty == FieldType::Term);
        if r.group_by.is_none() {
            p.push(
                &[path, &["group_by"]].concat(),
                format!(
                    "`{g}` is not a term field of `{}` with a vocabulary",
                    lists.collection
                ),
            );
        }
    }
    r.timeline = layout.timeline.is_some();
    if let Some(a) = layout.timeline.as_ref().and_then(|t| t.ancestors.as_ref()) {
        r.ancestors = (c.fields.named(a)).filter(|&i| c.fields[i].ty == FieldType::Refs);
        if r.ancestors.is_none() {
            p.push(
                &[path, &["timeline"]].concat(),
                format!("`{a}` is not a refs field of `{}`", lists.collection),
            );
        }
    }
    r
}

impl LayoutScope<'_> {
    /// The term `field` by which a layout lists the entries of collection `c` (reported at
    /// `at`): a field of the pages and of the entries, of the same vocabulary.
    fn listing_fields(
        &self,
        c: &CollectionOutline,
        field: &str,
        at: &[&str],
        p: &mut Problems,
    ) -> (Option<FieldId>, Option<FieldId>) {
        let pages = self.pages;
        let (page_field, entry_field) = (pages.named(field), c.fields.named(field));
        let vocab = |s: &Fields, i: Option<FieldId>| i.and_then(|i| s[i].vocabulary.clone());
        if page_field.is_none() || entry_field.is_none() {
            p.push(
                at,
                format!(
                    "`{field}` must be a field of the pages and of collection `{}`",
                    c.name
                ),
            );
        } else if vocab(pages, page_field).is_none()
            || vocab(pages, page_field) != vocab(&c.fields, entry_field)
        {
            p.push(
                at,
                format!(
                    "`{field}` must be a term of the same vocabulary in the pages and in `{}`",
                    c.name
                ),
            );
        }
        (page_field, entry_field)
    }
}
