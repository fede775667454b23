//! Time-axis layout of a lineage graph: each dated node's box starts at its date on a month
//! axis (months without works are narrow, long empty stretches collapse into a break), undated
//! nodes stand in a column of their own before the axis, and boxes are packed into as few rows
//! as their overlap in time allows, each near its neighbours' rows. Edges are orthogonal and run
//! in the channels between rows: out of the source's right side into the channel beside its row
//! (a trunk that every edge of the source shares, so a hub's fan is one line until it splits
//! near each target), across the rows between where no box is in the way, and into the
//! target's left side. Pure: sizes, dates and edges in, rectangles, routes and the axis out.
//! Linear in nodes and edges times the number of rows.

use super::layout::{layering, Axis, Layout, Rect, Tick};

/// When a node happened, as precisely as known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    /// Width the drawing should fill.
    pub(crate) width: f64,
    /// Empty border around the drawing.
    pub(crate) margin: f64,
    /// Height of the axis band (year and month labels).
    pub(crate) axis: f64,
    /// Vertical gap between rows (the channel edges run in).
    pub(crate) row_gap: f64,
    /// Least horizontal gap between two boxes of a row.
    pub(crate) box_gap: f64,
}

impl Default for TimeSpacing {
    fn default() -> Self {
        TimeSpacing {
            width: 1116.0,
            margin: 8.0,
            axis: 36.0,
            row_gap: 16.0,
            box_gap: 14.0,
        }
    }
}

/// Weight (in months) of a month without works.
const EMPTY_MONTH: f64 = 0.3;
/// Empty stretches longer than this many months collapse into a break.
const LONGEST_EMPTY_RUN: usize = 3;
/// Weight of a collapsed stretch.
const BREAK: f64 = 1.0;
/// Least and most pixels per month of weight.
const UNIT: (f64, f64) = (6.0, 120.0);
/// How far before a target its edges turn into it.
const APPROACH: f64 = 9.0;
/// How far after a source its edges turn into the channel.
const SPINE: f64 = 7.0;
/// How far before a target its edge may cross the rows between to avoid passing under a box.
const CROSSING_WINDOW: f64 = 60.0;
/// Rows an edge's crossing place is checked against (beyond, it may pass under a box).
const MOST_ROWS_CROSSED: usize = 200;
/// Row-assignment passes.
const PASSES: usize = 4;

/// Months of the axis with their weights, from the earliest dated node to the latest.
struct Scale {
    first: i32,
    /// Weight of each month (0 inside a collapsed stretch, after its first month).
    weight: Vec<f64>,
    /// Weight before each month.
    before: Vec<f64>,
    /// Months `[start, end)` of each collapsed stretch.
    collapsed: Vec<(usize, usize)>,
}

impl Scale {
    fn of(moments: &[Moment]) -> Option<Scale> {
        let first = moments.iter().map(|m| m.month_index()).min()?;
        let last = moments.iter().map(|m| m.month_index()).max()?;
        let len = usize::try_from(last - first + 1).unwrap_or(1);
        let mut used = vec![false; len];
        for m in moments {
            used[usize::try_from(m.month_index() - first).unwrap_or(0)] = true;
        }
        let mut weight: Vec<f64> = used
            .iter()
            .map(|&u| if u { 1.0 } else { EMPTY_MONTH })
            .collect();
        let mut collapsed = Vec::new();
        let mut i = 0;
        while i < len {
            let run = used[i..].iter().take_while(|&&u| !u).count();
            if run > LONGEST_EMPTY_RUN {
                weight[i] = BREAK;
                weight[i + 1..i + run].iter_mut().for_each(|w| *w = 0.0);
                collapsed.push((i, i + run));
            }
            i += run.max(1);
        }
        let before = weight
            .iter()
            .scan(0.0, |sum, w| {
                let b = *sum;
                *sum += w;
                Some(b)
            })
            .collect();
        Some(Scale {
            first,
            weight,
            before,
            collapsed,
        })
    }

