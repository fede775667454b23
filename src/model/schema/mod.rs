//! The content model a site declares in `site.yaml`: its collections (folders of entries), their
//! fields with a type each, the fields of the other pages and their layouts, and what the
//! generated pages and files make of the fields (taxonomies, the comparison table, the lineage
//! graph, the feed, the exports, the print view). Nothing here names a field of any particular
//! site: every check, view and output reads these declarations.
//!
//! The declarations ([`CollectionDecl`], [`FieldDecl`], [`PagesDecl`], the `…Decl` of each
//! feature) are deserialised from YAML as written and hold only what `site.yaml` says (their
//! `///` docs are the reference of `site.yaml` and its JSON Schema). [`resolve`] checks them
//! against each other and returns the resolved [`Model`] — each part owning its declaration and
//! adding the typed ids it names — or every problem found. One file per part of the
//! declaration, each with its resolution: [`field`] (fields, the resolved schema, reserved
//! names), [`collection`], [`pages`] (and layouts), [`features`] (table, lineage, feed, exports,
//! print), [`charts`]; [`problems`] collects what is wrong. This file holds the model and the
//! order it is resolved in.

mod charts;
mod collection;
mod features;
mod field;
mod pages;
mod problems;

pub(crate) use charts::*;
pub(crate) use collection::*;
pub(crate) use features::*;
pub(crate) use field::*;
pub(crate) use pages::*;
use problems::Problems;
pub(crate) use problems::{Context, ModelProblem, PerLanguage, PerLanguageSchema};

use indexmap::IndexMap;

use crate::model::id::{CollectionId, Id as _, IdVec, TaxonomyId};

/// Every declaration of the content model, as read from `site.yaml`.
pub(crate) struct ModelDecl<'a> {
    /// Collections by name, in declaration order.
    pub(crate) collections: &'a IndexMap<String, CollectionDecl>,
    /// Pages outside the collections.
    pub(crate) pages: &'a PagesDecl,
    /// The comparison table.
    pub(crate) table: Option<&'a TableDecl>,
    /// The lineage graph.
    pub(crate) lineage: Option<&'a LineageDecl>,
    /// The feeds.
    pub(crate) feed: Option<&'a FeedDecl>,
    /// The exports.
    pub(crate) exports: Option<&'a ExportsDecl>,
    /// The print view.
    pub(crate) print: Option<&'a PrintDecl>,
    /// The charts, by name, in declaration order.
    pub(crate) charts: &'a IndexMap<String, ChartDecl>,
}

/// The content model, resolved.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    /// Collections, in declaration order.
    pub(crate) collections: IdVec<CollectionId, Collection>,
    /// Pages outside the collections.
    pub(crate) pages: Pages,
    /// The comparison table.
    pub(crate) table: Option<Table>,
    /// The lineage graph.
    pub(crate) lineage: Option<Lineage>,
    /// The feeds.
    pub(crate) feed: Option<Feed>,
    /// The exports.
    pub(crate) exports: Option<Exports>,
    /// The print view.
    pub(crate) print: Option<Print>,
    /// The charts, by name, in declaration order.
    pub(crate) charts: IndexMap<String, Chart>,
    /// Every taxonomy, in declaration order.
    pub(crate) taxonomies: IdVec<TaxonomyId, TaxonomyRef>,
}

impl Model {
    /// The collection whose folder is `folder`.
    pub(crate) fn collection_of_folder(&self, folder: &str) -> Option<CollectionId> {
        self.collections.position(|c| c.folder == folder)
    }

    /// The declaration of taxonomy `t`.
    pub(crate) fn taxonomy(&self, t: TaxonomyId) -> (&Collection, &str, &TaxonomyDecl) {
        let TaxonomyRef {
            collection, name, ..
        } = &self.taxonomies[t];
        let collection = &self.collections[*collection];
        (collection, name, &collection.taxonomies[name.as_str()])
    }
}

