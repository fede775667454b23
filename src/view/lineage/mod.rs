//! Drawing the lineage graph ([`crate::model::lineage`]) as inline SVG, at build time: the whole
//! collection on `lineage.html`, and on each entry page the entry with its ancestors and
//! descendants. [`layout`] (by generation) or [`timeline`] (by date) places the nodes, [`svg`]
//! draws them; this module labels them in the page language and says how each node and arrow
//! looks.

pub(crate) mod layout;
pub(crate) mod svg;
pub(crate) mod timeline;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::model::id::{FieldId, PageId};
use crate::model::lineage::LineageGraph;
use crate::model::schema::{EdgeStyle, Lineage};
use crate::view::{Card, FieldView, TermRef, Views};
use svg::{AxisText, Drawing, EdgeSpec, NodeSpec, Placement};
use timeline::Moment;

/// A drawn graph, ready for a template.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GraphView {
    /// The inline `<svg>` (already escaped; templates print it with `| safe`).
    pub(crate) svg: String,
    /// Number of works drawn.
    pub(crate) nodes: usize,
    /// Number of relations drawn.
    pub(crate) edges: usize,
    /// Number of layers (generations) in the drawing.
    pub(crate) layers: usize,
    /// Width of the drawing in pixels.
    pub(crate) width: f64,
    /// Works are placed by date on a time axis.
    pub(crate) by_time: bool,
    /// Some work is placed by a bare year (drawn with a dotted outline).
    pub(crate) approximate: bool,
    /// Some arrow points back in time (drawn dotted).
    pub(crate) backward: bool,
}

/// What a drawing is for: its id prefix, title, the page root and the page's own work.
#[derive(Debug, Clone)]
pub(crate) struct GraphPurpose<'a> {
    /// Prefix of ids inside the SVG.
    pub(crate) id: &'a str,
    /// Accessible title.
    pub(crate) title: String,
    /// `../` prefix from the page to the site root.
    pub(crate) root: &'a str,
    /// The work whose page this is (drawn highlighted, not as a link).
    pub(crate) current: Option<PageId>,
    /// Width the drawing fills when placed on a time axis.
    pub(crate) width: u32,
}

/// What drawing `graph` for `purpose` in the language of `views` is made from.
pub(crate) fn drawing(
    views: &Views<'_>,
    decl: &Lineage,
    graph: &LineageGraph,
    purpose: &GraphPurpose<'_>,
) -> Drawing {
    let index: HashMap<PageId, usize> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(n, &i)| (i, n))
        .collect();
    let nodes: Vec<NodeSpec> = graph
        .nodes
        .iter()
        .map(|&i| node_spec(views, decl, i, purpose, Some(i) == purpose.current))
        .collect();
    let fields = &views.site.config.model.collections[decl.at].schema.fields;
    let edges: Vec<EdgeSpec> = graph
        .edges
        .iter()
        .map(|e| {
            let (field, style) = decl.resolved.edges[e.kind];
            EdgeSpec {
                from: index[&e.from],
                to: index[&e.to],
                class: fields[field].name.replace('_', "-"),
                dashed: style == EdgeStyle::Dashed,
            }
        })
        .collect();
    let desc = views
        .t("lineage_desc")
        .replace("{nodes}", &nodes.len().to_string())
        .replace("{edges}", &edges.len().to_string());
    let placement = match decl.resolved.time.is_empty() {
        true => Placement::Generations,
        false => Placement::Time {
            times: (graph.nodes.iter())
                .map(|&i| moment(views, decl, i))
                .collect(),
            width: f64::from(purpose.width),
            text: AxisText {
                months: views.t("months").split(',').map(str::to_string).collect(),
                undated: views.t("date_unknown"),
            },
        },
    };
    Drawing {
        id: purpose.id.to_string(),
        title: purpose.title.clone(),
        desc,
        nodes,
        edges,
        placement,
    }
}

/// `drawing`, drawn.
pub(crate) fn graph_view(drawing: &Drawing) -> GraphView {
    let drawn = svg::draw(drawing);
    GraphView {
        nodes: drawing.nodes.len(),
        edges: drawing.edges.len(),
        layers: drawn.layout.layers.iter().max().map_or(0, |m| m + 1),
        width: drawn.layout.width,
        by_time: drawn.layout.axis.is_some(),
        approximate: drawn.layout.approximate.contains(&true),
        backward: drawn.layout.backward.contains(&true),
        svg: drawn.svg,
    }
}