    fn index(&self, m: Moment) -> usize {
        usize::try_from(m.month_index() - self.first)
            .unwrap_or(0)
            .min(self.weight.len() - 1)
    }

    /// Position of `m` in months of weight.
    fn pos(&self, m: Moment) -> f64 {
        let i = self.index(m);
        self.before[i] + m.in_month() * self.weight[i]
    }

    /// Latest position a node dated `m` may take: the end of its month, or of its year when
    /// only the year is known.
    fn latest(&self, m: Moment) -> f64 {
        let last = match m.month {
            Some(_) => self.index(m),
            None => self.index(Moment {
                month: Some(12),
                ..m
            }),
        };
        self.before[last] + self.weight[last] * 0.95
    }

    fn total(&self) -> f64 {
        self.before.last().copied().unwrap_or(0.0) + self.weight.last().copied().unwrap_or(0.0)
    }

    fn is_collapsed(&self, i: usize) -> bool {
        self.collapsed.iter().any(|&(a, b)| a < i && i < b)
    }
}

/// Lays out `nodes` joined by `edges` (source, target) on a time axis. Edges naming a node out
/// of range are ignored (their route is empty).
pub(crate) fn timeline(nodes: &[TimedNode], edges: &[(usize, usize)], s: TimeSpacing) -> Layout {
    let n = nodes.len();
    let valid: Vec<bool> = edges
        .iter()
        .map(|&(a, b)| a < n && b < n && a != b)
        .collect();
    let across = Across::of(nodes, edges, &valid, s);
    let order = reading_order(edges, &valid, &across.x);
    let rows = Rows::assign(nodes, edges, &valid, &order, &across.x, s.box_gap);
    let top = s.margin + s.axis;
    let row_top = rows.tops(top, s.row_gap);
    let rects = boxes(nodes, &rows, &row_top, &across.x);
    let router = Router {
        rects: &rects,
        rows: &rows,
        row_top: &row_top,
        gap: s.row_gap,
    };
    let routes = router.routes(edges, &valid);
    let right = rects.iter().map(Rect::right).fold(across.start, f64::max);
    let bottom =
        (rows.height.len().checked_sub(1)).map_or(top, |last| row_top[last] + rows.height[last]);
    // The channel below the last row, when an edge runs in it.
    let bottom = (routes.iter().flatten()).fold(bottom, |b, p| b.max(p.1 + 1.0));
    let axis = across.axis(top, s);
    let backward = edges
        .iter()
        .zip(&valid)
        .map(|(&(a, b), &ok)| {
            ok && matches!((across.pos[a], across.pos[b]), (Some(pa), Some(pb)) if pb < pa)
        })
        .collect();
    Layout {
        layers: rows.of.clone(),
        nodes: rects,
        routes,
        width: (right.max(axis.end) + s.margin).ceil(),
        height: (bottom + s.margin).ceil(),
        crossings: 0,
        axis: Some(axis),
        orthogonal: true,
        backward,
        approximate: nodes
            .iter()
            .map(|v| v.when.is_some_and(|m| m.month.is_none()))
            .collect(),
    }
}

/// Where the nodes sit along the time axis.
struct Across {
    /// The months of the dated nodes, if any is dated.
    scale: Option<Scale>,
    /// Where the time axis starts (after the column of undated nodes, if any).
    start: f64,
    /// Width of one month of weight.
    unit: f64,
    /// Each node's position in months of weight (none when undated).
    pos: Vec<Option<f64>>,
    /// Each node's left edge.
    x: Vec<f64>,
    /// True when some node is undated (they stand in a column before the axis).
    undated: bool,
}

impl Across {
    fn of(nodes: &[TimedNode], edges: &[(usize, usize)], valid: &[bool], s: TimeSpacing) -> Self {
        let moments: Vec<Moment> = nodes.iter().filter_map(|v| v.when).collect();
        let scale = Scale::of(&moments);
        let undated_width = (nodes.iter())
            .filter(|v| v.when.is_none())
            .map(|v| v.width)
            .fold(0.0, f64::max);
        let start = s.margin
            + if undated_width > 0.0 {
                undated_width + 2.0 * s.box_gap
            } else {
                0.0
            };
        let pos = positions(nodes, edges, valid, scale.as_ref());
        let unit = unit(nodes, &pos, s.width - s.margin - start);
        let x = (pos.iter())
            .map(|p| p.map_or(s.margin, |p| start + unit * p))
            .collect();
        Across {
            scale,
            start,
            unit,
            pos,
            x,
            undated: undated_width > 0.0,
        }
    }

