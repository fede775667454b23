//! The lineage graph: which works build on (`builds_on`) or use (`uses`) which, drawn at build
//! time as inline SVG — the whole site on `lineage.html`, and on each work page the work with its
//! ancestors and descendants. [`layout`] places the nodes, [`svg`] draws them; this module picks
//! the nodes and edges and labels them in the page language.

pub mod layout;
pub mod svg;

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::load::content::PageMetaKind;
use crate::model::schema::Layout;
use crate::model::site::Site;
use crate::view::{TermRef, Views, WorkCard};
use svg::{Drawing, EdgeSpec, NodeSpec};

/// How one work relates to an earlier one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// The later work lists the earlier one in `builds_on`.
    BuildsOn,
    /// The later work lists the earlier one (a dataset or benchmark) in `uses`.
    Uses,
}

/// A lineage edge between two work pages (indexes into `Site::pages`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LineageEdge {
    /// The earlier work (built on, or used).
    pub from: usize,
    /// The later work.
    pub to: usize,
    /// How they relate.
    pub relation: Relation,
}

/// Generations followed each way from a work for its page's small graph.
const NEIGHBOURHOOD_HOPS: usize = 3;
/// Most works drawn in a work page's small graph (nearest first), so a popular foundation
/// model in a catalogue of thousands does not draw the whole catalogue on its page.
const NEIGHBOURHOOD_MAX_NODES: usize = 40;

/// A set of works and the lineage edges among them, in display order.
#[derive(Debug, Clone, Default)]
pub struct LineageGraph {
    /// Work page indexes, in the site's display order.
    pub nodes: Vec<usize>,
    /// Edges, in the order of their later work, then as written in its front matter.
    pub edges: Vec<LineageEdge>,
    /// Adjacency (up: later → earlier, down: earlier → later), built once on first use.
    adjacency: std::sync::OnceLock<Adjacency>,
}

/// Neighbours of each work in both directions, and where each work and edge sits in display
/// order, so a neighbourhood is cut out in time proportional to its own size.
#[derive(Debug, Clone, Default)]
struct Adjacency {
    up: HashMap<usize, Vec<usize>>,
    down: HashMap<usize, Vec<usize>>,
    /// Position of each work in `LineageGraph::nodes`.
    position: HashMap<usize, usize>,
    /// Indexes into `LineageGraph::edges` of the edges ending at each work, in order.
    incoming: HashMap<usize, Vec<usize>>,
    /// Indexes into `LineageGraph::edges` of the edges starting at each work, in order.
    outgoing: HashMap<usize, Vec<usize>>,
}

impl Adjacency {
    fn of(graph: &LineageGraph) -> Adjacency {
        let mut adjacency = Adjacency {
            position: graph
                .nodes
                .iter()
                .enumerate()
                .map(|(p, &i)| (i, p))
                .collect(),
            ..Adjacency::default()
        };
        for (index, e) in graph.edges.iter().enumerate() {
            adjacency.up.entry(e.to).or_default().push(e.from);
            adjacency.down.entry(e.from).or_default().push(e.to);
            adjacency.incoming.entry(e.to).or_default().push(index);
            adjacency.outgoing.entry(e.from).or_default().push(index);
        }
        adjacency
    }
}

impl LineageGraph {
    /// Every work with at least one lineage relation, and every relation (duplicates dropped).
    pub fn of_site(site: &Site) -> LineageGraph {
        let mut seen = HashSet::new();
        let mut edges = Vec::new();
        for &to in &site.works {
            let w = site.work(to);
            let listed = w
                .builds_on
                .iter()
                .map(|s| (s, Relation::BuildsOn))
                .chain(w.uses.iter().map(|s| (s, Relation::Uses)));
            for (slug, relation) in listed {
                if let Some(&from) = site.by_slug.get(slug) {
                    let edge = LineageEdge { from, to, relation };
                    if from != to && seen.insert(edge) {
                        edges.push(edge);
                    }
                }
            }
        }
        let linked: HashSet<usize> = edges.iter().flat_map(|e| [e.from, e.to]).collect();
        let nodes = site
            .works
            .iter()
            .copied()
            .filter(|i| linked.contains(i))
            .collect();
        LineageGraph {
            nodes,
            edges,
            adjacency: Default::default(),
        }
    }

