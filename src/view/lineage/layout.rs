//! Layered layout of a directed graph, Sugiyama style but kept small: longest-path layering
//! (cycles broken deterministically, sources pulled next to their children), dummy slots on
//! edges that span several layers, barycentre ordering with crossing counting, then left-to-right
//! coordinates. Pure: node widths and edges in, rectangles and edge routes out. Every step is
//! linear in nodes plus edge spans, except sorting within layers and crossing counting
//! (`O(E log V)` per sweep).

/// Spacing of a layout, in pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spacing {
    /// Height of a node box.
    pub(crate) node_height: f64,
    /// Horizontal gap between two layers (room for the edge curves).
    pub(crate) column_gap: f64,
    /// Vertical gap between two boxes of a layer.
    pub(crate) row_gap: f64,
    /// Empty border around the drawing.
    pub(crate) margin: f64,
}

impl Default for Spacing {
    fn default() -> Self {
        Spacing {
            node_height: 30.0,
            column_gap: 56.0,
            row_gap: 10.0,
            margin: 8.0,
        }
    }
}

/// An axis-aligned rectangle: top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    /// Left edge.
    pub(crate) x: f64,
    /// Top edge.
    pub(crate) y: f64,
    /// Width.
    pub(crate) width: f64,
    /// Height.
    pub(crate) height: f64,
}

impl Rect {
    /// Vertical centre.
    pub(crate) fn cy(&self) -> f64 {
        self.y + self.height / 2.0
    }

    /// Right edge.
    pub(crate) fn right(&self) -> f64 {
        self.x + self.width
    }
}

/// A month on the axis, or a band of months drawn as one stretch (their works share columns).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Tick {
    /// Where the month starts.
    pub(crate) x: f64,
    /// How far it reaches (to the next tick or break).
    pub(crate) width: f64,
    /// Year.
    pub(crate) year: i32,
    /// Month 1–12.
    pub(crate) month: u8,
    /// Last month of the band, 1–12 (`month` itself for a single month).
    pub(crate) last: u8,
    /// Some work stands in it.
    pub(crate) works: bool,
    /// First month of a stretch (the axis start, or after a break): labelled with its year.
    pub(crate) opens: bool,
}

/// The time axis drawn above the rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Axis {
    /// Months and bands of months, left to right (none inside collapsed stretches).
    pub(crate) ticks: Vec<Tick>,
    /// Centres of collapsed stretches of empty months.
    pub(crate) breaks: Vec<f64>,
    /// Left edge of the column of undated nodes, if any.
    pub(crate) undated: Option<f64>,
    /// Where the axis starts (right of the undated column).
    pub(crate) start: f64,
    /// Where the axis ends.
    pub(crate) end: f64,
    /// Baseline of the axis (bottom of its band); rows start below it.
    pub(crate) baseline: f64,
}

/// A finished layout.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    /// One box per input node, in input order.
    pub(crate) nodes: Vec<Rect>,
    /// The layer (column, 0 = leftmost) of each input node.
    pub(crate) layers: Vec<usize>,
    /// One route per input edge: points from the source's right side to the target's left side.
    pub(crate) routes: Vec<Vec<(f64, f64)>>,
    /// Total width of the drawing.
    pub(crate) width: f64,
    /// Total height of the drawing.
    pub(crate) height: f64,
    /// Edge crossings left after ordering (between adjacent layers).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) crossings: usize,
    /// The time axis, when nodes are placed by date ([`super::timeline`]).
    pub(crate) axis: Option<Axis>,
    /// Routes are orthogonal polylines (drawn with straight runs and rounded corners) rather
    /// than points joined by S-curves.
    pub(crate) orthogonal: bool,
    /// Per edge: it points back in time (the later work is dated before the earlier one).
    pub(crate) backward: Vec<bool>,
    /// Per node: placed by a bare year (month unknown).
    pub(crate) approximate: Vec<bool>,
}