/// An entry's lineage neighbourhood, drawn only when its page is rendered: a template context
/// gets the [`GraphView`], a context key only the inputs (see
/// [`crate::render::context::BodyView`] for the same idea), so a page found unchanged is never
/// drawn.
#[derive(Debug, Clone)]
pub(crate) struct EntryGraph(pub(crate) Drawing);

impl Serialize for EntryGraph {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match serializer.is_human_readable() {
            true => graph_view(&self.0).serialize(serializer),
            false => self.0.serialize(serializer),
        }
    }
}

/// Where entry `i` stands on the time axis: its first set date field of `lineage.time`.
fn moment(views: &Views<'_>, decl: &Lineage, i: PageId) -> Option<Moment> {
    let page = &views.site.pages[i];
    let date = (decl.resolved.time.iter()).find_map(|&f| page.values[f].as_date())?;
    Some(Moment {
        year: i32::from(date.year),
        month: date.month,
        day: date.month.and(date.day),
    })
}

/// How entry `i` appears as a node: the few facts a node shows, read from the entry's card
/// (made once per language and shared: graphs are drawn on every entry page). Nodes carry the
/// classes `<group field>-<term>` and `<kind field>-<term>`; kinds listed in `pill` are drawn
/// as rounded boxes.
fn node_spec(
    views: &Views<'_>,
    decl: &Lineage,
    i: PageId,
    purpose: &GraphPurpose<'_>,
    current: bool,
) -> NodeSpec {
    let collection = &views.site.config.model.collections[decl.at];
    let page = &views.site.pages[i];
    let card = views.card(i);
    let title = card.text("title");
    let mut tooltip = title.to_string();
    let subtitle = decl.subtitle.as_deref().map_or("", |f| card.text(f));
    if !subtitle.is_empty() && subtitle != title {
        tooltip.push_str(" — ");
        tooltip.push_str(subtitle);
    }
    let role = |f: Option<FieldId>| {
        f.map(|f| (&collection.schema.fields[f].name, page.values[f].as_str()))
    };
    let (kind, group) = (role(collection.roles.kind), role(collection.roles.group));
    let kind_label = kind
        .and_then(|(name, _)| card.get(name))
        .map_or("", FieldView::label);
    let date = collection
        .roles
        .date
        .map(|f| &collection.schema.fields[f].name);
    let date_display = date
        .and_then(|name| card.get(name))
        .map_or("", FieldView::display);
    let facts: Vec<&str> = [kind_label, date_display]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !facts.is_empty() {
        let _ = write!(
            tooltip,
            " ({})",
            facts.join(views.punctuation("list_sep", ", "))
        );
    }
    let classes: Vec<String> = [group, kind]
        .into_iter()
        .flatten()
        .map(|(name, value)| format!("{name}-{value}"))
        .collect();
    NodeSpec {
        label: title.to_string(),
        tooltip,
        href: (!current).then(|| format!("{}{}", purpose.root, card.text("url"))),
        classes: classes.join(" "),
        pill: kind.is_some_and(|(_, k)| decl.pill.iter().any(|p| p == k)),
    }
}

/// The small graph of entry page `entry`, or `None` when it has no lineage edge.
pub(crate) fn entry_graph(
    views: &Views<'_>,
    decl: &Lineage,
    site_graph: &LineageGraph,
    entry: PageId,
    root: &str,
) -> Option<EntryGraph> {
    let graph = site_graph.around(entry);
    if graph.nodes.is_empty() {
        return None;
    }
    let title = views
        .t("lineage_of")
        .replace("{title}", views.card(entry).text("title"));
    Some(EntryGraph(drawing(
        views,
        decl,
        &graph,
        &GraphPurpose {
            id: "lineage-work",
            title,
            root,
            current: Some(entry),
            width: decl.entry_width,
        },
    )))
}

/// One earlier entry and the entries naming it, per edge field (the text form of the graph).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LineageGroup<'a> {
    /// The earlier entry.
    pub(crate) work: &'a Card<'a>,
    /// For each edge field, under the name of its reverse side: the entries naming this one
    /// (their cards borrowed: the page lists every edge of the site).
    #[serde(flatten)]
    pub(crate) followers: std::collections::BTreeMap<String, Vec<&'a Card<'a>>>,
    #[serde(skip)]
    sort_key: (String, String),
}

/// Everything `lineage.html` shows.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LineagePage<'a> {
    /// The whole drawing.
    pub(crate) graph: GraphView,
    /// The graph as text: each earlier entry with its followers, by title.
    pub(crate) groups: Vec<LineageGroup<'a>>,
    /// Entries without any edge.
    pub(crate) unlinked: Vec<&'a Card<'a>>,
    /// Terms of the group field among the drawn entries, for the colour legend.
    pub(crate) legend: Vec<TermRef>,
}