    /// The graph's adjacency, built on first use.
    fn adjacency(&self) -> &Adjacency {
        self.adjacency.get_or_init(|| Adjacency::of(self))
    }

    /// Work `work` with its ancestors and descendants (up to [`NEIGHBOURHOOD_HOPS`] generations
    /// each way and [`NEIGHBOURHOOD_MAX_NODES`] works, nearest first), and the edges among them.
    pub fn around(&self, work: usize) -> LineageGraph {
        let adjacency = self.adjacency();
        let half = NEIGHBOURHOOD_MAX_NODES / 2;
        let mut keep: HashSet<usize> = reach(&adjacency.up, work, half);
        keep.extend(reach(
            &adjacency.down,
            work,
            NEIGHBOURHOOD_MAX_NODES - keep.len() + 1,
        ));
        if keep.len() == 1 {
            return LineageGraph::default();
        }
        // Display order of the whole graph, restricted to the neighbourhood: nodes by position,
        // edges grouped by their later work (which is how `edges` is ordered).
        let mut nodes: Vec<usize> = keep.iter().copied().collect();
        nodes.sort_by_key(|i| adjacency.position[i]);
        let edges = nodes
            .iter()
            .flat_map(|to| adjacency.incoming.get(to).into_iter().flatten())
            .map(|&index| self.edges[index])
            .filter(|e| keep.contains(&e.from))
            .collect();
        LineageGraph {
            nodes,
            edges,
            adjacency: Default::default(),
        }
    }
}

/// The earlier works behind `works` that no trend page lists: their ancestors through
/// `builds_on` whose strand has no trend page (the general foundations), in display order.
pub fn foundations(site: &Site, graph: &LineageGraph, works: &[usize]) -> Vec<usize> {
    let listed: HashSet<&str> = site
        .pages
        .iter()
        .filter(|p| p.layout() == Some(Layout::Trend))
        .filter_map(|p| match &p.meta {
            PageMetaKind::Section(m) => m.strand.as_deref(),
            PageMetaKind::Work(_) => None,
        })
        .collect();
    let mut up: HashMap<usize, Vec<usize>> = HashMap::new();
    for e in graph
        .edges
        .iter()
        .filter(|e| e.relation == Relation::BuildsOn)
    {
        up.entry(e.to).or_default().push(e.from);
    }
    let mut behind: HashSet<usize> = works.iter().copied().collect();
    let mut queue: VecDeque<usize> = works.iter().copied().collect();
    while let Some(v) = queue.pop_front() {
        for &n in up.get(&v).into_iter().flatten() {
            if behind.insert(n) {
                queue.push_back(n);
            }
        }
    }
    site.works
        .iter()
        .copied()
        .filter(|i| behind.contains(i) && !listed.contains(site.work(*i).strand.as_str()))
        .collect()
}

/// `start` and the works reachable from it through `next`, breadth first, at most
/// [`NEIGHBOURHOOD_HOPS`] steps away and at most `limit` works in all.
fn reach(next: &HashMap<usize, Vec<usize>>, start: usize, limit: usize) -> HashSet<usize> {
    let mut seen = HashSet::from([start]);
    let mut queue = VecDeque::from([(start, 0)]);
    while let Some((v, hops)) = queue.pop_front() {
        if hops == NEIGHBOURHOOD_HOPS {
            continue;
        }
        for &n in next.get(&v).into_iter().flatten() {
            if seen.len() >= limit {
                return seen;
            }
            if seen.insert(n) {
                queue.push_back((n, hops + 1));
            }
        }
    }
    seen
}

/// A drawn graph, ready for a template.
#[derive(Debug, Clone, Serialize)]
pub struct GraphView {
    /// The inline `<svg>` (already escaped; templates print it with `| safe`).
    pub svg: String,
    /// Number of works drawn.
    pub nodes: usize,
    /// Number of relations drawn.
    pub edges: usize,
    /// Number of layers (generations) in the drawing.
    pub layers: usize,
    /// Width of the drawing in pixels.
    pub width: f64,
    /// Time spent laying out and drawing.
    #[serde(skip)]
    pub elapsed: Duration,
}