/// Checks the declarations against each other and resolves them: the model, or every problem
/// found, each located by its YAML path.
pub(crate) fn resolve(decl: &ModelDecl<'_>, cx: &Context<'_>) -> Result<Model, Vec<ModelProblem>> {
    let mut p = Problems(Vec::new());
    if decl.collections.is_empty() {
        p.push(
            &["collections"],
            "declare at least one collection".to_string(),
        );
    }
    let (outlines, taxonomies) = outline_collections(decl.collections, cx, &mut p);
    let layouts = effective_layouts(decl.pages);
    let pages = resolve_pages(decl.pages, &layouts, &outlines, cx, &mut p);
    let features = resolve_features(decl, &outlines, &layouts, &mut p);
    let charts = charts::resolve_charts(decl.charts, &outlines, cx, &mut p);
    check_layout_charts(&layouts, &charts, &mut p);
    let collections: Option<IdVec<CollectionId, Collection>> = (outlines.into_iter())
        .map(|c| finish_collection(c, cx, &mut p))
        .collect();
    match (collections, pages, features) {
        (Some(collections), Some(pages), Some(features)) if p.0.is_empty() => Ok(Model {
            collections,
            pages,
            table: features.table,
            lineage: features.lineage,
            feed: features.feed,
            exports: features.exports,
            print: features.print,
            charts,
            taxonomies,
        }),
        _ => {
            debug_assert!(!p.0.is_empty(), "a part that did not resolve reported why");
            Err(p.0)
        }
    }
}

/// What the rest of `site.yaml` is checked against, whether or not the model resolves: the
/// fields of every schema, and whether entries are grouped anywhere.
pub(crate) struct Outline {
    /// The fields of each collection, then those of the other pages.
    pub(crate) fields: Vec<Fields>,
    /// Whether a collection's `group` or a layout's `group_by` names a field that groups.
    pub(crate) grouped: bool,
}

/// The outline of the model: the fields and groupings [`resolve`] makes of the declarations
/// (the problems are for `resolve` to report).
pub(crate) fn outline(decl: &ModelDecl<'_>, cx: &Context<'_>) -> Outline {
    let p = &mut Problems(Vec::new());
    let (outlines, _) = outline_collections(decl.collections, cx, p);
    let (pages, _, _) = page_fields(decl.pages, &outlines, cx, p);
    let scope = LayoutScope {
        pages: &pages,
        collections: &outlines,
    };
    let grouped = outlines.iter().any(|c| c.roles.group.is_some())
        || (effective_layouts(decl.pages).iter())
            .any(|(name, l)| resolve_layout(name, l, &scope, p).group_by.is_some());
    let fields = (outlines.into_iter().map(|c| c.fields))
        .chain([pages])
        .collect();
    Outline { fields, grouped }
}

/// Outlines every collection (fields, roles), numbering their taxonomies.
fn outline_collections(
    decls: &IndexMap<String, CollectionDecl>,
    cx: &Context<'_>,
    p: &mut Problems,
) -> (IdVec<CollectionId, CollectionOutline>, Taxonomies) {
    let names: Vec<&str> = decls.keys().map(String::as_str).collect();
    let mut taxonomies = Taxonomies::default();
    let outlines = (decls.iter().enumerate())
        .map(|(i, (name, decl))| {
            let own = CollectionId::new(i);
            let scope = FieldScope {
                base: &["collections", name.as_str()],
                collections: &names,
                own,
                cx,
            };
            let mut outline = outline_collection(name, decl, &scope, p);
            number_taxonomies(own, &mut outline, &mut taxonomies, p);
            outline
        })
        .collect();
    (outlines, taxonomies)
}

/// The site-wide features, resolved.
struct Features {
    table: Option<Table>,
    lineage: Option<Lineage>,
    feed: Option<Feed>,
    exports: Option<Exports>,
    print: Option<Print>,
}

/// Resolves every declared feature against `collections` (and the print view's layout against
/// `layouts`); `None` when one does not resolve (reported). Without collections (reported),
/// none is checked.
fn resolve_features(
    decl: &ModelDecl<'_>,
    collections: &IdVec<CollectionId, CollectionOutline>,
    layouts: &IndexMap<String, LayoutDecl>,
    p: &mut Problems,
) -> Option<Features> {
    if collections.is_empty() {
        return None;
    }
    /// The resolved feature of a declared one: `Some(None)` when none is declared.
    fn each<D, F>(decl: Option<&D>, resolve: impl FnOnce(&D) -> Option<F>) -> Option<Option<F>> {
        decl.map_or(Some(None), |d| resolve(d).map(Some))
    }
    let table = each(decl.table, |t| {
        resolve_feature(t, collections, p, table_fields)
    });
    let lineage = each(decl.lineage, |l| {
        resolve_feature(l, collections, p, lineage_fields)
    });
    let feed = each(decl.feed, |f| {
        resolve_feature(f, collections, p, feed_categories)
    });
    let exports = each(decl.exports, |e| {
        resolve_feature(e, collections, p, check_exports)
    });
    let print = each(decl.print, |pr| {
        resolve_feature(pr, collections, p, |pr, _, p| check_print(pr, layouts, p))
    });
    Some(Features {
        table: table?,
        lineage: lineage?,
        feed: feed?,
        exports: exports?,
        print: print?,
    })
}