/// How many ordering sweeps (alternately down and up) are tried.
const SWEEPS: usize = 12;

/// Lays out `widths.len()` nodes joined by `edges` (source, target), sources to the left.
/// Edges naming a node out of range are ignored (their route is empty).
pub(crate) fn layout(widths: &[f64], edges: &[(usize, usize)], spacing: Spacing) -> Layout {
    let n = widths.len();
    let valid: Vec<(usize, usize)> = edges
        .iter()
        .map(|&(a, b)| if a < n && b < n { (a, b) } else { (0, 0) })
        .collect();
    let usable: Vec<bool> = edges.iter().map(|&(a, b)| a < n && b < n).collect();
    let (layers, forward) = layering(n, &valid, &usable);
    let mut grid = Grid::new(widths, &layers, &valid, &forward, &usable);
    let crossings = grid.order();
    let geometry = grid.coordinates(spacing);
    let routes = (0..edges.len()).map(|e| grid.route(e, &geometry)).collect();
    let nodes = (0..n).map(|s| geometry.rect(&grid, s)).collect();
    Layout {
        nodes,
        layers,
        routes,
        width: geometry.width,
        height: geometry.height,
        crossings,
        axis: None,
        orthogonal: false,
        backward: vec![false; edges.len()],
        approximate: vec![false; n],
    }
}

/// Longest-path layers from the sources, with a Kahn topological sort that breaks cycles at the
/// lowest-numbered waiting node. Returns each node's layer and whether each edge points forward.
pub(super) fn layering(
    n: usize,
    edges: &[(usize, usize)],
    usable: &[bool],
) -> (Vec<usize>, Vec<bool>) {
    let mut forward: Vec<bool> = edges
        .iter()
        .zip(usable)
        .map(|(&(a, b), &u)| u && a != b)
        .collect();
    let mut outs: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, &(a, b)) in edges.iter().enumerate().filter(|(e, _)| forward[*e]) {
        outs[a].push(e);
        ins[b].push(e);
    }
    let order = topological_order(n, edges, &outs, &ins, &mut forward);
    let mut layer = vec![0usize; n];
    for &v in &order {
        for &e in outs[v].iter().filter(|&&e| forward[e]) {
            let t = edges[e].1;
            layer[t] = layer[t].max(layer[v] + 1);
        }
    }
    pull_sources(&mut layer, edges, &forward, &ins, &outs);
    (layer, forward)
}

/// Kahn's algorithm; when every remaining node waits on another, the lowest-numbered one has its
/// unconsumed incoming edges marked as backward (not forward), which breaks the cycle.
fn topological_order(
    n: usize,
    edges: &[(usize, usize)],
    outs: &[Vec<usize>],
    ins: &[Vec<usize>],
    forward: &mut [bool],
) -> Vec<usize> {
    let mut waiting: Vec<usize> = ins.iter().map(Vec::len).collect();
    let mut consumed = vec![false; edges.len()];
    let mut done = vec![false; n];
    let mut queue: std::collections::VecDeque<usize> =
        (0..n).filter(|&v| waiting[v] == 0).collect();
    let mut order = Vec::with_capacity(n);
    let mut cursor = 0;
    while order.len() < n {
        let Some(v) = queue.pop_front() else {
            while done[cursor] || waiting[cursor] == 0 {
                cursor += 1;
            }
            for &e in ins[cursor].iter().filter(|&&e| !consumed[e]) {
                forward[e] = false;
            }
            waiting[cursor] = 0;
            queue.push_back(cursor);
            continue;
        };
        if done[v] {
            continue;
        }
        done[v] = true;
        order.push(v);
        for &e in outs[v].iter().filter(|&&e| forward[e]) {
            consumed[e] = true;
            let t = edges[e].1;
            waiting[t] -= 1;
            if waiting[t] == 0 && !done[t] {
                queue.push_back(t);
            }
        }
    }
    order
}

