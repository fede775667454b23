//! Edge routes on the grid. An edge to the next box of its source's row, with no box between,
//! is a straight line. Any other edge leaves its source's right side, turns just after it up or
//! down (the source's spine: within the source's cell, or in the gutter after it for the widest
//! box of a column) to the channel beside the source's row on the target's side (the trunk,
//! shared by the source's edges that way), runs along the channel to the gutter before the
//! target's column, up or down the target's lane there (its drop) and into the target's left
//! side. Gutters and channels hold no box, so no edge passes under one; vertical runs that would
//! overlap get lanes of their own, and trunks that would overlap lanes of their own in their
//! channel.

use super::bands::Grid;
use super::rows::Rows;
use super::{Graph, Rect, TimeSpacing, TimedNode};

/// Distance between two lanes of a gutter or of a channel.
pub(super) const LANE: f64 = 5.0;
/// How far after a column its first spine lane runs.
pub(super) const SPINE: f64 = 7.0;
/// How far before a column its first drop lane runs (room for the arrowhead).
pub(super) const APPROACH: f64 = 10.0;

/// How an edge is drawn.
#[derive(Debug, Clone, Copy)]
enum Route {
    /// Not at all (it names no node).
    None,
    /// A straight line along its row.
    Straight,
    /// Through a trunk (its index).
    Bent(usize),
}

/// The edges of one source running in one channel.
#[derive(Debug, Clone, Copy)]
struct Trunk {
    source: usize,
    channel: usize,
}

/// Which edges bend, through which trunk, and the lanes of the gutters.
pub(super) struct Plan {
    route: Vec<Route>,
    trunks: Vec<Trunk>,
    /// Each node's column.
    column: Vec<usize>,
    /// Each node's box width.
    width: Vec<f64>,
    /// Per node with trunks: its lane among the spines of its column.
    pub(super) spine: Vec<Option<usize>>,
    /// Per node that edges drop into: its lane among the drops of the gutter before its column.
    drop: Vec<Option<usize>>,
    /// Per gutter (gutter `k` is before column `k`, the last one after the last column): the
    /// number of drop lanes.
    pub(super) drops: Vec<usize>,
}

/// Channel `c` runs above row `c` (the last one below the last row). Positions on a vertical
/// line are counted in half rows: `2c` is channel `c`, `2r + 1` the middle of row `r`.
fn half(channel: usize) -> usize {
    2 * channel
}

impl Plan {
    pub(super) fn of(nodes: &[TimedNode], graph: &Graph, grid: &Grid, rows: &Rows) -> Plan {
        let mut by_row: Vec<Vec<usize>> = vec![Vec::new(); rows.count];
        for (v, &r) in rows.of.iter().enumerate() {
            by_row[r].push(grid.column[v]);
        }
        by_row.iter_mut().for_each(|r| r.sort_unstable());
        let straight = |a: usize, b: usize| {
            let (r, ca, cb) = (rows.of[a], grid.column[a], grid.column[b]);
            let next = by_row[r].partition_point(|&c| c <= ca);
            r == rows.of[b] && ca < cb && by_row[r].get(next) == Some(&cb)
        };
        // The trunks of each source: in the channel above its row, and below it.
        let mut trunk_of: Vec<[Option<usize>; 2]> = vec![[None; 2]; rows.of.len()];
        let mut trunks = Vec::new();
        let route = (graph.edges.iter())
            .map(|e| match *e {
                None => Route::None,
                Some((a, b)) if straight(a, b) => Route::Straight,
                Some((a, b)) => {
                    let channel = channel(rows, a, b);
                    let slot = &mut trunk_of[a][channel - rows.of[a]];
                    let t = *slot.get_or_insert_with(|| {
                        trunks.push(Trunk { source: a, channel });
                        trunks.len() - 1
                    });
                    Route::Bent(t)
                }
            })
            .collect();
        let mut plan = Plan {
            route,
            trunks,
            column: grid.column.clone(),
            width: nodes.iter().map(|v| v.width).collect(),
            spine: vec![None; rows.of.len()],
            drop: vec![None; rows.of.len()],
            drops: vec![0; grid.columns.len() + 1],
        };
        plan.gutter_lanes(graph, rows);
        plan
    }