/// The view of the site-wide lineage page.
pub(crate) fn lineage_page<'a>(
    views: &Views<'a>,
    decl: &Lineage,
    site_graph: &LineageGraph,
    root: &str,
) -> LineagePage<'a> {
    let title = views.t("lineage");
    let purpose = GraphPurpose {
        id: "lineage-site",
        title,
        root,
        current: None,
        width: decl.width,
    };
    let graph = graph_view(&drawing(views, decl, site_graph, &purpose));
    let linked: HashSet<PageId> = site_graph.nodes.iter().copied().collect();
    let order = &views.site.collections[decl.at].order;
    let unlinked = (order.iter())
        .filter(|i| !linked.contains(i))
        .map(|&i| views.card(i))
        .collect();
    LineagePage {
        graph,
        groups: follower_groups(views, decl, site_graph),
        unlinked,
        legend: legend(views, decl, site_graph),
    }
}

/// Each drawn work that others build on, with those works per edge field (under the name of
/// the field's reverse side), by title.
fn follower_groups<'a>(
    views: &Views<'a>,
    decl: &Lineage,
    site_graph: &LineageGraph,
) -> Vec<LineageGroup<'a>> {
    let collection = &views.site.config.model.collections[decl.at];
    let adjacency = site_graph.adjacency();
    let followers = |from: PageId, kind: usize| -> Vec<&'a Card<'a>> {
        (adjacency.outgoing.get(&from).into_iter().flatten())
            .map(|&index| site_graph.edges[index])
            .filter(|e| e.kind == kind)
            .map(|e| views.card(e.to))
            .collect()
    };
    let reverse_name = |kind: usize| {
        let field = &collection.schema.fields[decl.resolved.edges[kind].0];
        field
            .reverse
            .as_ref()
            .map_or_else(|| field.name.clone(), |r| r.name.clone())
    };
    let mut groups: Vec<LineageGroup<'a>> = site_graph
        .nodes
        .iter()
        .map(|&i| {
            let card = views.card(i);
            LineageGroup {
                work: card,
                followers: (0..decl.resolved.edges.len())
                    .map(|kind| (reverse_name(kind), followers(i, kind)))
                    .collect(),
                sort_key: (
                    card.text("title").to_lowercase(),
                    card.text("slug").to_string(),
                ),
            }
        })
        .filter(|g| g.followers.values().any(|v| !v.is_empty()))
        .collect();
    groups.sort_by(|a, b| a.sort_key.cmp(&b.sort_key));
    groups
}

