//! Geometry of the time-axis layout: boxes never overlap and stay in their month's band, edges
//! are orthogonal and never pass under a box, on small graphs, on a month crowded with works
//! and on a large random graph.

use super::*;
use crate::view::lineage::layout::{Axis, Tick};

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

/// A deterministic pseudo-random source: `next(m)` is below `m`.
fn random(seed: u64) -> impl FnMut(usize) -> usize {
    let mut seed = seed;
    move |m: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        usize::try_from(seed >> 33).unwrap() % m
    }
}

fn overlap(a: &Rect, b: &Rect) -> bool {
    a.x < b.right() && b.x < a.right() && a.y < b.y + b.height && b.y < a.y + a.height
}

/// Whether the segment `p`–`q` (horizontal or vertical) passes through the inside of `r`.
fn crosses(p: (f64, f64), q: (f64, f64), r: &Rect) -> bool {
    let inside = 0.5;
    let (x0, x1) = (p.0.min(q.0), p.0.max(q.0));
    let (y0, y1) = (p.1.min(q.1), p.1.max(q.1));
    x0 < r.right() - inside
        && x1 > r.x + inside
        && y0 < r.y + r.height - inside
        && y1 > r.y + inside
}

/// The tick (band of months) holding the month of `m`.
fn band_of(axis: &Axis, m: Moment) -> Option<&Tick> {
    let month = m.month.unwrap_or(1);
    (axis.ticks.iter()).find(|t| t.year == m.year && t.month <= month && month <= t.last)
}

/// Asserts everything a reader relies on: boxes apart, inside the drawing and inside the band
/// of their month (unless moved within their year), at most `stack` boxes in a column, ticks in
/// order, and edges orthogonal from the source's right side to the target's left side without
/// passing under any box.
fn assert_geometry(nodes: &[TimedNode], edges: &[(usize, usize)], l: &Layout) {
    for (i, a) in l.nodes.iter().enumerate() {
        assert!(
            a.x >= 0.0 && a.right() <= l.width,
            "{a:?} inside {}",
            l.width
        );
        assert!(
            a.y >= 0.0 && a.y + a.height <= l.height,
            "{a:?} inside {}",
            l.height
        );
        for b in &l.nodes[i + 1..] {
            assert!(!overlap(a, b), "{a:?} overlaps {b:?}");
        }
    }
    let axis = l.axis.as_ref().expect("an axis");
    assert!(axis
        .ticks
        .windows(2)
        .all(|t| t[0].x + t[0].width <= t[1].x + 1e-6));
    for (v, node) in nodes.iter().enumerate() {
        let Some(m) = node.when.filter(|m| m.month.is_some()) else {
            continue;
        };
        let band = band_of(axis, m).unwrap_or_else(|| panic!("no band for {m:?}"));
        let r = &l.nodes[v];
        assert!(
            band.x <= r.x && r.right() <= band.x + band.width,
            "{r:?} of {m:?} outside its band {band:?}"
        );
    }
    for (route, &(a, b)) in l.routes.iter().zip(edges) {
        if route.is_empty() {
            continue;
        }
        let (ra, rb) = (l.nodes[a], l.nodes[b]);
        assert_eq!(route[0], (ra.right(), ra.cy()));
        assert_eq!(*route.last().unwrap(), (rb.x, rb.cy()));
        for pair in route.windows(2) {
            let (p, q) = (pair[0], pair[1]);
            assert!(
                (p.0 - q.0).abs() < 1e-9 || (p.1 - q.1).abs() < 1e-9,
                "orthogonal"
            );
            assert!(p.0 >= 0.0 && p.0 <= l.width && p.1 >= 0.0 && p.1 <= l.height);
            for r in &l.nodes {
                assert!(!crosses(p, q, r), "{a} → {b}: {p:?}–{q:?} under {r:?}");
            }
        }
    }
}

#[test]
fn boxes_stand_in_date_order_in_their_months_bands() {
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
    assert_geometry(&nodes, &edges, &l);
    let x: Vec<f64> = l.nodes.iter().map(|r| r.x).collect();
    // The month-only work built on a work of the same month stands in a column after it.
    assert!(x[4] < x[0] && x[0] < x[5] && x[5] < x[1] && x[1] < x[2] && x[2] < x[3]);
    assert_eq!(l.approximate, vec![false, false, false, false, false, true]);
    assert!(l.backward.iter().all(|b| !b));
    let axis = l.axis.unwrap();
    assert!(
        (l.width - 700.0).abs() < 1.0,
        "fills the width: {}",
        l.width
    );
    // 2015-06 to 2020-09, 2020-11 to 2022-12 and 2023-05 to 2024-02 are empty.
    assert_eq!(axis.breaks.len(), 3);
    assert_eq!(axis.ticks.iter().filter(|t| t.opens).count(), 4);
    assert_eq!(axis.ticks.iter().filter(|t| t.works).count(), 5);
}