    /// Gives each spine a lane among the spines of its column and each drop a lane in its gutter.
    fn gutter_lanes(&mut self, graph: &Graph, rows: &Rows) {
        // The vertical span of each node's spine (`false`) and drop (`true`), in half rows.
        let n = rows.of.len();
        let mut spans: Vec<Option<(usize, usize)>> = vec![None; 2 * n];
        let mut widen = |key: usize, a: usize, b: usize| {
            let (lo, hi) = spans[key].unwrap_or((a.min(b), a.max(b)));
            spans[key] = Some((lo.min(a.min(b)), hi.max(a.max(b))));
        };
        for t in &self.trunks {
            widen(t.source, half(t.channel), 2 * rows.of[t.source] + 1);
        }
        for (e, route) in graph.edges.iter().zip(&self.route) {
            if let (Some((_, b)), Route::Bent(t)) = (e, route) {
                widen(n + b, half(self.trunks[*t].channel), 2 * rows.of[*b] + 1);
            }
        }
        let mut items: Vec<(usize, bool, usize, usize, usize)> = (spans.iter().enumerate())
            .filter_map(|(key, span)| {
                let (drop, v) = (key >= n, key % n);
                let (lo, hi) = (*span)?;
                Some((self.column[v] + usize::from(!drop), drop, lo, hi, v))
            })
            .collect();
        items.sort_unstable();
        let mut ends: Vec<usize> = Vec::new();
        let mut group = None;
        for (gutter, drop, lo, hi, v) in items {
            if group != Some((gutter, drop)) {
                ends.clear();
                group = Some((gutter, drop));
            }
            let lane = ends.iter().position(|&end| end < lo).unwrap_or(ends.len());
            if lane == ends.len() {
                ends.push(hi);
            }
            ends[lane] = hi;
            if drop {
                self.drop[v] = Some(lane);
                self.drops[gutter] = self.drops[gutter].max(lane + 1);
            } else {
                self.spine[v] = Some(lane);
            }
        }
    }

    /// How far right of its column's left edge the spine of `v` runs.
    pub(super) fn spine_offset(&self, v: usize) -> f64 {
        self.width[v] + SPINE + self.spine[v].unwrap_or(0) as f64 * LANE
    }

    /// Where the spine of `v` runs.
    fn spine_x(&self, v: usize, column_x: &[f64]) -> f64 {
        column_x[self.column[v]] + self.spine_offset(v)
    }

    /// Where the drop into `v` runs.
    fn drop_x(&self, v: usize, column_x: &[f64]) -> f64 {
        let lane = self.drop[v].unwrap_or(0) as f64;
        column_x[self.column[v]] - APPROACH - lane * LANE
    }

    /// The leftmost and rightmost point of each trunk.
    fn trunk_spans(&self, graph: &Graph, column_x: &[f64]) -> Vec<(f64, f64)> {
        let mut spans: Vec<(f64, f64)> = (self.trunks.iter())
            .map(|t| {
                let x = self.spine_x(t.source, column_x);
                (x, x)
            })
            .collect();
        for (e, route) in graph.edges.iter().zip(&self.route) {
            if let (Some((_, b)), Route::Bent(t)) = (e, route) {
                let x = self.drop_x(*b, column_x);
                spans[*t] = (spans[*t].0.min(x), spans[*t].1.max(x));
            }
        }
        spans
    }

    /// The route of each edge, as points from the source's right side to the target's left
    /// side (empty for an edge naming no node).
    pub(super) fn routes(
        &self,
        graph: &Graph,
        rects: &[Rect],
        column_x: &[f64],
        down: &Down,
    ) -> Vec<Vec<(f64, f64)>> {
        (graph.edges.iter().zip(&self.route))
            .map(|(e, route)| {
                let Some((a, b)) = *e else {
                    return Vec::new();
                };
                let (ra, rb) = (&rects[a], &rects[b]);
                let (start, end) = ((ra.right(), ra.cy()), (rb.x, rb.cy()));
                match *route {
                    Route::None => Vec::new(),
                    Route::Straight => vec![start, end],
                    Route::Bent(t) => {
                        let (sx, dx, y) = (
                            self.spine_x(a, column_x),
                            self.drop_x(b, column_x),
                            down.trunk_y[t],
                        );
                        vec![start, (sx, start.1), (sx, y), (dx, y), (dx, end.1), end]
                    }
                }
            })
            .collect()
    }
}

