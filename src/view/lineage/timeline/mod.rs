//! Time-axis layout of a lineage graph, as a grid. The axis is a sequence of bands, one per month
//! with works (or, when the drawing would be too wide, one per few sparse neighbouring months of
//! a year), each as wide as its works need: a band holds its works in sub-columns at most a few
//! boxes high, taken in date order, each in the leftmost sub-column with room that stands after
//! what it builds on. Empty months between bands are narrow, long empty stretches collapse into
//! a break, and when the drawing is narrower than its frame the axis widens towards a linear
//! scale of time. Undated works stand in a band of their own before the axis. Sub-columns and
//! rows make a grid: each box has a cell of its own, and rows are chosen so that related works
//! sit close. Edges never pass under a box: an edge out of a box turns just after it into the
//! channel beside its row (a trunk all its edges that way share, so a hub's fan is one line
//! until it splits), runs along the channel and drops, in the gutter before the target's
//! column, to the target's left side; each vertical run has a lane of its own and each trunk a
//! lane of its own in its channel ([`routes`]). Pure: sizes, dates and edges in, rectangles,
//! routes and the axis out. About linear in nodes and edges (sorting aside).

mod across;
mod bands;
mod months;
mod routes;
mod rows;
#[cfg(test)]
mod tests;

use super::layout::{layering, Layout, Rect};

/// When a node happened, as precisely as known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Moment {
    /// Year.
    pub(crate) year: i32,
    /// Month 1–12, if known.
    pub(crate) month: Option<u8>,
    /// Day 1–31, if known (only with a month).
    pub(crate) day: Option<u8>,
}

impl Moment {
    /// Months since year 0 of the month this moment is placed in (January for a bare year).
    fn month_index(self) -> i32 {
        self.year * 12 + i32::from(self.month.unwrap_or(1)) - 1
    }

    /// Fraction of its month before this moment (0 unless the day is known).
    fn in_month(self) -> f64 {
        match (self.month, self.day) {
            (Some(m), Some(d)) => f64::from(d.saturating_sub(1)) / days_in_month(self.year, m),
            _ => 0.0,
        }
    }
}

fn days_in_month(year: i32, month: u8) -> f64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29.0,
        2 => 28.0,
        4 | 6 | 9 | 11 => 30.0,
        _ => 31.0,
    }
}

/// A node to place: its box size and date.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TimedNode {
    /// Box width.
    pub(crate) width: f64,
    /// Box height.
    pub(crate) height: f64,
    /// Date, `None` when undated.
    pub(crate) when: Option<Moment>,
}

/// Sizes of the time-axis layout, in pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TimeSpacing {
    /// Width the drawing should fill (it grows beyond when its works need the room).
    pub(crate) width: f64,
    /// Empty border around the drawing.
    pub(crate) margin: f64,
    /// Height of the axis band (year and month labels).
    pub(crate) axis: f64,
    /// Least height of a channel between two rows (edges run in channels).
    pub(crate) row_gap: f64,
    /// Least width of a gutter between two columns (edges cross rows in gutters).
    pub(crate) box_gap: f64,
    /// Width of the heading of the undated works (their band is at least as wide).
    pub(crate) heading: f64,
}

impl Default for TimeSpacing {
    fn default() -> Self {
        TimeSpacing {
            width: 1116.0,
            margin: 8.0,
            axis: 36.0,
            row_gap: 16.0,
            box_gap: 22.0,
            heading: 0.0,
        }
    }
}

/// The edges that can be drawn, with each node's neighbours and generation.
struct Graph {
    /// Each edge as given, `None` when it names a node out of range or joins a node to itself.
    edges: Vec<Option<(usize, usize)>>,
    /// What each node builds on.
    parents: Vec<Vec<usize>>,
    /// Each node's neighbours, both ways.
    neighbours: Vec<Vec<usize>>,
    /// Longest path from a source to each node (cycles broken).
    generation: Vec<usize>,
}

impl Graph {
    fn of(n: usize, edges: &[(usize, usize)]) -> Graph {
        let edges: Vec<Option<(usize, usize)>> = (edges.iter())
            .map(|&(a, b)| (a < n && b < n && a != b).then_some((a, b)))
            .collect();
        let (mut parents, mut neighbours) = (vec![Vec::new(); n], vec![Vec::new(); n]);
        for &(a, b) in edges.iter().flatten() {
            parents[b].push(a);
            neighbours[a].push(b);
            neighbours[b].push(a);
        }
        let ends: Vec<(usize, usize)> = edges.iter().map(|e| e.unwrap_or((0, 0))).collect();
        let usable: Vec<bool> = edges.iter().map(Option::is_some).collect();
        let (generation, _) = layering(n, &ends, &usable);
        Graph {
            edges,
            parents,
            neighbours,
            generation,
        }
    }
}

/// Lays out `nodes` joined by `edges` (source, target) on a time axis. Edges naming a node out
/// of range are ignored (their route is empty).
pub(crate) fn timeline(nodes: &[TimedNode], edges: &[(usize, usize)], s: TimeSpacing) -> Layout {
    let graph = Graph::of(nodes.len(), edges);
    let months = months::Months::of(nodes, &graph);
    let bands = bands::fit(nodes, &graph, &months, s);
    let grid = bands::Grid::of(&bands, nodes.len());
    let rows = rows::assign(&grid.columns, &graph);
    let plan = routes::Plan::of(nodes, &graph, &grid, &rows);
    let across = across::place(nodes, &bands, &grid, &plan, &months, s);
    let down = routes::Down::of(nodes, &graph, &rows, &plan, &across.column_x, s);
    let rects: Vec<Rect> = (nodes.iter().enumerate())
        .map(|(v, node)| Rect {
            x: across.column_x[grid.column[v]],
            y: down.row_top[rows.of[v]] + (down.row_height[rows.of[v]] - node.height) / 2.0,
            width: node.width,
            height: node.height,
        })
        .collect();
    let routes = plan.routes(&graph, &rects, &across.column_x, &down);
    let right = (routes.iter().flatten()).fold(across.axis.end, |r, p| r.max(p.0));
    Layout {
        layers: rows.of,
        nodes: rects,
        routes,
        width: (right + s.margin).ceil(),
        height: (down.bottom + s.margin).ceil(),
        crossings: 0,
        axis: Some(across.axis),
        orthogonal: true,
        backward: (graph.edges.iter())
            .map(|e| e.is_some_and(|(a, b)| months.before(b, a)))
            .collect(),
        approximate: nodes
            .iter()
            .map(|v| v.when.is_some_and(|m| m.month.is_none()))
            .collect(),
    }
}