/// Moves every source with children to the layer just before its nearest child, so a dataset or
/// an old model is drawn next to the work using it instead of in the leftmost column.
fn pull_sources(
    layer: &mut [usize],
    edges: &[(usize, usize)],
    forward: &[bool],
    ins: &[Vec<usize>],
    outs: &[Vec<usize>],
) {
    for v in 0..layer.len() {
        let has_parent = ins[v].iter().any(|&e| forward[e]);
        let nearest = outs[v]
            .iter()
            .filter(|&&e| forward[e])
            .map(|&e| layer[edges[e].1])
            .min();
        if let (false, Some(child)) = (has_parent, nearest) {
            layer[v] = child - 1;
        }
    }
}

/// Slots (real nodes first, then dummies) arranged in layers.
struct Grid {
    /// Number of real (input) nodes: they are the first slots.
    real: usize,
    /// Layer of each slot.
    layer_of: Vec<usize>,
    /// Width of each slot (0 for dummies).
    width: Vec<f64>,
    /// Neighbours of each slot in the layer above (to the left).
    ups: Vec<Vec<usize>>,
    /// Neighbours of each slot in the layer below (to the right).
    downs: Vec<Vec<usize>>,
    /// Slots of each input edge, source first (just the two ends for backward edges).
    chains: Vec<Vec<usize>>,
    /// Slots of each layer, in drawing order.
    layers: Vec<Vec<usize>>,
    /// Index of each slot within its layer.
    pos: Vec<usize>,
}

impl Grid {
    fn new(
        widths: &[f64],
        layers: &[usize],
        edges: &[(usize, usize)],
        forward: &[bool],
        usable: &[bool],
    ) -> Grid {
        let n = widths.len();
        let mut grid = Grid {
            real: n,
            layer_of: layers.to_vec(),
            width: widths.to_vec(),
            ups: vec![Vec::new(); n],
            downs: vec![Vec::new(); n],
            chains: Vec::with_capacity(edges.len()),
            layers: Vec::new(),
            pos: Vec::new(),
        };
        for (e, &(a, b)) in edges.iter().enumerate() {
            let chain = match (usable[e], forward[e]) {
                (false, _) => Vec::new(),
                (true, false) => vec![a, b],
                (true, true) => grid.chain(a, b),
            };
            grid.chains.push(chain);
        }
        grid.fill_layers();
        grid
    }

    /// The slots of a forward edge, adding a dummy slot in every layer it crosses.
    fn chain(&mut self, a: usize, b: usize) -> Vec<usize> {
        let mut chain = vec![a];
        for layer in self.layer_of[a] + 1..self.layer_of[b] {
            self.layer_of.push(layer);
            self.width.push(0.0);
            self.ups.push(Vec::new());
            self.downs.push(Vec::new());
            chain.push(self.layer_of.len() - 1);
        }
        chain.push(b);
        for pair in chain.windows(2) {
            self.downs[pair[0]].push(pair[1]);
            self.ups[pair[1]].push(pair[0]);
        }
        chain
    }

    fn fill_layers(&mut self) {
        let count = self.layer_of.iter().max().map_or(0, |&m| m + 1);
        self.layers = vec![Vec::new(); count];
        for (slot, &l) in self.layer_of.iter().enumerate() {
            self.layers[l].push(slot);
        }
        self.pos = vec![0; self.layer_of.len()];
        self.renumber();
    }

    fn renumber(&mut self) {
        for layer in &self.layers {
            for (p, &s) in layer.iter().enumerate() {
                self.pos[s] = p;
            }
        }
    }

    /// Barycentre sweeps, keeping the order with the fewest crossings. Returns that count.
    fn order(&mut self) -> usize {
        self.sweep(true);
        let mut best = (self.crossings(), self.layers.clone());
        for i in 0..SWEEPS {
            if best.0 == 0 {
                break;
            }
            self.sweep(i % 2 == 1);
            let c = self.crossings();
            if c < best.0 {
                best = (c, self.layers.clone());
            }
        }
        self.layers = best.1;
        self.renumber();
        best.0
    }

