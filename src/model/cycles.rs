//! Reference cycles in the lineage: the fields the site draws as lineage arrows
//! (`lineage.edges`) say which entry came from which, so following them must never lead back to
//! where it started (`a` builds on `b`, `b` builds on `a`). Finds each such cycle, of any length
//! and through any mix of those fields; [`crate::model::validate`] reports it at the reference
//! that closes it. (A page naming itself is reported on its own, as a bad target.)

use std::collections::{HashMap, VecDeque};

use crate::model::config::SiteConfig;
use crate::model::id::FieldId;
use crate::model::page::Page;

/// One step of a cycle: page `from` names page `to` in field `field` (indexes into the pages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step {
    /// The naming page.
    pub(crate) from: usize,
    /// The page named.
    pub(crate) to: usize,
    /// The lineage field that names it.
    pub(crate) field: FieldId,
}

/// The cycles among `pages` through the lineage fields: each a list of steps, the first leaving
/// from the page that comes first in `pages`, the last leading back to it. A page lies on at
/// most one reported cycle; none when the site declares no lineage.
pub(crate) fn find(pages: &[Page], config: &SiteConfig) -> Vec<Vec<Step>> {
    let edges = edges(pages, config);
    let mut covered = vec![false; pages.len()];
    let mut cycles = Vec::new();
    for start in suspects(&edges, pages.len()) {
        if covered[start] {
            continue;
        }
        if let Some(cycle) = shortest_cycle(&edges, start) {
            for step in &cycle {
                covered[step.from] = true;
            }
            cycles.push(cycle);
        }
    }
    cycles
}

/// For each page, the pages it names in the lineage fields (within the lineage's collection),
/// in the order written.
fn edges(pages: &[Page], config: &SiteConfig) -> Vec<Vec<Step>> {
    let mut out = vec![Vec::new(); pages.len()];
    let Some(decl) = &config.model.lineage else {
        return out;
    };
    let fields = &config.model.collections[decl.at].schema.fields;
    let in_lineage = |p: &Page| p.collection == Some(decl.at);
    let by_slug: HashMap<&str, usize> = (pages.iter().enumerate())
        .filter(|(_, p)| in_lineage(p))
        .map(|(i, p)| (p.slug.as_str(), i))
        .collect();
    for (from, page) in pages.iter().enumerate().filter(|(_, p)| in_lineage(p)) {
        for &(field, _) in &decl.resolved.edges {
            if fields[field].target != decl.at {
                continue;
            }
            let named = page.values[field].as_list();
            for &to in named.iter().filter_map(|s| by_slug.get(s.as_str())) {
                if to != from {
                    out[from].push(Step { from, to, field });
                }
            }
        }
    }
    out
}

/// The pages that may lie on a cycle, in order: those left after repeatedly setting aside the
/// pages that name nothing left (most sites: none remains).
fn suspects(edges: &[Vec<Step>], n: usize) -> Vec<usize> {
    let mut named_by: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut left: Vec<usize> = edges.iter().map(Vec::len).collect();
    for step in edges.iter().flatten() {
        named_by[step.to].push(step.from);
    }
    let mut queue: VecDeque<usize> = (0..n).filter(|&i| left[i] == 0).collect();
    while let Some(page) = queue.pop_front() {
        for &from in &named_by[page] {
            left[from] -= 1;
            if left[from] == 0 {
                queue.push_back(from);
            }
        }
    }
    (0..n).filter(|&i| left[i] > 0).collect()
}

/// The shortest way from `start` back to itself (breadth first), if there is one.
fn shortest_cycle(edges: &[Vec<Step>], start: usize) -> Option<Vec<Step>> {
    let mut came_by: HashMap<usize, Step> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(page) = queue.pop_front() {
        for &step in &edges[page] {
            if step.to == start {
                let mut cycle = vec![step];
                let mut at = page;
                while at != start {
                    let back = came_by[&at];
                    cycle.push(back);
                    at = back.from;
                }
                cycle.reverse();
                return Some(cycle);
            }
            if let std::collections::hash_map::Entry::Vacant(e) = came_by.entry(step.to) {
                e.insert(step);
                queue.push_back(step.to);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Edges of `n` pages from `(from, to)` pairs, all in one field.
    fn graph(n: usize, pairs: &[(usize, usize)]) -> Vec<Vec<Step>> {
        let mut edges = vec![Vec::new(); n];
        for &(from, to) in pairs {
            let field = crate::model::id::Id::new(0);
            edges[from].push(Step { from, to, field });
        }
        edges
    }

    fn path(cycle: &[Step]) -> Vec<usize> {
        let mut out = vec![cycle[0].from];
        out.extend(cycle.iter().map(|s| s.to));
        out
    }

    #[test]
    fn cycles_of_any_length_are_found_from_their_first_page() {
        let edges = graph(5, &[(0, 1), (1, 2), (2, 3), (3, 1), (4, 0)]);
        assert_eq!(suspects(&edges, 5), [0, 1, 2, 3, 4]);
        assert_eq!(shortest_cycle(&edges, 0), None);
        assert_eq!(path(&shortest_cycle(&edges, 1).unwrap()), [1, 2, 3, 1]);
        let two = graph(2, &[(0, 1), (1, 0)]);
        assert_eq!(path(&shortest_cycle(&two, 0).unwrap()), [0, 1, 0]);
    }

    #[test]
    fn a_tree_has_no_suspects() {
        let edges = graph(4, &[(1, 0), (2, 0), (3, 1), (3, 2)]);
        assert!(suspects(&edges, 4).is_empty());
    }
}