#[test]
fn a_crowded_month_widens_into_columns_and_its_neighbours_stay_narrow() {
    // Forty works in May 2024, built on two earlier works and on each other, one work in
    // each neighbouring month.
    let mut next = random(3);
    let mut nodes = vec![
        node(70.0, at(2024, Some(4), Some(2))),
        node(90.0, at(2024, Some(3), None)),
    ];
    nodes.extend((0..40).map(|i| {
        node(
            50.0 + next(90) as f64,
            at(2024, Some(5), u8::try_from(1 + i % 28).ok()),
        )
    }));
    nodes.push(node(80.0, at(2024, Some(6), Some(3))));
    let mut edges: Vec<(usize, usize)> = (2..42).map(|v| (next(2), v)).collect();
    edges.extend((12..42).map(|v| (2 + next(v - 2), v)));
    edges.push((20, 42));
    let l = timeline(&nodes, &edges, TimeSpacing::default());
    assert_geometry(&nodes, &edges, &l);
    let axis = l.axis.as_ref().unwrap();
    let may = band_of(axis, at(2024, Some(5), None).unwrap()).unwrap();
    let april = band_of(axis, at(2024, Some(4), None).unwrap()).unwrap();
    assert!(may.width > 5.0 * april.width, "{may:?} {april:?}");
    let rows = l.layers.iter().max().unwrap() + 1;
    assert!(rows <= 8, "{rows} rows");
    // Each column of May stacks at most 8 boxes.
    let mut columns: std::collections::BTreeMap<String, usize> = Default::default();
    for r in &l.nodes[2..42] {
        *columns.entry(format!("{:.1}", r.x)).or_default() += 1;
    }
    assert!(columns.values().all(|&c| c <= 8), "{columns:?}");
}

#[test]
fn sparse_months_of_a_year_share_a_band_when_the_frame_is_narrow() {
    let nodes: Vec<TimedNode> = (1..=12)
        .map(|m| node(120.0, at(2023, Some(m), Some(10))))
        .collect();
    let edges: Vec<(usize, usize)> = (1..12).map(|v| (0, v)).collect();
    let narrow = TimeSpacing {
        width: 600.0,
        ..TimeSpacing::default()
    };
    let l = timeline(&nodes, &edges, narrow);
    assert_geometry(&nodes, &edges, &l);
    let axis = l.axis.as_ref().unwrap();
    assert!(axis.ticks.len() < 12, "{:?}", axis.ticks);
    assert!(axis.ticks.iter().any(|t| t.last > t.month));
    let wide = timeline(&nodes, &edges, TimeSpacing::default());
    assert_geometry(&nodes, &edges, &wide);
}

#[test]
fn edges_leave_the_right_side_and_enter_the_left_side_and_share_a_trunk() {
    let nodes = [
        node(60.0, at(2020, Some(1), None)),
        node(60.0, at(2021, Some(1), None)),
        node(60.0, at(2021, Some(1), None)),
        node(60.0, at(2021, Some(2), None)),
        node(60.0, at(2021, Some(3), None)),
    ];
    let edges = [(0, 1), (0, 2), (0, 3), (0, 4)];
    let l = timeline(&nodes, &edges, TimeSpacing::default());
    assert_geometry(&nodes, &edges, &l);
    let bent: Vec<&Vec<(f64, f64)>> = l.routes.iter().filter(|r| r.len() > 2).collect();
    assert!(!bent.is_empty());
    assert!(
        bent.windows(2)
            .all(|r| (r[0][1].0 - r[1][1].0).abs() < 1e-9),
        "one spine: {bent:?}"
    );
}

#[test]
fn undated_nodes_stand_before_the_axis_and_time_against_edges_are_marked() {
    let nodes = [
        node(60.0, None),
        node(60.0, at(2024, Some(5), Some(2))),
        node(60.0, at(2023, Some(1), Some(2))),
    ];
    let edges = [(0, 1), (1, 2), (7, 0)];
    let l = timeline(&nodes, &edges, TimeSpacing::default());
    assert_geometry(&nodes, &edges[..2], &l);
    let axis = l.axis.unwrap();
    assert_eq!(axis.undated, Some(8.0));
    assert!(l.nodes[0].right() < axis.start && axis.start <= l.nodes[2].x);
    assert_eq!(l.backward, vec![false, true, false]);
    assert!(l.routes[2].is_empty());
    let empty = timeline(&[], &[], TimeSpacing::default());
    assert!(empty.nodes.is_empty() && empty.axis.unwrap().ticks.is_empty());
    let undated = timeline(
        &[node(60.0, None), node(50.0, None)],
        &[(0, 1)],
        TimeSpacing::default(),
    );
    assert!(undated.nodes[0].right() < undated.nodes[1].x);
}

#[test]
fn a_large_timeline_is_deterministic_and_sound() {
    let mut next = random(7);
    let nodes: Vec<TimedNode> = (0..2000)
        .map(|_| {
            let month = u8::try_from(1 + next(12)).unwrap();
            let day = u8::try_from(1 + next(28)).unwrap();
            let year = 2000 + i32::try_from(next(25)).unwrap();
            node(60.0 + next(80) as f64, at(year, Some(month), Some(day)))
        })
        .collect();
    let edges: Vec<(usize, usize)> = (1..2000).map(|v| (next(v), v)).collect();
    let a = timeline(&nodes, &edges, TimeSpacing::default());
    let b = timeline(&nodes, &edges, TimeSpacing::default());
    assert_eq!(a.nodes, b.nodes);
    assert_eq!(a.routes, b.routes);
    assert_geometry(&nodes, &edges, &a);
}