/// The terms of the collection's group field that drawn works carry, in vocabulary order: the
/// graph's colour legend.
fn legend(views: &Views<'_>, decl: &Lineage, site_graph: &LineageGraph) -> Vec<TermRef> {
    let collection = &views.site.config.model.collections[decl.at];
    let Some(g) = collection.roles.group else {
        return Vec::new();
    };
    let drawn: HashSet<&str> = (site_graph.nodes.iter())
        .map(|&i| views.site.pages[i].values[g].as_str())
        .collect();
    let vocabulary = collection.schema.fields[g].vocabulary.as_deref();
    (vocabulary
        .and_then(|v| views.site.config.vocabularies.get(v))
        .into_iter())
    .flat_map(|v| v.keys())
    .filter(|k| drawn.contains(k.as_str()))
    .map(|k| views.term(decl.at, g, k))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::layout::{layout, Spacing};
    use super::svg::{
        draw, escape, text_width, wrap_label, AxisText, Drawing, EdgeSpec, NodeSpec, Placement,
    };
    use super::timeline::Moment;

    fn node(label: &str) -> NodeSpec {
        NodeSpec {
            label: label.into(),
            tooltip: label.into(),
            href: Some(format!("models/{label}.html")),
            classes: String::new(),
            pill: false,
        }
    }

    fn overlaps(a: &super::layout::Rect, b: &super::layout::Rect) -> bool {
        a.x < b.right() && b.x < a.right() && a.y < b.y + b.height && b.y < a.y + a.height
    }

    #[test]
    fn layers_follow_the_longest_path_and_sources_sit_next_to_children() {
        // 0 → 1 → 2 → 3, and 4 (a dataset) → 3: 4 is pulled to layer 2, next to 3.
        let l = layout(
            &[50.0; 5],
            &[(0, 1), (1, 2), (2, 3), (4, 3), (0, 3)],
            Spacing::default(),
        );
        assert_eq!(l.layers, vec![0, 1, 2, 3, 2]);
        assert_eq!(
            l.routes[4].len(),
            6,
            "long edge 0 → 3 passes two dummy slots (two points each)"
        );
        for (i, a) in l.nodes.iter().enumerate() {
            for b in &l.nodes[i + 1..] {
                assert!(!overlaps(a, b), "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn barycentre_ordering_removes_avoidable_crossings() {
        // Two families drawn crosswise in input order: 0 → 3, 1 → 2.
        let l = layout(&[40.0; 4], &[(0, 3), (1, 2)], Spacing::default());
        assert_eq!(l.crossings, 0);
        assert!(l.nodes[3].y < l.nodes[2].y);
    }

    #[test]
    fn cycles_and_bad_edges_do_not_panic() {
        let l = layout(
            &[40.0; 3],
            &[(0, 1), (1, 2), (2, 0), (1, 1), (7, 0)],
            Spacing::default(),
        );
        assert_eq!(l.nodes.len(), 3);
        assert!(l.routes[4].is_empty());
        assert_eq!(layout(&[], &[], Spacing::default()).nodes.len(), 0);
    }

    #[test]
    fn layout_of_a_large_graph_is_deterministic_and_overlap_free() {
        let n = 3000;
        // A random DAG (fixed seed): each node has two parents among the 200 nodes before it.
        let mut seed: u64 = 42;
        let mut below = |v: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let lo = v.saturating_sub(200);
            lo + ((seed >> 33) as usize) % (v - lo)
        };
        let edges: Vec<(usize, usize)> = (1..n)
            .flat_map(|v| [(below(v), v), (below(v), v)])
            .collect();
        let a = layout(&vec![80.0; n], &edges, Spacing::default());
        let b = layout(&vec![80.0; n], &edges, Spacing::default());
        assert_eq!(a.nodes, b.nodes);
        assert_eq!(a.routes, b.routes);
        // Boxes of one layer never overlap (boxes of different layers are in different columns).
        let mut by_layer: std::collections::BTreeMap<usize, Vec<&super::layout::Rect>> =
            Default::default();
        for (r, l) in a.nodes.iter().zip(&a.layers) {
            by_layer.entry(*l).or_default().push(r);
        }
        for rects in by_layer.values_mut() {
            rects.sort_by(|x, y| x.y.total_cmp(&y.y));
            for pair in rects.windows(2) {
                assert!(pair[0].y + pair[0].height <= pair[1].y, "{pair:?}");
            }
        }
    }

    #[test]
    fn svg_has_links_titles_and_dashed_uses() {
        let nodes = vec![node("SAM"), node("MedSAM & co"), node("数据集")];
        let edges = vec![
            EdgeSpec {
                from: 0,
                to: 1,
                class: "builds-on".into(),
                dashed: false,
            },
            EdgeSpec {
                from: 2,
                to: 1,
                class: "uses".into(),
                dashed: true,
            },
        ];
        let drawn = draw(&Drawing {
            id: "g".into(),
            title: "Lineage".into(),
            desc: "3 works".into(),
            nodes,
            edges,
            placement: super::svg::Placement::Generations,
        });
        assert_eq!(drawn.svg.matches("<a class=\"node").count(), 3);
        assert_eq!(drawn.svg.matches("<path class=\"edge").count(), 2);
        assert!(drawn.svg.contains(r#"class="edge uses" stroke-dasharray"#));
        assert!(drawn.svg.contains("MedSAM &amp; co"));
        assert!(drawn.svg.contains(r#"aria-labelledby="g-title g-desc""#));
        // Every edge ends in the drawing's arrowhead, named once on their group.
        assert_eq!(drawn.svg.matches("marker-end=\"url(#g-arrow)\"").count(), 1);
        assert!(drawn.svg.contains(r#"<marker id="g-arrow""#));
        // Colours come from medfm.css, and numbers are written without a trailing `.0`.
        assert!(!drawn.svg.contains("fill=\"#") && !drawn.svg.contains("stroke=\"#"));
        assert!(!drawn.svg.contains(".0\"") && !drawn.svg.contains(".0,"));
        assert_eq!(escape(r#"<"'&>"#), "&lt;&quot;&#39;&amp;&gt;");
        assert!(text_width("数据集") > text_width("abc"));
    }

    #[test]
    fn long_labels_wrap_to_two_lines_and_keep_their_full_name_in_the_title() {
        assert_eq!(wrap_label("Swin Transformer"), ["Swin Transformer"]);
        assert_eq!(wrap_label("RadGenome-Chest CT"), ["RadGenome-Chest", "CT"]);
        let zh = "融入临床指南的多模态大模型 PI-RADS 评分方法";
        let lines = wrap_label(zh);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[1].ends_with('…'), "{lines:?}");
        let shown = format!("{}{}", lines[0], lines[1].trim_end_matches('…'));
        assert!(zh.starts_with(&shown), "{shown}");
        let word = "Pneumonoultramicroscopicsilicovolcanoconiosis";
        for lines in [lines, wrap_label(word)] {
            for line in &lines {
                assert!(text_width(line) <= 132.0, "{line}: {}", text_width(line));
            }
        }
        let nodes = vec![node(zh), node("SAM")];
        let times = [
            Some(Moment {
                year: 2024,
                month: Some(5),
                day: None,
            }),
            None,
        ];
        let text = AxisText {
            months: vec!["Jan".into(); 12],
            undated: "Date unknown".into(),
        };
        let drawn = draw(&Drawing {
            id: "g".into(),
            title: "Lineage".into(),
            desc: "2 works".into(),
            nodes,
            edges: Vec::new(),
            placement: Placement::Time {
                times: times.to_vec(),
                width: 600.0,
                text,
            },
        });
        assert!(drawn.svg.contains(&format!("<title>{zh}</title>")));
        assert_eq!(drawn.svg.matches("<tspan").count(), 2);
        assert!(drawn.svg.contains(">Date unknown</text>"));
    }

    /// The `x` and text of each `<text class="{class}">` of `svg`.
    fn texts(svg: &str, class: &str) -> Vec<(f64, String)> {
        let open = format!(r#"<text class="{class}" x=""#);
        (svg.match_indices(&open))
            .map(|(i, _)| {
                let rest = &svg[i + open.len()..];
                let x = rest[..rest.find('"').unwrap()].parse().unwrap();
                let text = &rest[rest.find('>').unwrap() + 1..rest.find("</text>").unwrap()];
                (x, text.to_string())
            })
            .collect()
    }

    #[test]
    fn axis_labels_of_a_crowded_year_stay_apart_inside_the_drawing_and_bands_alternate() {
        // Works in every month of 2024, most in May; one undated.
        let count = |m: u8| if m == 5 { 30 } else { usize::from(m % 3) + 1 };
        let mut nodes = vec![node("Undated work")];
        let mut times = vec![None];
        for m in 1..=12u8 {
            for i in 0..count(m) {
                nodes.push(node(&format!("Work {m}-{i}")));
                times.push(Some(Moment {
                    year: 2024,
                    month: Some(m),
                    day: Some(1 + u8::try_from(i % 28).unwrap()),
                }));
            }
        }
        let edges: Vec<EdgeSpec> = (2..nodes.len())
            .map(|to| EdgeSpec {
                from: to / 2,
                to,
                class: "builds-on".into(),
                dashed: false,
            })
            .collect();
        let months = [
            "January", "February", "March", "April", "May", "June", "July",
        ];
        let text = AxisText {
            months: (months.iter().chain(&["August", "September", "October"]))
                .chain(&["November", "December"])
                .map(|m| m.to_string())
                .collect(),
            undated: "Release date unknown".into(),
        };
        let drawn = draw(&Drawing {
            id: "g".into(),
            title: "Lineage".into(),
            desc: String::new(),
            nodes,
            edges,
            placement: Placement::Time {
                times,
                width: 800.0,
                text,
            },
        });
        let axis = drawn.layout.axis.as_ref().unwrap();
        let mut rows = [texts(&drawn.svg, "month"), texts(&drawn.svg, "year")];
        for row in &mut rows {
            row.sort_by(|a, b| a.0.total_cmp(&b.0));
            for pair in row.windows(2) {
                let end = pair[0].0 + text_width(&pair[0].1) * 12.0 / 14.0;
                assert!(end <= pair[1].0, "{pair:?} overlap");
            }
            for (x, label) in row.iter() {
                assert!(
                    x + text_width(label) * 12.0 / 14.0 <= drawn.layout.width,
                    "{label}"
                );
            }
        }
        assert!(rows[0].iter().any(|(_, l)| l == "May"), "{:?}", rows[0]);
        let works = axis.ticks.iter().filter(|t| t.works).count();
        assert_eq!(
            drawn.svg.matches(r#"<rect class="band""#).count(),
            works / 2
        );
    }
}