    /// The time axis above rows starting at `top`.
    fn axis(&self, top: f64, s: TimeSpacing) -> Axis {
        match &self.scale {
            Some(scale) => axis(scale, self.start, self.unit, self.undated, s),
            None => Axis {
                undated: self.undated.then_some(s.margin),
                start: self.start,
                end: self.start,
                baseline: top - 6.0,
                ..Axis::default()
            },
        }
    }
}

/// The nodes in the order rows are filled: by position along the axis, then by generation
/// (a node after what it builds on), then as given.
fn reading_order(edges: &[(usize, usize)], valid: &[bool], x: &[f64]) -> Vec<usize> {
    let n = x.len();
    let ends: Vec<(usize, usize)> = (edges.iter().zip(valid))
        .map(|(&e, &ok)| if ok { e } else { (0, 0) })
        .collect();
    let (generation, _) = layering(n, &ends, valid);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        (x[a].total_cmp(&x[b]))
            .then(generation[a].cmp(&generation[b]))
            .then(a.cmp(&b))
    });
    order
}

/// Each node's box: at its position along the axis, centred in the height of its row.
fn boxes(nodes: &[TimedNode], rows: &Rows, row_top: &[f64], x: &[f64]) -> Vec<Rect> {
    (nodes.iter().enumerate())
        .map(|(v, node)| {
            let r = rows.of[v];
            Rect {
                x: x[v],
                y: row_top[r] + (rows.height[r] - node.height) / 2.0,
                width: node.width,
                height: node.height,
            }
        })
        .collect()
}

/// Axis positions (in months of weight) of the dated nodes: at their date, except that a node
/// known only to the month or year moves, within that month or year, to just after its latest
/// earlier neighbour, so that edges go forward in time wherever the dates allow it.
fn positions(
    nodes: &[TimedNode],
    edges: &[(usize, usize)],
    valid: &[bool],
    scale: Option<&Scale>,
) -> Vec<Option<f64>> {
    let Some(scale) = scale else {
        return vec![None; nodes.len()];
    };
    let mut pos: Vec<Option<f64>> = nodes.iter().map(|v| v.when.map(|m| scale.pos(m))).collect();
    let mut order: Vec<usize> = (0..nodes.len()).filter(|&v| pos[v].is_some()).collect();
    order.sort_by(|&a, &b| pos[a].unwrap_or(0.0).total_cmp(&pos[b].unwrap_or(0.0)));
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (&(a, b), _) in edges.iter().zip(valid).filter(|(_, &ok)| ok) {
        parents[b].push(a);
    }
    for v in order {
        let Some(m) = nodes[v].when.filter(|m| m.day.is_none()) else {
            continue;
        };
        let after = parents[v]
            .iter()
            .filter_map(|&p| pos[p])
            .fold(0.0, f64::max);
        let own = scale.pos(m);
        pos[v] = Some(own.max(after.min(scale.latest(m))));
    }
    pos
}

/// Pixels per month of weight so that the rightmost box ends at `avail`, within [`UNIT`].
fn unit(nodes: &[TimedNode], pos: &[Option<f64>], avail: f64) -> f64 {
    (0..nodes.len())
        .filter_map(|v| {
            pos[v]
                .filter(|&p| p > 0.0)
                .map(|p| (avail - nodes[v].width) / p)
        })
        .fold(UNIT.1, f64::min)
        .max(UNIT.0)
}

