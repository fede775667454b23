//! The row of each box in the grid: as many rows as the tallest column holds, each column's boxes
//! in distinct rows, each box as near as the others allow to the mean row of its neighbours.
//! A first pass left to right looks at the neighbours already placed; later passes, alternately
//! right to left and left to right, at all of them; the pass with the shortest vertical edge
//! spans wins. Within a column the rows are chosen by a small dynamic programme (boxes in the
//! order of their wishes, rows increasing, least total distance to the wishes).

use super::Graph;

/// Row-assignment passes.
const PASSES: usize = 6;

/// The row of each node, and the number of rows.
pub(super) struct Rows {
    /// Each node's row.
    pub(super) of: Vec<usize>,
    /// Number of rows.
    pub(super) count: usize,
}

/// Rows for the nodes of `columns` (every node in exactly one column).
pub(super) fn assign(columns: &[Vec<usize>], graph: &Graph) -> Rows {
    let n = graph.parents.len();
    let count = columns.iter().map(Vec::len).max().unwrap_or(0);
    let span = |of: &[usize]| -> usize {
        (graph.edges.iter().flatten())
            .map(|&(a, b)| of[a].abs_diff(of[b]))
            .sum()
    };
    let mut of: Vec<Option<usize>> = vec![None; n];
    let mut best: Option<(usize, Vec<usize>)> = None;
    for pass in 0..PASSES {
        let order: Vec<&Vec<usize>> = if pass % 2 == 1 {
            columns.iter().rev().collect()
        } else {
            columns.iter().collect()
        };
        let previous = of.clone();
        for column in order {
            let wishes: Vec<f64> = (column.iter())
                .map(|&v| wish(v, graph, &of, &previous, count))
                .collect();
            for (&v, row) in column.iter().zip(rows_for(&wishes, count)) {
                of[v] = Some(row);
            }
        }
        let placed: Vec<usize> = of.iter().map(|r| r.unwrap_or(0)).collect();
        let score = span(&placed);
        if best.as_ref().is_none_or(|(b, _)| score < *b) {
            best = Some((score, placed));
        }
    }
    Rows {
        of: best.map(|(_, of)| of).unwrap_or_default(),
        count,
    }
}

/// The row node `v` would like: the mean row of its placed neighbours, else where it was, else
/// the middle.
fn wish(
    v: usize,
    graph: &Graph,
    of: &[Option<usize>],
    previous: &[Option<usize>],
    count: usize,
) -> f64 {
    let (sum, placed) = (graph.neighbours[v].iter())
        .filter_map(|&u| of[u])
        .fold((0, 0), |(sum, placed), r| (sum + r, placed + 1));
    if placed == 0 {
        return previous[v].map_or((count as f64 - 1.0) / 2.0, |r| r as f64);
    }
    sum as f64 / f64::from(placed)
}

/// Distinct rows among `0..count` for boxes wishing `wishes`, keeping the order of the wishes
/// and least total distance to them.
fn rows_for(wishes: &[f64], count: usize) -> Vec<usize> {
    let m = wishes.len();
    match wishes {
        [] => return Vec::new(),
        // The nearest row (the upper one of two equally near, as below).
        [w] => {
            let off = |r: &usize| (*r as f64 - w).abs();
            return vec![(0..count)
                .min_by(|a, b| off(a).total_cmp(&off(b)))
                .unwrap_or(0)];
        }
        _ => {}
    }
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| wishes[a].total_cmp(&wishes[b]).then(a.cmp(&b)));
    // cost[i * count + r]: least cost of the first i + 1 boxes (in wish order) with box i in
    // row r; from[…]: the row of box i - 1 then.
    let mut cost = vec![f64::INFINITY; m * count];
    let mut from = vec![0; m * count];
    for (i, &item) in order.iter().enumerate() {
        let mut best = (f64::INFINITY, 0);
        for r in i..count + i + 1 - m {
            if i > 0 && cost[(i - 1) * count + r - 1] < best.0 {
                best = (cost[(i - 1) * count + r - 1], r - 1);
            }
            let before = if i == 0 { 0.0 } else { best.0 };
            cost[i * count + r] = before + (r as f64 - wishes[item]).abs();
            from[i * count + r] = best.1;
        }
    }
    let last_row = |r: &usize| cost[(m - 1) * count + r];
    let mut r = (m - 1..count)
        .min_by(|a, b| last_row(a).total_cmp(&last_row(b)))
        .unwrap_or(0);
    let mut rows = vec![0; m];
    for i in (0..m).rev() {
        rows[order[i]] = r;
        r = from[i * count + r];
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::rows_for;

    #[test]
    fn rows_follow_the_wishes_in_order_and_stay_distinct() {
        assert_eq!(rows_for(&[2.0, 0.0], 4), vec![2, 0]);
        assert_eq!(rows_for(&[1.0, 1.0, 1.0], 4), vec![0, 1, 2]);
        assert_eq!(rows_for(&[3.0, 3.0], 4), vec![2, 3]);
        assert_eq!(rows_for(&[0.4], 1), vec![0]);
        for w in [-1.0, 0.0, 0.5, 1.4, 1.5, 1.6, 3.0, 9.0] {
            let nearest = (0..5usize)
                .min_by(|&a, &b| (a as f64 - w).abs().total_cmp(&(b as f64 - w).abs()))
                .unwrap();
            assert_eq!(rows_for(&[w], 5), vec![nearest], "{w}");
        }
    }
}
