//! The bands of the axis and their columns. Each month with works is a band; a band holds its
//! works in columns, taken in date order (earlier generations first on the same day), each in
//! the leftmost column that has room (a column stacks a limited number of boxes) and stands
//! after the columns of what it builds on within the band. The stack limit is the least (of a
//! few) that lets the drawing fit its frame; when none does, neighbouring months of a year
//! whose works fill at most half a column merge into one band, those saving the most width
//! first, until it fits or no such merge is left: sparse stretches shrink, busy months keep a
//! band of their own. Only when merging into full columns would make the drawing fit does it go
//! that far.

use super::months::{earlier, Months};
use super::{Graph, TimeSpacing, TimedNode};

/// Fewest and most boxes stacked in one column.
const STACK: (usize, usize) = (3, 8);
/// Width of a gutter between two columns, as estimated before edges are routed.
const GUTTER: f64 = 30.0;
/// Width of an empty month between two bands.
pub(super) const EMPTY: f64 = 12.0;
/// Width of a collapsed stretch of empty months.
pub(super) const BREAK: f64 = 26.0;

/// A stretch of the axis and its works.
#[derive(Debug, Clone)]
pub(super) struct Band {
    /// First and last month covered; `None` for the band of undated works.
    pub(super) months: Option<(usize, usize)>,
    /// Works of each column, left to right, each column top to bottom in date order.
    pub(super) columns: Vec<Vec<usize>>,
}

/// The bands of `nodes`, left to right, the undated one first: as few columns high and as
/// narrow as [`STACK`] and merging allow within the width of `s`.
pub(super) fn fit(
    nodes: &[TimedNode],
    graph: &Graph,
    months: &Months,
    s: TimeSpacing,
) -> Vec<Band> {
    let groups = groups(graph, months);
    let mut filler = Filler {
        nodes,
        graph,
        months,
        stack: STACK.0,
        mark: vec![usize::MAX; nodes.len()],
        token: 0,
    };
    let avail = s.width - 2.0 * s.margin;
    let largest = groups.iter().map(|(_, g)| g.len()).max().unwrap_or(0);
    loop {
        let bands: Vec<Band> = (groups.iter())
            .map(|(m, members)| filler.band(*m, members))
            .collect();
        if filler.stack == STACK.1 || filler.total(&bands) <= avail {
            return filler.coarsen(bands, avail);
        }
        // Past the largest month, a higher stack changes no band.
        filler.stack = if filler.stack >= largest {
            STACK.1
        } else {
            filler.stack + 1
        };
    }
}

/// The months a band covers (`None`: undated) and its works, sorted.
type Group = (Option<(usize, usize)>, Vec<usize>);

/// The works of each month with works (the undated first), sorted.
fn groups(graph: &Graph, months: &Months) -> Vec<Group> {
    let mut order: Vec<usize> = (0..months.at.len()).collect();
    order.sort_by(|&a, &b| {
        (earlier(months.at[a], months.at[b]))
            .then(graph.generation[a].cmp(&graph.generation[b]))
            .then(a.cmp(&b))
    });
    let mut groups: Vec<Group> = Vec::new();
    for v in order {
        let m = months.at[v].map(|(s, _)| (s, s));
        match groups.last_mut() {
            Some((last, members)) if *last == m => members.push(v),
            _ => groups.push((m, vec![v])),
        }
    }
    groups
}

/// Fills bands with columns and measures them.
struct Filler<'a> {
    nodes: &'a [TimedNode],
    graph: &'a Graph,
    months: &'a Months,
    /// Most boxes in a column.
    stack: usize,
    /// The column token each node was last put in (`usize::MAX`: none yet).
    mark: Vec<usize>,
    /// The next free column token (tokens are never reused, so a node's mark tells whether it
    /// is in the band being filled, and in which of its columns).
    token: usize,
}