/// The axis of `scale`: a tick per month outside collapsed stretches, a break per stretch.
fn axis(scale: &Scale, start: f64, unit: f64, undated: bool, s: TimeSpacing) -> Axis {
    let mut ticks = Vec::new();
    let mut opens = true;
    for i in 0..scale.weight.len() {
        if scale.is_collapsed(i) {
            continue;
        }
        if scale.collapsed.iter().any(|&(a, _)| a == i) {
            opens = true;
            continue;
        }
        let index = scale.first + i32::try_from(i).unwrap_or_default();
        ticks.push(Tick {
            x: start + unit * scale.before[i],
            year: index.div_euclid(12),
            month: u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1),
            opens,
        });
        opens = false;
    }
    let breaks = (scale.collapsed.iter())
        .map(|&(a, _)| start + unit * (scale.before[a] + scale.weight[a] / 2.0))
        .collect();
    Axis {
        ticks,
        breaks,
        undated: undated.then_some(s.margin),
        start,
        end: start + unit * scale.total(),
        baseline: s.margin + s.axis - 6.0,
    }
}

/// The row of each node, and each row's height.
struct Rows {
    of: Vec<usize>,
    height: Vec<f64>,
    /// Nodes of each row, left to right.
    members: Vec<Vec<usize>>,
}

impl Rows {
    /// Packs boxes into rows in `order` (of their left edge, earlier generations first): a box goes to the free row nearest
    /// to the mean row of its neighbours, and a new row opens only when no row is free, so
    /// the number of rows is the most boxes that overlap in time. A few passes refine the
    /// wished-for rows; the pass with the shortest vertical edge spans wins.
    fn assign(
        nodes: &[TimedNode],
        edges: &[(usize, usize)],
        valid: &[bool],
        order: &[usize],
        x: &[f64],
        gap: f64,
    ) -> Rows {
        let n = nodes.len();
        let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (&(a, b), _) in edges.iter().zip(valid).filter(|(_, &ok)| ok) {
            neighbours[a].push(b);
            neighbours[b].push(a);
        }
        let span = |of: &[usize]| -> usize {
            (edges.iter().zip(valid).filter(|(_, &ok)| ok))
                .map(|(&(a, b), _)| of[a].abs_diff(of[b]))
                .sum()
        };
        let mut best: Option<(usize, Vec<usize>)> = None;
        let mut previous: Option<Vec<usize>> = None;
        for _ in 0..PASSES {
            let of = pack(order, nodes, x, gap, |v, placed: &[Option<usize>]| {
                let rows: Vec<usize> = match &previous {
                    None => neighbours[v].iter().filter_map(|&u| placed[u]).collect(),
                    Some(prev) => neighbours[v].iter().map(|&u| prev[u]).collect(),
                };
                if rows.is_empty() {
                    return previous.as_ref().map(|p| p[v] as f64);
                }
                Some(rows.iter().sum::<usize>() as f64 / rows.len() as f64)
            });
            let score = span(&of);
            if best.as_ref().is_none_or(|(b, _)| score < *b) {
                best = Some((score, of.clone()));
            }
            previous = Some(of);
        }
        let of = best.map(|(_, of)| of).unwrap_or_default();
        let count = of.iter().max().map_or(0, |m| m + 1);
        let mut height = vec![0.0; count];
        let mut members = vec![Vec::new(); count];
        for &v in order {
            height[of[v]] = f64::max(height[of[v]], nodes[v].height);
            members[of[v]].push(v);
        }
        Rows {
            of,
            height,
            members,
        }
    }

    /// Top of each row.
    fn tops(&self, top: f64, gap: f64) -> Vec<f64> {
        self.height
            .iter()
            .scan(top, |y, h| {
                let t = *y;
                *y += h + gap;
                Some(t)
            })
            .collect()
    }
}

