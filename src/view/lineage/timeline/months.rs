//! The months of a time axis and where each dated node stands on it: in the month of its date,
//! except that a node known only to the month or the year moves, within that month or year, to
//! just after its latest earlier neighbour, so that edges go forward in time wherever the dates
//! allow it.

use std::cmp::Ordering;

use super::{Graph, Moment, TimedNode};

/// Empty stretches longer than this many months collapse into a break.
const LONGEST_EMPTY_RUN: usize = 3;

/// The months from the earliest dated node to the latest, and each node's place among them.
pub(super) struct Months {
    /// Months since year 0 of the first month.
    first: i32,
    /// Per month: some node stands in it.
    pub(super) used: Vec<bool>,
    /// Each node's month (index from the first) and place within it (0 at its start, 1 at its
    /// end); `None` when undated.
    pub(super) at: Vec<Option<(usize, f64)>>,
    /// Months `[start, end)` of each collapsed stretch, left to right.
    pub(super) collapsed: Vec<(usize, usize)>,
}

impl Months {
    pub(super) fn of(nodes: &[TimedNode], graph: &Graph) -> Months {
        let dated = || nodes.iter().filter_map(|v| v.when.map(Moment::month_index));
        let (Some(first), Some(last)) = (dated().min(), dated().max()) else {
            return Months {
                first: 0,
                used: Vec::new(),
                at: vec![None; nodes.len()],
                collapsed: Vec::new(),
            };
        };
        let len = usize::try_from(last - first + 1).unwrap_or(1);
        let slot = |m: Moment| usize::try_from(m.month_index() - first).unwrap_or(0);
        let mut at: Vec<Option<(usize, f64)>> = (nodes.iter())
            .map(|v| v.when.map(|m| (slot(m), m.in_month())))
            .collect();
        let mut order: Vec<usize> = (0..nodes.len()).filter(|&v| at[v].is_some()).collect();
        order.sort_by(|&a, &b| earlier(at[a], at[b]).then(a.cmp(&b)));
        for v in order {
            let Some(m) = nodes[v].when.filter(|m| m.day.is_none()) else {
                continue;
            };
            let latest = match m.month {
                Some(_) => slot(m),
                None => slot(Moment {
                    month: Some(12),
                    ..m
                })
                .min(len - 1),
            };
            let after = (graph.parents[v].iter().filter_map(|&p| at[p]))
                .max_by(|a, b| earlier(Some(*a), Some(*b)));
            at[v] = match (after, at[v]) {
                (Some(p), Some(_)) if p.0 > latest => Some((latest, 1.0)),
                (Some(p), Some(own)) if earlier(Some(own), Some(p)).is_lt() => Some(p),
                (_, own) => own,
            };
        }
        let mut used = vec![false; len];
        for &(s, _) in at.iter().flatten() {
            used[s] = true;
        }
        let collapsed = empty_runs(&used);
        Months {
            first,
            used,
            at,
            collapsed,
        }
    }

    /// Year of month `s`.
    pub(super) fn year(&self, s: usize) -> i32 {
        (self.first + i32::try_from(s).unwrap_or_default()).div_euclid(12)
    }

    /// Month 1–12 of month `s`.
    pub(super) fn month(&self, s: usize) -> u8 {
        let index = self.first + i32::try_from(s).unwrap_or_default();
        u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1)
    }

    /// The collapsed stretch starting at month `s`, if any: its end.
    pub(super) fn collapsed_from(&self, s: usize) -> Option<usize> {
        (self.collapsed.iter()).find_map(|&(a, b)| (a == s).then_some(b))
    }

    /// Whether node `b` stands before node `a` on the axis (both dated).
    pub(super) fn before(&self, b: usize, a: usize) -> bool {
        matches!((self.at[a], self.at[b]), (Some(_), Some(_)) if earlier(self.at[b], self.at[a]).is_lt())
    }
}

/// Orders two places on the axis (undated first).
pub(super) fn earlier(a: Option<(usize, f64)>, b: Option<(usize, f64)>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)),
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
}

/// The stretches of more than [`LONGEST_EMPTY_RUN`] months without works.
fn empty_runs(used: &[bool]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < used.len() {
        let run = used[i..].iter().take_while(|&&u| !u).count();
        if run > LONGEST_EMPTY_RUN {
            runs.push((i, i + run));
        }
        i += run.max(1);
    }
    runs
}