impl Filler<'_> {
    /// The band of `members` (sorted) covering `months`: each work in the leftmost column
    /// with room after the columns of what it builds on.
    fn band(&mut self, months: Option<(usize, usize)>, members: &[usize]) -> Band {
        let base = self.token;
        let mut columns: Vec<Vec<usize>> = Vec::new();
        let mut open = 0;
        for &v in members {
            let after = (self.graph.parents[v].iter())
                .filter(|&&p| self.mark[p] != usize::MAX && self.mark[p] >= base)
                .map(|&p| self.mark[p] - base + 1)
                .max()
                .unwrap_or(0);
            let mut c = after.max(open);
            while columns.get(c).is_some_and(|col| col.len() >= self.stack) {
                c += 1;
            }
            if c == columns.len() {
                columns.push(Vec::new());
            }
            columns[c].push(v);
            self.mark[v] = base + c;
            while columns.get(open).is_some_and(|col| col.len() >= self.stack) {
                open += 1;
            }
        }
        self.token = base + columns.len();
        Band { months, columns }
    }

    /// Estimated width of a band.
    fn width(&self, band: &Band) -> f64 {
        let columns = (band.columns.iter())
            .map(|c| (c.iter()).map(|&v| self.nodes[v].width).fold(0.0, f64::max));
        columns.sum::<f64>() + GUTTER * band.columns.len() as f64
    }

    /// Estimated width of the empty months between two bands.
    fn between(&self, a: &Band, b: &Band) -> f64 {
        let (Some((_, from)), Some((to, _))) = (a.months, b.months) else {
            return 0.0;
        };
        let mut width = 0.0;
        let mut s = from + 1;
        while s < to {
            match self.months.collapsed_from(s) {
                Some(end) => {
                    width += BREAK;
                    s = end;
                }
                None => {
                    width += EMPTY;
                    s += 1;
                }
            }
        }
        width
    }

    /// Estimated width of the drawing.
    fn total(&self, bands: &[Band]) -> f64 {
        let gaps: f64 = bands.windows(2).map(|p| self.between(&p[0], &p[1])).sum();
        bands.iter().map(|b| self.width(b)).sum::<f64>() + gaps
    }

    /// `a` and `b` as one band, if they are dated months of one year without a break between.
    fn merged(&mut self, a: &Band, b: &Band) -> Option<Band> {
        let ((first, last_a), (first_b, last)) = (a.months?, b.months?);
        let broken = (self.months.collapsed.iter()).any(|&(x, _)| last_a < x && x < first_b);
        if broken || self.months.year(first) != self.months.year(last) {
            return None;
        }
        let members: Vec<usize> = (a.columns.iter().chain(&b.columns))
            .flatten()
            .copied()
            .collect();
        Some(self.band(Some((first, last)), &members))
    }

    /// Width saved by merging `a` and `b`, and the merged band, if it is one column of at most
    /// `most` works.
    fn saving(&mut self, a: &Band, b: &Band, most: usize) -> Option<(f64, Band)> {
        let merged = self.merged(a, b)?;
        if merged.columns.len() > 1 || merged.columns[0].len() > most {
            return None;
        }
        let saved = self.width(a) + self.between(a, b) + self.width(b) - self.width(&merged);
        (saved > 0.5).then_some((saved, merged))
    }

    /// Merges sparse months (into a column at most half full) until the drawing fits `avail`;
    /// when it still does not fit but would with full columns, merges into full columns as far
    /// as needed. A drawing that cannot fit keeps its busier months apart.
    fn coarsen(&mut self, bands: Vec<Band>, avail: f64) -> Vec<Band> {
        let bands = self.merge(bands, avail, self.stack / 2);
        if self.total(&bands) <= avail {
            return bands;
        }
        let coarsest = self.merge(bands.clone(), 0.0, self.stack);
        if self.total(&coarsest) <= avail {
            self.merge(bands, avail, self.stack)
        } else {
            bands
        }
    }

    /// Merges neighbouring bands into columns of at most `most` works, the greatest saving
    /// first, until the drawing fits `avail`.
    fn merge(&mut self, mut bands: Vec<Band>, avail: f64, most: usize) -> Vec<Band> {
        let mut total = self.total(&bands);
        let mut savings: Vec<Option<(f64, Band)>> = (0..bands.len().saturating_sub(1))
            .map(|i| self.saving(&bands[i], &bands[i + 1], most))
            .collect();
        while total > avail {
            let best = (savings.iter().enumerate())
                .filter_map(|(i, s)| s.as_ref().map(|(w, _)| (i, *w)))
                .fold(None, |best: Option<(usize, f64)>, (i, w)| match best {
                    Some((_, bw)) if bw >= w => best,
                    _ => Some((i, w)),
                });
            let Some((i, _)) = best else {
                break;
            };
            let Some((saved, merged)) = savings.remove(i) else {
                break;
            };
            total -= saved;
            bands[i] = merged;
            bands.remove(i + 1);
            if i > 0 {
                savings[i - 1] = self.saving(&bands[i - 1], &bands[i], most);
            }
            if i + 1 < bands.len() {
                savings[i] = self.saving(&bands[i], &bands[i + 1], most);
            }
        }
        bands
    }
}

/// The columns of all bands, left to right.
pub(super) struct Grid {
    /// Each node's column.
    pub(super) column: Vec<usize>,
    /// Nodes of each column.
    pub(super) columns: Vec<Vec<usize>>,
}

impl Grid {
    pub(super) fn of(bands: &[Band], n: usize) -> Grid {
        let columns: Vec<Vec<usize>> = bands.iter().flat_map(|b| b.columns.clone()).collect();
        let mut column = vec![0; n];
        for (c, members) in columns.iter().enumerate() {
            for &v in members {
                column[v] = c;
            }
        }
        Grid { column, columns }
    }
}