/// What a drawing is for: its id prefix, title, the page root and the page's own work.
#[derive(Debug, Clone)]
pub struct GraphPurpose<'a> {
    /// Prefix of ids inside the SVG.
    pub id: &'a str,
    /// Accessible title.
    pub title: String,
    /// `../` prefix from the page to the site root.
    pub root: &'a str,
    /// The work whose page this is (drawn highlighted, not as a link).
    pub current: Option<usize>,
}

/// Draws `graph` with labels and links in the language of `views`.
pub fn draw(views: &Views<'_>, graph: &LineageGraph, purpose: &GraphPurpose<'_>) -> GraphView {
    let start = Instant::now();
    let index: HashMap<usize, usize> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(n, &i)| (i, n))
        .collect();
    let nodes: Vec<NodeSpec> = graph
        .nodes
        .iter()
        .map(|&i| node_spec(views, i, purpose, Some(i) == purpose.current))
        .collect();
    let edges: Vec<EdgeSpec> = graph
        .edges
        .iter()
        .map(|e| EdgeSpec {
            from: index[&e.from],
            to: index[&e.to],
            dashed: e.relation == Relation::Uses,
        })
        .collect();
    let desc = views
        .t("lineage_desc")
        .replace("{nodes}", &nodes.len().to_string())
        .replace("{edges}", &edges.len().to_string());
    let drawn = svg::draw(&Drawing {
        id: purpose.id,
        title: &purpose.title,
        desc: &desc,
        nodes: &nodes,
        edges: &edges,
    });
    GraphView {
        nodes: nodes.len(),
        edges: edges.len(),
        layers: drawn.layout.layers.iter().max().map_or(0, |m| m + 1),
        width: drawn.layout.width,
        svg: drawn.svg,
        elapsed: start.elapsed(),
    }
}

/// How work `i` appears as a node: the few facts a node shows, read from the work's card (made
/// once per language and shared: graphs are drawn on every work page).
fn node_spec(views: &Views<'_>, i: usize, purpose: &GraphPurpose<'_>, current: bool) -> NodeSpec {
    let work = views.site.work(i);
    let card = views.card_ref(i);
    let mut tooltip = card.title.clone();
    if !card.full_name.is_empty() && card.full_name != card.title {
        tooltip.push_str(" — ");
        tooltip.push_str(&card.full_name);
    }
    let _ = write!(tooltip, " ({}, {})", card.kind.label, card.date.display);
    NodeSpec {
        label: card.title.clone(),
        tooltip,
        href: (!current).then(|| format!("{}{}", purpose.root, card.url)),
        classes: format!("strand-{} kind-{}", work.strand, work.kind),
        pill: matches!(work.kind.as_str(), "dataset" | "benchmark"),
    }
}

/// The small graph of work page `work`, or `None` when it has no lineage relation.
pub fn work_graph(
    views: &Views<'_>,
    site_graph: &LineageGraph,
    work: usize,
    root: &str,
) -> Option<GraphView> {
    let graph = site_graph.around(work);
    if graph.nodes.is_empty() {
        return None;
    }
    let title = views
        .t("lineage_of")
        .replace("{title}", &views.card_ref(work).title);
    Some(draw(
        views,
        &graph,
        &GraphPurpose {
            id: "lineage-work",
            title,
            root,
            current: Some(work),
        },
    ))
}

/// One earlier work and the works that build on or use it (the text form of the graph).
#[derive(Debug, Clone, Serialize)]
pub struct LineageGroup {
    /// The earlier work.
    pub work: WorkCard,
    /// Works listing it in `builds_on`.
    pub built_upon_by: Vec<WorkCard>,
    /// Works listing it in `uses`.
    pub used_by: Vec<WorkCard>,
}