/// The channel the trunk of `a` towards `b` runs in: below `a`'s row when `b` is lower, above
/// it when `b` is higher, and for `b` in the same row below it (above it in the last row).
fn channel(rows: &Rows, a: usize, b: usize) -> usize {
    let (ra, rb) = (rows.of[a], rows.of[b]);
    match ra.cmp(&rb) {
        std::cmp::Ordering::Less => ra + 1,
        std::cmp::Ordering::Greater => ra,
        std::cmp::Ordering::Equal if ra + 1 == rows.count && ra > 0 => ra,
        std::cmp::Ordering::Equal => ra + 1,
    }
}

/// Where rows and channels stand down the drawing.
pub(super) struct Down {
    /// Top of each row.
    pub(super) row_top: Vec<f64>,
    /// Height of each row (its tallest box).
    pub(super) row_height: Vec<f64>,
    /// Height of each trunk.
    trunk_y: Vec<f64>,
    /// Bottom of the last channel.
    pub(super) bottom: f64,
}

impl Down {
    pub(super) fn of(
        nodes: &[TimedNode],
        graph: &Graph,
        rows: &Rows,
        plan: &Plan,
        column_x: &[f64],
        s: TimeSpacing,
    ) -> Down {
        let mut row_height = vec![0.0; rows.count];
        for (v, node) in nodes.iter().enumerate() {
            let r = rows.of[v];
            row_height[r] = f64::max(row_height[r], node.height);
        }
        let (lane, lanes) = channel_lanes(plan, &plan.trunk_spans(graph, column_x), rows.count + 1);
        let mut y = s.margin + s.axis;
        let (mut row_top, mut channel_top) = (Vec::new(), Vec::new());
        let height = |c: usize| match lanes[c] {
            0 if c == 0 || c == rows.count => 4.0,
            l => s.row_gap.max(LANE * (l + 1) as f64),
        };
        for (c, h) in row_height.iter().enumerate() {
            channel_top.push(y);
            row_top.push(y + height(c));
            y += height(c) + h;
        }
        channel_top.push(y);
        y += height(rows.count);
        let trunk_y = (plan.trunks.iter().zip(&lane))
            .map(|(t, &l)| {
                let c = t.channel;
                let first = channel_top[c] + (height(c) - LANE * (lanes[c] as f64 - 1.0)) / 2.0;
                first + l as f64 * LANE
            })
            .collect();
        Down {
            row_top,
            row_height,
            trunk_y,
            bottom: y,
        }
    }
}

/// A lane for each trunk in its channel (trunks whose spans overlap get different lanes), and
/// the number of lanes of each channel.
fn channel_lanes(plan: &Plan, spans: &[(f64, f64)], channels: usize) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..plan.trunks.len()).collect();
    order.sort_by(|&a, &b| {
        (plan.trunks[a].channel.cmp(&plan.trunks[b].channel))
            .then(spans[a].0.total_cmp(&spans[b].0))
            .then(a.cmp(&b))
    });
    let mut lane = vec![0; plan.trunks.len()];
    let mut lanes = vec![0; channels];
    let mut ends: Vec<f64> = Vec::new();
    let mut current = None;
    for t in order {
        let c = plan.trunks[t].channel;
        if current != Some(c) {
            ends.clear();
            current = Some(c);
        }
        let (lo, hi) = spans[t];
        let free = ends
            .iter()
            .position(|&end| end + LANE < lo)
            .unwrap_or(ends.len());
        if free == ends.len() {
            ends.push(hi);
        }
        ends[free] = hi;
        lane[t] = free;
        lanes[c] = lanes[c].max(free + 1);
    }
    (lane, lanes)
}