/// One packing pass: `wish(v, placed)` is the row node `v` would like (`None`: the first free).
/// The free row nearest the wish is found by looking outwards from it.
fn pack(
    order: &[usize],
    nodes: &[TimedNode],
    x: &[f64],
    gap: f64,
    wish: impl Fn(usize, &[Option<usize>]) -> Option<f64>,
) -> Vec<usize> {
    let mut placed: Vec<Option<usize>> = vec![None; nodes.len()];
    let mut free_from: Vec<f64> = Vec::new();
    for &v in order {
        let free = |r: usize| free_from[r] <= x[v] + 1e-6;
        let want = wish(v, &placed).unwrap_or(0.0).max(0.0);
        let rows = free_from.len();
        let centre = (0..rows)
            .take_while(|&r| r as f64 + 0.5 <= want)
            .count()
            .min(rows.saturating_sub(1));
        let nearest = (0..rows)
            .flat_map(|d| {
                let below = centre + d;
                let above = centre.checked_sub(d);
                // Of two rows equally far from the wish, the one on the side the wish leans to.
                if want < centre as f64 {
                    [above, Some(below)]
                } else {
                    [Some(below), above]
                }
            })
            .flatten()
            .find(|&r| r < rows && free(r));
        let row = nearest.unwrap_or_else(|| {
            free_from.push(f64::NEG_INFINITY);
            rows
        });
        free_from[row] = x[v] + nodes[v].width + gap;
        placed[v] = Some(row);
    }
    placed.into_iter().map(Option::unwrap_or_default).collect()
}

/// Routes edges through the channels between rows.
struct Router<'a> {
    rects: &'a [Rect],
    rows: &'a Rows,
    row_top: &'a [f64],
    gap: f64,
}