/// Everything `lineage.html` shows.
#[derive(Debug, Clone, Serialize)]
pub struct LineagePage {
    /// The site-wide drawing.
    pub graph: GraphView,
    /// The graph as text: each earlier work with its followers, by title.
    pub groups: Vec<LineageGroup>,
    /// Works without any recorded relation.
    pub unlinked: Vec<WorkCard>,
    /// Strands of the drawn works, for the colour legend.
    pub strands: Vec<TermRef>,
}

/// The view of the site-wide lineage page.
pub fn lineage_page(views: &Views<'_>, site_graph: &LineageGraph, root: &str) -> LineagePage {
    let title = views.t("lineage");
    let graph = draw(
        views,
        site_graph,
        &GraphPurpose {
            id: "lineage-site",
            title,
            root,
            current: None,
        },
    );
    let adjacency = site_graph.adjacency();
    let followers = |from: usize, relation: Relation| -> Vec<WorkCard> {
        (adjacency.outgoing.get(&from).into_iter().flatten())
            .map(|&index| site_graph.edges[index])
            .filter(|e| e.relation == relation)
            .map(|e| views.card(e.to))
            .collect()
    };
    let mut groups: Vec<LineageGroup> = site_graph
        .nodes
        .iter()
        .map(|&i| LineageGroup {
            work: views.card(i),
            built_upon_by: followers(i, Relation::BuildsOn),
            used_by: followers(i, Relation::Uses),
        })
        .filter(|g| !g.built_upon_by.is_empty() || !g.used_by.is_empty())
        .collect();
    groups.sort_by_cached_key(|g| (g.work.title.to_lowercase(), g.work.slug.clone()));
    let linked: HashSet<usize> = site_graph.nodes.iter().copied().collect();
    let unlinked = views
        .site
        .works
        .iter()
        .filter(|i| !linked.contains(i))
        .map(|&i| views.card(i))
        .collect();
    let drawn: HashSet<&str> = site_graph
        .nodes
        .iter()
        .map(|&i| views.site.work(i).strand.as_str())
        .collect();
    let strands = views
        .site
        .config
        .vocabularies
        .strand
        .keys()
        .filter(|k| drawn.contains(k.as_str()))
        .map(|k| views.term("strand", k))
        .collect();
    LineagePage {
        graph,
        groups,
        unlinked,
        strands,
    }
}

#[cfg(test)]
mod tests {
    use super::layout::{layout, Spacing};
    use super::svg::{draw, escape, text_width, Drawing, EdgeSpec, NodeSpec};

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
    fn layout_is_deterministic_and_fast_on_a_large_graph() {
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
        let start = std::time::Instant::now();
        let a = layout(&vec![80.0; n], &edges, Spacing::default());
        let elapsed = start.elapsed();
        let b = layout(&vec![80.0; n], &edges, Spacing::default());
        assert_eq!(a.nodes, b.nodes);
        assert!(
            elapsed.as_secs_f64() < 10.0,
            "layout of {n} nodes took {elapsed:?}"
        );
    }

    #[test]
    fn svg_has_links_titles_and_dashed_uses() {
        let nodes = vec![node("SAM"), node("MedSAM & co"), node("数据集")];
        let edges = vec![
            EdgeSpec {
                from: 0,
                to: 1,
                dashed: false,
            },
            EdgeSpec {
                from: 2,
                to: 1,
                dashed: true,
            },
        ];
        let drawn = draw(&Drawing {
            id: "g",
            title: "Lineage",
            desc: "3 works",
            nodes: &nodes,
            edges: &edges,
        });
        assert_eq!(drawn.svg.matches("<a class=\"node").count(), 3);
        assert_eq!(drawn.svg.matches("<path class=\"edge").count(), 2);
        assert!(drawn.svg.contains(r#"class="edge uses" stroke-dasharray"#));
        assert!(drawn.svg.contains("MedSAM &amp; co"));
        assert!(drawn.svg.contains(r#"aria-labelledby="g-title g-desc""#));
        assert_eq!(escape(r#"<"'&>"#), "&lt;&quot;&#39;&amp;&gt;");
        assert!(text_width("数据集") > text_width("abc"));
    }
}