    /// Reorders each layer by the mean position of its neighbours in the previous layer
    /// (`down`) or the next one (`!down`); slots without such neighbours keep their place.
    fn sweep(&mut self, down: bool) {
        let count = self.layers.len();
        let order: Vec<usize> = if down {
            (1..count).collect()
        } else {
            (0..count.saturating_sub(1)).rev().collect()
        };
        for l in order {
            let keys: Vec<(usize, f64)> = self.layers[l]
                .iter()
                .map(|&s| {
                    let nbrs = if down { &self.ups[s] } else { &self.downs[s] };
                    (s, barycentre(nbrs, &self.pos).unwrap_or(self.pos[s] as f64))
                })
                .collect();
            let mut sorted = keys;
            sorted.sort_by(|a, b| a.1.total_cmp(&b.1).then(self.pos[a.0].cmp(&self.pos[b.0])));
            self.layers[l] = sorted.into_iter().map(|(s, _)| s).collect();
            for (p, &s) in self.layers[l].iter().enumerate() {
                self.pos[s] = p;
            }
        }
    }

    /// Edge crossings between all pairs of adjacent layers (inversion count with a Fenwick tree).
    fn crossings(&self) -> usize {
        (0..self.layers.len().saturating_sub(1))
            .map(|l| self.crossings_below(l))
            .sum()
    }

    fn crossings_below(&self, l: usize) -> usize {
        let mut pairs: Vec<(usize, usize)> = self.layers[l]
            .iter()
            .flat_map(|&s| self.downs[s].iter().map(move |&d| (s, d)))
            .map(|(s, d)| (self.pos[s], self.pos[d]))
            .collect();
        pairs.sort_unstable();
        let mut tree = Fenwick::new(self.layers[l + 1].len());
        let mut total = 0;
        for (seen, &(_, lower)) in pairs.iter().enumerate() {
            total += seen - tree.count_upto(lower);
            tree.add(lower);
        }
        total
    }

    fn coordinates(&self, spacing: Spacing) -> Geometry {
        let widths: Vec<f64> = self
            .layers
            .iter()
            .map(|layer| {
                layer
                    .iter()
                    .map(|&s| self.width[s])
                    .fold(0.0, f64::max)
                    .max(DUMMY_COLUMN)
            })
            .collect();
        let mut x = Vec::with_capacity(widths.len());
        let mut left = spacing.margin;
        for w in &widths {
            x.push(left);
            left += w + spacing.column_gap;
        }
        let heights: Vec<f64> = (0..self.layer_of.len())
            .map(|s| {
                if s < self.real {
                    spacing.node_height
                } else {
                    0.0
                }
            })
            .collect();
        let mut placer = Placer {
            grid: self,
            heights: &heights,
            gap: spacing.row_gap,
            top: vec![0.0; heights.len()],
        };
        placer.pass(true, false);
        placer.pass(false, true);
        placer.pass(true, true);
        placer.pass(false, true);
        let lowest = placer.top.iter().copied().fold(f64::INFINITY, f64::min);
        let shift = spacing.margin - if lowest.is_finite() { lowest } else { 0.0 };
        let top: Vec<f64> = placer.top.iter().map(|t| t + shift).collect();
        let height = (0..top.len())
            .map(|s| top[s] + heights[s])
            .fold(0.0, f64::max)
            + spacing.margin;
        let width = left - spacing.column_gap + spacing.margin;
        Geometry {
            column_x: x,
            column_width: widths,
            top,
            node_height: spacing.node_height,
            width: width.max(0.0),
            height,
        }
    }