/// Checks that the charts each layout shows are declared.
fn check_layout_charts(
    layouts: &IndexMap<String, LayoutDecl>,
    charts: &IndexMap<String, Chart>,
    p: &mut Problems,
) {
    for (name, layout) in layouts {
        for chart in &layout.charts {
            if !charts.contains_key(chart) {
                let known: Vec<&str> = charts.keys().map(String::as_str).collect();
                let path = ["pages", "layouts", name.as_str(), "charts"];
                p.unknown(&path, "chart", chart, &known);
            }
        }
    }
}

/// The schema of the fields declared in `yaml`, which must resolve (for tests).
#[cfg(test)]
pub(crate) fn schema_of(yaml: &str) -> Schema {
    let decls: IndexMap<String, FieldDecl> = serde_yaml::from_str(yaml).expect("fields parse");
    let vocabularies = IndexMap::new();
    let cx = Context {
        vocabularies: &vocabularies,
        languages: &[],
    };
    let scope = FieldScope {
        base: &[],
        collections: &[],
        own: CollectionId::FIRST,
        cx: &cx,
    };
    let mut p = Problems(Vec::new());
    let (fields, [], draft) = resolve_fields(&decls, [], &scope, &mut p);
    let schema = resolve_schema(fields, draft, &Translation::default(), &[], &mut p);
    assert_eq!(p.0, Vec::new(), "the fields resolve");
    schema.expect("the fields have a title")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::id::FieldId;
    use indexmap::IndexMap;

    fn vocabularies() -> IndexMap<String, IndexMap<String, PerLanguage>> {
        let yaml = "kind: {model: {en: Model}, dataset: {en: Dataset}}\ntopic: {law: {en: Law}}\n";
        serde_yaml::from_str(yaml).unwrap()
    }

    /// Each problem as `path: message`.
    fn messages(problems: &[ModelProblem]) -> Vec<String> {
        (problems.iter())
            .map(|p| format!("{}: {}", p.path.join("."), p.message))
            .collect()
    }

    /// The model of one collection `works` declared by `yaml`.
    fn resolved(yaml: &str) -> Result<Model, Vec<ModelProblem>> {
        resolved_with_table(yaml, None)
    }

    /// The model of one collection `works` declared by `yaml`, with the comparison table `table`.
    fn resolved_with_table(yaml: &str, table: Option<&str>) -> Result<Model, Vec<ModelProblem>> {
        let table: Option<TableDecl> = table.map(|t| serde_yaml::from_str(t).unwrap());
        let vocabularies = vocabularies();
        let collection: CollectionDecl = serde_yaml::from_str(yaml).unwrap();
        let collections = IndexMap::from([("works".to_string(), collection)]);
        let decl = ModelDecl {
            collections: &collections,
            pages: &PagesDecl::default(),
            table: table.as_ref(),
            lineage: None,
            feed: None,
            exports: None,
            print: None,
            charts: &IndexMap::new(),
        };
        let cx = Context {
            vocabularies: &vocabularies,
            languages: &["en"],
        };
        resolve(&decl, &cx)
    }

    const GOOD: &str = "folder: works\nlabel: {en: Works}\nkind: kind\norder: [kind, title]\nfields:\n  title: {type: text, required: true}\n  kind: {type: term, vocabulary: kind, required: true}\n  topics: {type: terms, vocabulary: topic}\n  builds_on: {type: refs, reverse: {name: built_upon_by}}\n  paper: {type: group, fields: {doi: {type: text}}}\ntranslation: {fields: [title]}\ntaxonomies:\n  topic: {field: topics, label: {en: Topic}}\ncitation: {doi: paper.doi}\nrequired_for: {dataset: [topics]}\n";

    #[test]
    fn a_consistent_model_resolves_with_its_indexes() {
        let model = resolved(GOOD).expect("the model resolves");
        let c = &model.collections[CollectionId::FIRST];
        let f = FieldId::new;
        assert_eq!(c.roles.kind, Some(f(1)));
        assert_eq!(c.order_fields, vec![f(1), f(0)]);
        assert_eq!(c.schema.translation, vec![f(0)]);
        assert_eq!(c.schema.fields[f(2)].taxonomy, Some(TaxonomyId::new(0)));
        assert_eq!(
            c.citation.as_ref().unwrap().paths.doi,
            Some(FieldPath {
                field: f(4),
                sub: Some(0)
            })
        );
        assert_eq!(c.required_fields, vec![("dataset".to_string(), vec![f(2)])]);
        let topic = TaxonomyRef {
            collection: CollectionId::FIRST,
            name: "topic".to_string(),
            field: f(2),
        };
        assert_eq!(model.taxonomies, IdVec::from_vec(vec![topic]));
    }

    #[test]
    fn mistakes_are_located_with_suggestions() {
        let bad = GOOD
            .replace("vocabulary: topic}", "vocabulary: topics}")
            .replace("order: [kind, title]", "order: [kind, titel]")
            .replace("{dataset: [topics]}", "{datset: [topics]}");
        let problems = resolved(&bad).unwrap_err();
        let messages = messages(&problems);
        assert_eq!(
            messages,
            [
                "collections.works.fields.topics: unknown vocabulary `topics`",
                "collections.works.order: unknown field `titel`",
                "collections.works.required_for.datset: unknown kind `datset`",
            ]
        );
        assert_eq!(
            problems[0].hint.as_deref(),
            Some("did you mean `topic`? known: kind, topic")
        );
    }

    #[test]
    fn an_unknown_kind_vocabulary_is_reported_once() {
        let bad = GOOD.replace("vocabulary: kind,", "vocabulary: kinds,");
        let problems = resolved(&bad).unwrap_err();
        let messages = messages(&problems);
        assert_eq!(
            messages,
            ["collections.works.fields.kind: unknown vocabulary `kinds`"],
            "no cascade into required_for"
        );
    }

    #[test]
    fn names_templates_receive_beside_the_fields_are_reserved() {
        let bad = GOOD
            .replace("  paper:", "  url: {type: url}\n  paper:")
            .replace("name: built_upon_by", "name: related");
        let problems = resolved(&bad).unwrap_err();
        assert_eq!(
            messages(&problems),
            [
                "collections.works.fields.builds_on.reverse: `related` is reserved: templates \
                 receive an entry's related entries under it",
                "collections.works.fields.url: `url` is reserved: templates receive an entry's \
                 own URL under it",
            ]
        );
        assert!(problems[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("slug, url, related"));
    }

    #[test]
    fn the_table_resolves_to_what_its_columns_filters_and_search_name() {
        let works = GOOD.replace(
            "  paper:",
            "  open: {type: tristate}\n  released: {type: date}\n  paper:",
        );
        let table = "columns: [name, topic, kind]\nfilters: [topic, open, released]\n\
                     search: [title, topics]\n";
        let model = resolved_with_table(&works, Some(table)).expect("the model resolves");
        let resolved = &model.table.as_ref().unwrap().resolved;
        let f = FieldId::new;
        assert_eq!(
            resolved.columns,
            [
                ColumnSource::Name,
                ColumnSource::Field(f(2)),
                ColumnSource::Field(f(1))
            ],
            "a taxonomy's column shows its field"
        );
        assert_eq!(
            resolved.filters,
            [
                FilterSource::Term(TaxonomyId::new(0)),
                FilterSource::Tristate(f(4)),
                FilterSource::Date(f(5)),
            ]
        );
        assert_eq!(resolved.search, [f(0), f(2)]);

        let bad = "columns: [name, topik]\nshown: [kind]\nfilters: [kind]\nsearch: [open]\n";
        let problems = resolved_with_table(&works, Some(bad)).unwrap_err();
        assert_eq!(
            messages(&problems),
            [
                "table.columns: unknown column `topik`",
                "table.shown: unknown column `kind`",
                "table.filters: `kind` is neither a taxonomy nor a tristate or date field of \
                 `works`",
                "table.search: `open` is not a text or term field",
            ]
        );
    }

    #[test]
    fn every_page_needs_a_title() {
        let problems =
            resolved("folder: works\nlabel: {en: Works}\nfields:\n  name: {type: text}\n")
                .unwrap_err();
        assert_eq!(
            problems[0].message,
            "every page needs a `title` field of type `text`"
        );
    }
}
