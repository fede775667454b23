//! The lineage graph as data: an arrow from each entry to every entry it names in one of the
//! declared `lineage.edges` fields, and the neighbourhood of one entry. Drawing it is the view
//! layer's job ([`crate::view::lineage`]).

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::OnceLock;

use crate::model::id::PageId;
use crate::model::site::Site;

/// A lineage edge between two entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct LineageEdge {
    /// The earlier entry (the one named).
    pub(crate) from: PageId,
    /// The later entry (the one naming it).
    pub(crate) to: PageId,
    /// Which declared edge field: an index into `LineageFields::edges`.
    pub(crate) kind: usize,
}

/// Generations followed each way from an entry for its page's small graph.
const NEIGHBOURHOOD_HOPS: usize = 3;
/// Most entries drawn in an entry page's small graph (nearest first), so a popular foundation
/// model in a catalogue of thousands does not draw the whole catalogue on its page.
const NEIGHBOURHOOD_MAX_NODES: usize = 40;

/// A set of entries and the lineage edges among them, in display order.
#[derive(Debug, Clone, Default)]
pub(crate) struct LineageGraph {
    /// Entries, in the collection's display order.
    pub(crate) nodes: Vec<PageId>,
    /// Edges, in the order of their later entry, then as written in its front matter.
    pub(crate) edges: Vec<LineageEdge>,
    /// Adjacency, built once on first use.
    adjacency: OnceLock<Adjacency>,
}

/// Neighbours of each entry in both directions, and where each entry and edge sits in display
/// order, so a neighbourhood is cut out in time proportional to its own size.
#[derive(Debug, Clone, Default)]
pub(crate) struct Adjacency {
    up: HashMap<PageId, Vec<PageId>>,
    down: HashMap<PageId, Vec<PageId>>,
    /// Position of each entry in `LineageGraph::nodes`.
    position: HashMap<PageId, usize>,
    /// Indexes into `LineageGraph::edges` of the edges ending at each entry, in order.
    incoming: HashMap<PageId, Vec<usize>>,
    /// Indexes into `LineageGraph::edges` of the edges starting at each entry, in order.
    pub(crate) outgoing: HashMap<PageId, Vec<usize>>,
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
    /// Every entry of the lineage's collection with at least one edge, and every edge
    /// (duplicates dropped). Empty when the site declares no lineage.
    pub(crate) fn of_site(site: &Site) -> LineageGraph {
        let Some(decl) = &site.config.model.lineage else {
            return LineageGraph::default();
        };
        let fields = &site.config.model.collections[decl.at].schema.fields;
        let order = &site.collections[decl.at].order;
        let mut seen = HashSet::new();
        let mut edges = Vec::new();
        for &to in order {
            for (kind, &(field, _)) in decl.resolved.edges.iter().enumerate() {
                let targets = &site.collections[fields[field].target].by_slug;
                for slug in site.pages[to].values[field].as_list() {
                    if let Some(&from) = targets.get(slug) {
                        let edge = LineageEdge { from, to, kind };
                        if from != to && seen.insert(edge) {
                            edges.push(edge);
                        }
                    }
                }
            }
        }
        let linked: HashSet<PageId> = edges.iter().flat_map(|e| [e.from, e.to]).collect();
        let nodes = order
            .iter()
            .copied()
            .filter(|i| linked.contains(i))
            .collect();
        LineageGraph {
            nodes,
            edges,
            adjacency: OnceLock::new(),
        }
    }

    /// The graph's adjacency, built on first use.
    pub(crate) fn adjacency(&self) -> &Adjacency {
        self.adjacency.get_or_init(|| Adjacency::of(self))
    }

    /// Entry `entry` with its ancestors and descendants (up to [`NEIGHBOURHOOD_HOPS`]
    /// generations each way and [`NEIGHBOURHOOD_MAX_NODES`] entries, nearest first), and the
    /// edges among them.
    pub(crate) fn around(&self, entry: PageId) -> LineageGraph {
        let adjacency = self.adjacency();
        let half = NEIGHBOURHOOD_MAX_NODES / 2;
        let mut keep: HashSet<PageId> = reach(&adjacency.up, entry, half);
        keep.extend(reach(
            &adjacency.down,
            entry,
            NEIGHBOURHOOD_MAX_NODES - keep.len() + 1,
        ));
        if keep.len() == 1 {
            return LineageGraph::default();
        }
        // Display order of the whole graph, restricted to the neighbourhood: nodes by position,
        // edges grouped by their later entry (which is how `edges` is ordered).
        let mut nodes: Vec<PageId> = keep.iter().copied().collect();
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
            adjacency: OnceLock::new(),
        }
    }
}

/// `start` and the entries reachable from it through `next`, breadth first, at most
/// [`NEIGHBOURHOOD_HOPS`] steps away and at most `limit` entries in all.
fn reach(next: &HashMap<PageId, Vec<PageId>>, start: PageId, limit: usize) -> HashSet<PageId> {
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