    /// The route of edge `e`: out of the source's right side, through its dummies, into the
    /// target's left side.
    fn route(&self, e: usize, g: &Geometry) -> Vec<(f64, f64)> {
        let chain = &self.chains[e];
        let (Some(&first), Some(&last)) = (chain.first(), chain.last()) else {
            return Vec::new();
        };
        let mut points = vec![(g.right(self, first), g.cy(first))];
        for &d in &chain[1..chain.len() - 1] {
            let l = self.layer_of[d];
            points.push((g.column_x[l], g.top[d]));
            points.push((g.column_x[l] + g.column_width[l], g.top[d]));
        }
        points.push((g.column_x[self.layer_of[last]], g.cy(last)));
        points
    }
}

/// Width of a layer that holds only dummy slots.
const DUMMY_COLUMN: f64 = 16.0;

fn barycentre(nbrs: &[usize], pos: &[usize]) -> Option<f64> {
    (!nbrs.is_empty()).then(|| nbrs.iter().map(|&n| pos[n] as f64).sum::<f64>() / nbrs.len() as f64)
}

/// Vertical placement: slots of a layer are stacked in order, each as close as the order allows
/// to the mean centre of its neighbours in the layer it is aligned with.
struct Placer<'a> {
    grid: &'a Grid,
    heights: &'a [f64],
    gap: f64,
    top: Vec<f64>,
}

impl Placer<'_> {
    /// One pass over the layers, left to right (`down`) or right to left. With `keep`, a slot
    /// without neighbours on the aligned side stays near where it was.
    fn pass(&mut self, down: bool, keep: bool) {
        let count = self.grid.layers.len();
        let order: Vec<usize> = if down {
            (0..count).collect()
        } else {
            (0..count).rev().collect()
        };
        for l in order {
            let mut floor = 0.0;
            for &s in &self.grid.layers[l] {
                let nbrs = if down {
                    &self.grid.ups[s]
                } else {
                    &self.grid.downs[s]
                };
                let centre = self
                    .mean_centre(nbrs)
                    .or(keep.then(|| self.top[s] + self.heights[s] / 2.0));
                let want = centre.map_or(floor, |c| c - self.heights[s] / 2.0);
                self.top[s] = want.max(floor);
                floor = self.top[s] + self.heights[s] + self.gap;
            }
        }
    }

    fn mean_centre(&self, nbrs: &[usize]) -> Option<f64> {
        (!nbrs.is_empty()).then(|| {
            nbrs.iter()
                .map(|&n| self.top[n] + self.heights[n] / 2.0)
                .sum::<f64>()
                / nbrs.len() as f64
        })
    }
}

/// Coordinates of the layers and slots.
struct Geometry {
    column_x: Vec<f64>,
    column_width: Vec<f64>,
    top: Vec<f64>,
    node_height: f64,
    width: f64,
    height: f64,
}

impl Geometry {
    fn rect(&self, grid: &Grid, s: usize) -> Rect {
        let l = grid.layer_of[s];
        Rect {
            x: self.column_x[l],
            y: self.top[s],
            width: self.column_width[l],
            height: self.node_height,
        }
    }

    fn right(&self, grid: &Grid, s: usize) -> f64 {
        self.rect(grid, s).right()
    }

    fn cy(&self, s: usize) -> f64 {
        self.top[s] + self.node_height / 2.0
    }
}

/// A Fenwick (binary indexed) tree counting positions seen so far.
struct Fenwick(Vec<usize>);

impl Fenwick {
    fn new(n: usize) -> Fenwick {
        Fenwick(vec![0; n + 1])
    }

    fn add(&mut self, i: usize) {
        let mut i = i + 1;
        while i < self.0.len() {
            self.0[i] += 1;
            i += i & i.wrapping_neg();
        }
    }

    /// How many added positions are `<= i`.
    fn count_upto(&self, i: usize) -> usize {
        let mut i = i + 1;
        let mut total = 0;
        while i > 0 {
            total += self.0[i];
            i -= i & i.wrapping_neg();
        }
        total
    }
}