impl Router<'_> {
    fn routes(&self, edges: &[(usize, usize)], valid: &[bool]) -> Vec<Vec<(f64, f64)>> {
        edges
            .iter()
            .zip(valid)
            .map(|(&(a, b), &ok)| if ok { self.route(a, b) } else { Vec::new() })
            .collect()
    }

    /// The route of `a → b`: straight when `b` follows `a` in its row with nothing between;
    /// else a step right of `a` into the channel beside `a`'s row (the trunk every edge of
    /// `a` shares), along it to a gap where it can cross the rows between without passing
    /// under a box, across to the channel beside `b`'s row, along it to just before `b`, and
    /// into `b`.
    fn route(&self, a: usize, b: usize) -> Vec<(f64, f64)> {
        let (ra, rb) = (&self.rects[a], &self.rects[b]);
        let start = (ra.right(), ra.cy());
        let end = (rb.x, rb.cy());
        if self.straight(a, b) {
            return vec![start, end];
        }
        let (row_a, row_b) = (self.rows.of[a], self.rows.of[b]);
        let down = row_a <= row_b;
        let lane = (a % 3) as f64 - 1.0;
        let trunk = self.channel(row_a, down) + lane * (self.gap / 5.0);
        let branch = if row_a == row_b {
            trunk
        } else {
            self.channel(row_b, !down) + lane * (self.gap / 5.0)
        };
        let spine = ra.right() + SPINE;
        let approach = rb.x - APPROACH;
        let rows = if down {
            (row_a + 1, row_b)
        } else {
            (row_b + 1, row_a)
        };
        let cross = self.crossing(approach, spine.max(approach - CROSSING_WINDOW), rows);
        vec![
            start,
            (spine, start.1),
            (spine, trunk),
            (cross, trunk),
            (cross, branch),
            (approach, branch),
            (approach, end.1),
            end,
        ]
    }

    /// Whether `b` is the next box after `a` in the same row.
    fn straight(&self, a: usize, b: usize) -> bool {
        let row = &self.rows.members[self.rows.of[a]];
        self.rows.of[a] == self.rows.of[b]
            && row.iter().position(|&v| v == a).map(|i| i + 1) == row.iter().position(|&v| v == b)
    }

    /// The middle of the channel below (`below`) or above row `r`.
    fn channel(&self, r: usize, below: bool) -> f64 {
        if below {
            self.row_top[r] + self.rows.height[r] + self.gap / 2.0
        } else {
            self.row_top[r] - self.gap / 2.0
        }
    }

    /// Where an edge crosses rows `lo..hi` (exclusive): at `x`, or moved left (not past
    /// `floor`) until the vertical line there passes under no box of those rows; `x` itself
    /// when there is no such place.
    fn crossing(&self, x: f64, floor: f64, (lo, hi): (usize, usize)) -> f64 {
        let mut at = x;
        for _ in 0..16 {
            match self.blocker(at, lo, hi) {
                None => return at,
                Some(left) if left - SPINE >= floor => at = left - SPINE,
                Some(_) => break,
            }
        }
        x
    }

    /// The left edge of a box in rows `lo..hi` that a vertical line at `x` would pass under
    /// (rows hold their boxes left to right, so each row is searched by bisection).
    fn blocker(&self, x: f64, lo: usize, hi: usize) -> Option<f64> {
        (lo..hi.min(lo + MOST_ROWS_CROSSED))
            .filter_map(|r| {
                let row = &self.rows.members[r];
                let after = row.partition_point(|&v| self.rects[v].x - 3.0 <= x);
                let v = *row.get(after.checked_sub(1)?)?;
                (x <= self.rects[v].right() + 3.0).then_some(self.rects[v].x)
            })
            .reduce(f64::min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(year: i32, month: Option<u8>, day: Option<u8>) -> Option<Moment> {
        Some(Moment { year, month, day })
    }

    fn node(width: f64, when: Option<Moment>) -> TimedNode {
        TimedNode {
            width,
            height: 28.0,
            when,
        }
    }

    fn overlap(a: &Rect, b: &Rect) -> bool {
        a.x < b.right() && b.x < a.right() && a.y < b.y + b.height && b.y < a.y + a.height
    }

    #[test]
    fn dated_boxes_start_in_date_order_and_fill_the_width() {
        let nodes = [
            node(60.0, at(2020, Some(10), Some(22))),
            node(80.0, at(2023, Some(4), Some(5))),
            node(70.0, at(2023, Some(4), None)),
            node(90.0, at(2024, Some(3), Some(19))),
            node(50.0, at(2015, Some(5), None)),
            node(60.0, at(2023, None, None)),
        ];
        let edges = [(0, 1), (1, 2), (2, 3), (4, 3), (0, 5)];
        let spacing = TimeSpacing {
            width: 700.0,
            ..TimeSpacing::default()
        };
        let l = timeline(&nodes, &edges, spacing);
        let x: Vec<f64> = l.nodes.iter().map(|r| r.x).collect();
        assert!(x[4] < x[0] && x[0] < x[5] && x[5] < x[1] && x[1] <= x[2] && x[2] < x[3]);
        // The month-only work built on a work of the same month is not drawn before it.
        assert!((x[2] - x[1]).abs() < 1e-9, "{x:?}");
        assert_eq!(l.approximate, vec![false, false, false, false, false, true]);
        assert!(l.backward.iter().all(|b| !b));
        let right = l.nodes.iter().map(Rect::right).fold(0.0, f64::max);
        assert!(
            (right + 8.0 - 700.0).abs() < 1.0,
            "fills the width: {right}"
        );
        let axis = l.axis.unwrap();
        // 2015-06 to 2020-09, 2020-11 to 2022-12 and 2023-05 to 2024-02 are empty.
        assert_eq!(axis.breaks.len(), 3);
        assert!(axis.ticks.windows(2).all(|t| t[0].x < t[1].x));
        assert_eq!(axis.ticks.iter().filter(|t| t.opens).count(), 4);
    }

    #[test]
    fn rows_are_as_few_as_the_overlap_in_time_and_boxes_never_overlap() {
        // Twelve works a week apart: each 100px box overlaps the next ones in time.
        let nodes: Vec<TimedNode> = (0..12)
            .map(|i| node(100.0, at(2024, Some(1 + i / 4), Some(1 + 7 * (i % 4)))))
            .collect();
        let edges: Vec<(usize, usize)> = (1..12).map(|i| (0, i)).collect();
        let l = timeline(&nodes, &edges, TimeSpacing::default());
        for (i, a) in l.nodes.iter().enumerate() {
            for b in &l.nodes[i + 1..] {
                assert!(!overlap(a, b), "{a:?} overlaps {b:?}");
            }
        }
        let rows = l.layers.iter().max().unwrap() + 1;
        let deepest = (0..12)
            .map(|i| {
                let x = l.nodes[i].x;
                (l.nodes.iter())
                    .filter(|r| r.x <= x && x < r.right() + TimeSpacing::default().box_gap)
                    .count()
            })
            .max()
            .unwrap();
        assert_eq!(rows, deepest, "no more rows than boxes overlapping in time");
        let tallest = rows as f64 * (28.0 + 16.0) + 36.0 + 16.0;
        assert!(l.height <= tallest, "{} > {tallest}", l.height);
    }

    #[test]
    fn edges_leave_the_right_side_and_enter_the_left_side_and_share_a_trunk() {
        let nodes = [
            node(60.0, at(2020, Some(1), None)),
            node(60.0, at(2021, Some(1), None)),
            node(60.0, at(2021, Some(1), None)),
            node(60.0, at(2021, Some(2), None)),
        ];
        let edges = [(0, 1), (0, 2), (0, 3)];
        let l = timeline(&nodes, &edges, TimeSpacing::default());
        let mut spines = Vec::new();
        for (route, &(a, b)) in l.routes.iter().zip(&edges) {
            let (ra, rb) = (l.nodes[a], l.nodes[b]);
            assert_eq!(route[0], (ra.right(), ra.cy()));
            assert_eq!(*route.last().unwrap(), (rb.x, rb.cy()));
            for pair in route.windows(2) {
                assert!(
                    (pair[0].0 - pair[1].0).abs() < 1e-9 || (pair[0].1 - pair[1].1).abs() < 1e-9,
                    "orthogonal"
                );
            }
            if route.len() > 2 {
                spines.push((route[1], route[2]));
            }
        }
        assert!(!spines.is_empty());
        let inside = |p: &(f64, f64)| p.0 >= 0.0 && p.0 <= l.width && p.1 >= 0.0 && p.1 <= l.height;
        assert!(
            l.routes.iter().flatten().all(inside),
            "routes stay in the drawing"
        );
        assert!(
            spines.windows(2).all(|s| s[0] == s[1]),
            "one trunk: {spines:?}"
        );
    }

    #[test]
    fn undated_nodes_stand_before_the_axis_and_time_against_edges_are_marked() {
        let nodes = [
            node(60.0, None),
            node(60.0, at(2024, Some(5), Some(2))),
            node(60.0, at(2023, Some(1), Some(2))),
        ];
        let l = timeline(&nodes, &[(0, 1), (1, 2), (7, 0)], TimeSpacing::default());
        let axis = l.axis.unwrap();
        assert_eq!(axis.undated, Some(8.0));
        assert!(l.nodes[0].right() < axis.start && axis.start <= l.nodes[2].x);
        assert_eq!(l.backward, vec![false, true, false]);
        assert!(l.routes[2].is_empty());
        let empty = timeline(&[], &[], TimeSpacing::default());
        assert!(empty.nodes.is_empty() && empty.axis.unwrap().ticks.is_empty());
    }

    #[test]
    fn a_large_timeline_is_deterministic() {
        let mut seed: u64 = 7;
        let mut next = |m: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) % m
        };
        let nodes: Vec<TimedNode> = (0..2000)
            .map(|_| {
                let month = u8::try_from(1 + next(12)).unwrap();
                let day = u8::try_from(1 + next(28)).unwrap();
                node(
                    60.0 + next(80) as f64,
                    at(
                        2000 + i32::try_from(next(25)).unwrap(),
                        Some(month),
                        Some(day),
                    ),
                )
            })
            .collect();
        let edges: Vec<(usize, usize)> = (1..2000)
            .map(|v| (usize::try_from(next(v as u64)).unwrap(), v))
            .collect();
        let a = timeline(&nodes, &edges, TimeSpacing::default());
        let b = timeline(&nodes, &edges, TimeSpacing::default());
        assert_eq!(a.nodes, b.nodes);
        assert_eq!(a.routes, b.routes);
    }
}
