//! Discovery (issue #4): taxonomy pages, trend timelines, the comparison table and the lineage
//! graph, checked on the real site. Expected values come from the front matter in `content/`
//! (read here with serde), never from lists in this file. The browser part opens the table from
//! `file://` in headless Chromium (`tests/common/browser.rs`): without `CI` set a missing
//! Chromium skips it with a notice; with `CI` set it fails.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::common::browser::{file_url, Browser, Tab};
use crate::common::Tristate as Openness;
use crate::common::Work as WorkMeta;
use crate::common::{check_links, files, repo_root, select, TestProject};
use scraper::{ElementRef, Html};
use serde_json::Value;

/// Languages and their folder prefix in the built site.
const LANGS: [&str; 2] = ["", "en/"];
/// Taxonomies with term pages.
const TAXONOMIES: [&str; 7] = [
    "strand",
    "kind",
    "modality",
    "organ",
    "task",
    "venue",
    "institution",
];

/// The real site, built once per test run into the target's temporary folder.
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("discovery-site");
        crate::common::build_real_site_into(&out);
        out
    })
}

/// Every work of `content/models/` (default-language files), by slug.
fn works() -> &'static BTreeMap<String, WorkMeta> {
    static WORKS: OnceLock<BTreeMap<String, WorkMeta>> = OnceLock::new();
    WORKS.get_or_init(|| {
        let dir = repo_root().join("content/models");
        let mut out = BTreeMap::new();
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let Some(slug) = name.strip_suffix(".md").filter(|s| !s.contains('.')) else {
                continue;
            };
            let text = fs::read_to_string(&path).unwrap();
            let split = medfm::split_front_matter(&name, &text).unwrap();
            let meta: WorkMeta =
                serde_yaml::from_str(split.yaml).unwrap_or_else(|e| panic!("{name}: {e}"));
            out.insert(slug.to_string(), meta);
        }
        assert!(
            out.len() > 20,
            "expected the real content, found {} works",
            out.len()
        );
        out
    })
}

/// The term keys of `w` in taxonomy `tax` (front-matter field names differ from taxonomy names).
fn terms_of<'a>(w: &'a WorkMeta, tax: &str) -> Vec<&'a str> {
    let list = |v: &'a [String]| v.iter().map(String::as_str).collect();
    match tax {
        "strand" => vec![w.strand.as_str()],
        "kind" => vec![w.kind.as_str()],
        "modality" => list(&w.modalities),
        "organ" => list(&w.organs),
        "task" => list(&w.tasks),
        "venue" => [w.venue.as_str()]
            .into_iter()
            .filter(|v| !v.trim().is_empty())
            .collect(),
        "institution" => list(&w.institutions),
        other => panic!("unknown taxonomy {other}"),
    }
}

/// Lineage relations: (earlier, later, is `uses`).
type Relations = BTreeSet<(String, String, bool)>;

/// Every lineage relation: (earlier, later, is `uses`), duplicates dropped.
fn relations() -> Relations {
    let mut out = BTreeSet::new();
    for (slug, w) in works() {
        out.extend(w.builds_on.iter().map(|t| (t.clone(), slug.clone(), false)));
        out.extend(w.uses.iter().map(|t| (t.clone(), slug.clone(), true)));
    }
    out
}

fn html(rel: &str) -> Html {
    let path = site().join(rel);
    Html::parse_document(
        &fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {rel}: {e}")),
    )
}

/// The work slug a link points at (`../models/medsam.html` → `medsam`), if it is a work page.
fn work_slug(href: &str) -> Option<String> {
    let file = href.split(['?', '#']).next()?.rsplit_once("models/")?.1;
    file.strip_suffix(".html")
        .filter(|s| *s != "index")
        .map(str::to_string)
}

fn text(el: &ElementRef<'_>) -> String {
    el.text().collect::<String>()
}

#[test]
fn each_term_page_lists_exactly_the_works_carrying_the_term() {
    let mut checked = 0;
    for tax in TAXONOMIES {
        let mut expected: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for (slug, w) in works() {
            for key in terms_of(w, tax) {
                expected.entry(key).or_default().insert(slug.clone());
            }
        }
        let slugs: BTreeSet<String> = expected.keys().map(|k| medfm::slugify(k)).collect();
        assert_eq!(
            slugs.len(),
            expected.len(),
            "{tax}: two terms share a page name"
        );
        for prefix in LANGS {
            let index = html(&format!("{prefix}taxonomies/{tax}/index.html"));
            let listed = select(&index, ".term-list li").len();
            assert_eq!(
                listed,
                expected.len(),
                "{prefix}taxonomies/{tax}/index.html lists {listed} terms"
            );
            for (key, members) in &expected {
                let slug = medfm::slugify(key);
                assert!(!slug.is_empty(), "{tax} term {key:?} has an empty slug");
                let rel = format!("{prefix}taxonomies/{tax}/{slug}.html");
                let page = html(&rel);
                let cards = select(&page, ".cards .card");
                let shown: BTreeSet<String> = cards
                    .iter()
                    .filter_map(|c| {
                        select_in(c, "a.card-title")
                            .first()
                            .and_then(|a| a.value().attr("href"))
                            .and_then(work_slug)
                    })
                    .collect();
                assert_eq!(&shown, members, "{rel}");
                assert_eq!(cards.len(), members.len(), "{rel}: a work is listed twice");
                for card in &cards {
                    assert_eq!(
                        select_in(card, "time, .unknown-date").len(),
                        1,
                        "{rel}: a card without a date"
                    );
                    let summary = select_in(card, "p").first().map(text).unwrap_or_default();
                    assert!(
                        !summary.trim().is_empty(),
                        "{rel}: a card without a summary"
                    );
                }
                let count = select(&index, ".term-list li")
                    .into_iter()
                    .find(|li| {
                        let href = select_in(li, "a")
                            .first()
                            .and_then(|a| a.value().attr("href"))
                            .unwrap_or_default()
                            .to_string();
                        href.ends_with(&format!("/{tax}/{slug}.html"))
                    })
                    .map(|li| {
                        select_in(&li, ".count")
                            .first()
                            .map(text)
                            .unwrap_or_default()
                    });
                assert_eq!(
                    count.as_deref(),
                    Some(&members.len().to_string()[..]),
                    "{rel}: count on the index page"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} term pages checked");
}

#[test]
fn term_slugs_stay_readable_for_cjk_and_collisions_fail_the_build() {
    let project = TestProject::fixture("minimal");
    let sam = project.read_source("content/models/sam.md");
    let with = |list: &str| {
        sam.replace(
            "institutions: [Meta AI Research (FAIR)]",
            &format!("institutions: [{list}]"),
        )
    };
    project.write(
        "content/models/sam.md",
        with("复旦大学, Meta AI Research (FAIR)"),
    );
    project.build().assert_ok();
    for prefix in LANGS {
        let page = project
            .out()
            .join(format!("{prefix}taxonomies/institution/复旦大学.html"));
        assert!(page.is_file(), "{} missing", page.display());
    }
    project.write(
        "content/models/sam.md",
        with("Meta AI Research (FAIR), meta-ai research fair"),
    );
    project.build().assert_error("collides with");
    project.write("content/models/sam.md", with("\"!!!\""));
    project.build().assert_error("no letters or digits");
}

#[test]
fn term_cards_show_venue_date_and_summary() {
    for (slug, w) in works().iter().filter(|(_, w)| !w.venue.trim().is_empty()) {
        let rel = format!("taxonomies/venue/{}.html", medfm::slugify(&w.venue));
        let page = html(&rel);
        let card = select(&page, ".cards .card")
            .into_iter()
            .find(|c| {
                select_in(c, "a.card-title")
                    .first()
                    .and_then(|a| a.value().attr("href"))
                    .and_then(work_slug)
                    .as_deref()
                    == Some(slug)
            })
            .unwrap_or_else(|| panic!("{rel} lacks {slug}"));
        let meta = select_in(&card, ".meta")
            .first()
            .map(text)
            .unwrap_or_default();
        assert!(
            meta.contains(w.venue.as_str()),
            "{rel}: card of {slug} lacks its venue: {meta}"
        );
    }
}

fn select_in<'a>(el: &ElementRef<'a>, selector: &str) -> Vec<ElementRef<'a>> {
    el.select(&scraper::Selector::parse(selector).unwrap())
        .collect()
}

#[test]
fn table_has_one_complete_row_per_work() {
    for prefix in LANGS {
        let page = html(&format!("{prefix}table.html"));
        let headers = select(&page, "#compare thead th");
        assert_eq!(headers.len(), 11, "{prefix}table.html: columns");
        let rows = select(&page, "#compare tbody tr");
        assert_eq!(
            rows.len(),
            works().len(),
            "{prefix}table.html: one row per work"
        );
        let mut seen = BTreeSet::new();
        for row in &rows {
            assert!(
                row.value().attr("hidden").is_none(),
                "rows are all visible without JavaScript"
            );
            assert_eq!(
                select_in(row, "th, td").len(),
                11,
                "{prefix}table.html: cells of a row"
            );
            let href = select_in(row, "th a")
                .first()
                .and_then(|a| a.value().attr("href"))
                .unwrap_or_default()
                .to_string();
            let slug = work_slug(&href).unwrap_or_else(|| panic!("row link {href}"));
            let w = &works()[&slug];
            for tax in ["strand", "kind", "modality", "organ", "task"] {
                let facet = row
                    .value()
                    .attr(&format!("data-f-{tax}"))
                    .unwrap_or_default();
                assert_eq!(
                    facet.split_whitespace().collect::<Vec<_>>(),
                    terms_of(w, tax),
                    "{slug}: data-f-{tax}"
                );
            }
            let open = |o: Openness| ["yes", "no", "unknown"][o as usize];
            assert_eq!(
                row.value().attr("data-f-open_code"),
                Some(open(w.open_code)),
                "{slug}: open code"
            );
            assert_eq!(
                row.value().attr("data-f-open_weights"),
                Some(open(w.open_weights)),
                "{slug}: open weights"
            );
            let date = select_in(row, "td")[6]
                .value()
                .attr("data-sort")
                .unwrap_or_default()
                .to_string();
            assert_eq!(
                date,
                w.date.map(|d| d.iso()).unwrap_or_default(),
                "{slug}: date sort key"
            );
            assert!(seen.insert(slug), "{prefix}table.html: a work has two rows");
        }
        assert!(
            select(&page, r#"script[src$="table.js"]:not([type="module"])"#).len() == 1,
            "table.js is a plain script"
        );
    }
    let script = fs::read_to_string(site().join("table.js")).unwrap();
    for banned in ["fetch(", "import ", "XMLHttpRequest", "http://", "https://"] {
        assert!(
            !script.contains(banned),
            "table.js must work offline without modules: found {banned:?}"
        );
    }
}

/// A drawn edge: start point, end point, dashed (`uses`).
type Edge = ((f64, f64), (f64, f64), bool);

/// A node box of a lineage SVG: link target (or `None` for the page's own work) and rectangle.
#[derive(Debug)]
struct Node {
    slug: Option<String>,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

/// Nodes and edges (start, end, dashed) of the first lineage SVG inside `scope` of `page`.
fn svg_graph(page: &Html, scope: &str) -> (Vec<Node>, Vec<Edge>) {
    let svg = select(page, &format!("{scope} svg.lineage-graph"))
        .into_iter()
        .next()
        .expect("a lineage svg");
    let num = |el: &ElementRef<'_>, a: &str| {
        el.value()
            .attr(a)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap()
    };
    let nodes = select_in(&svg, ".node")
        .into_iter()
        .map(|n| {
            let rect = select_in(&n, "rect")[0];
            let slug = n
                .value()
                .attr("href")
                .map(|h| work_slug(h).unwrap_or_else(|| panic!("node link {h}")));
            Node {
                slug,
                x: num(&rect, "x"),
                y: num(&rect, "y"),
                w: num(&rect, "width"),
                h: num(&rect, "height"),
            }
        })
        .collect();
    let edges = select_in(&svg, "path.edge")
        .into_iter()
        .map(|p| {
            let nums = path_numbers(p.value().attr("d").unwrap());
            let dashed = p.value().attr("class").unwrap().contains("uses");
            (
                (nums[0], nums[1]),
                (nums[nums.len() - 2], nums[nums.len() - 1]),
                dashed,
            )
        })
        .collect();
    (nodes, edges)
}

/// The numbers of an SVG path's `d` attribute, in order (its commands dropped).
fn path_numbers(d: &str) -> Vec<f64> {
    d.split(|c: char| c.is_ascii_alphabetic() || c == ',' || c == ' ')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect()
}

/// Each edge's points.
type Routes = Vec<Vec<(f64, f64)>>;

/// The size of the first lineage SVG inside `scope` and every edge's points (the corners of
/// its orthogonal route: the control point of each rounded corner is the corner itself).
fn svg_routes(page: &Html, scope: &str) -> ((f64, f64), Routes) {
    let svg = select(page, &format!("{scope} svg.lineage-graph"))[0];
    let num = |a: &str| svg.value().attr(a).unwrap().parse::<f64>().unwrap();
    let routes = select_in(&svg, "path.edge")
        .into_iter()
        .map(|p| {
            let nums = path_numbers(p.value().attr("d").unwrap());
            nums.chunks(2).map(|p| (p[0], p[1])).collect()
        })
        .collect();
    ((num("width"), num("height")), routes)
}

/// Asserts that every box of a lineage drawing lies inside it, apart from every other box, and
/// that no edge runs under a box (each segment of a route is horizontal or vertical).
fn assert_drawing_is_legible(page: &Html, scope: &str, name: &str) {
    let (nodes, _) = svg_graph(page, scope);
    let ((width, height), routes) = svg_routes(page, scope);
    for (i, a) in nodes.iter().enumerate() {
        assert!(
            a.x >= 0.0 && a.y >= 0.0 && a.x + a.w <= width && a.y + a.h <= height,
            "{name}: the box of {:?} is cut by the drawing's edge",
            a.slug
        );
        for b in &nodes[i + 1..] {
            let apart =
                a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
            assert!(
                apart,
                "{name}: boxes of {:?} and {:?} overlap",
                a.slug, b.slug
            );
        }
    }
    for route in &routes {
        for pair in route.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            assert!(
                (x0 - x1).abs() < 0.05 || (y0 - y1).abs() < 0.05,
                "{name}: {route:?} is orthogonal"
            );
            let (left, right) = (x0.min(x1), x0.max(x1));
            let (top, bottom) = (y0.min(y1), y0.max(y1));
            for n in &nodes {
                let under = left < n.x + n.w - 1.0
                    && right > n.x + 1.0
                    && top < n.y + n.h - 1.0
                    && bottom > n.y + 1.0;
                assert!(!under, "{name}: an edge runs under the box of {:?}", n.slug);
            }
        }
    }
}

/// Matches every relation to one drawn edge leaving the earlier work's box and entering the
/// later one's; returns the relations left unmatched and the edges left over.
fn unmatched(nodes: &[Node], edges: &[Edge], rels: &Relations, own: &str) -> (Vec<String>, usize) {
    let find = |slug: &str| {
        nodes
            .iter()
            .find(|n| n.slug.as_deref().unwrap_or(own) == slug)
    };
    let close = |a: (f64, f64), b: (f64, f64)| (a.0 - b.0).abs() < 0.2 && (a.1 - b.1).abs() < 0.2;
    let mut left: Vec<_> = edges.to_vec();
    let mut missing = Vec::new();
    for (from, to, uses) in rels {
        let (Some(a), Some(b)) = (find(from), find(to)) else {
            missing.push(format!("{from} → {to} (node missing)"));
            continue;
        };
        let start = (a.x + a.w, a.y + a.h / 2.0);
        let end = (b.x, b.y + b.h / 2.0);
        match left
            .iter()
            .position(|e| close(e.0, start) && close(e.1, end) && e.2 == *uses)
        {
            Some(i) => {
                left.remove(i);
            }
            None => missing.push(format!("{from} → {to}")),
        }
    }
    (missing, left.len())
}

#[test]
fn lineage_page_has_a_node_per_related_work_and_an_edge_per_relation() {
    let rels = relations();
    let related: BTreeSet<String> = rels
        .iter()
        .flat_map(|(a, b, _)| [a.clone(), b.clone()])
        .collect();
    for prefix in LANGS {
        let page = html(&format!("{prefix}lineage.html"));
        let (nodes, edges) = svg_graph(&page, ".lineage-figure");
        let drawn: Vec<String> = nodes
            .iter()
            .map(|n| n.slug.clone().expect("every node is a link"))
            .collect();
        assert_eq!(
            drawn.iter().cloned().collect::<BTreeSet<_>>(),
            related,
            "{prefix}lineage.html: nodes"
        );
        assert_eq!(
            drawn.len(),
            related.len(),
            "{prefix}lineage.html: a work drawn twice"
        );
        assert_eq!(
            edges.len(),
            rels.len(),
            "{prefix}lineage.html: one edge per relation"
        );
        assert_eq!(
            edges.iter().filter(|e| e.2).count(),
            rels.iter().filter(|r| r.2).count(),
            "dashed `uses` edges"
        );
        let (missing, extra) = unmatched(&nodes, &edges, &rels, "");
        assert!(
            missing.is_empty() && extra == 0,
            "{prefix}lineage.html: unmatched {missing:?}, {extra} extra edges"
        );
        assert_drawing_is_legible(&page, ".lineage-figure", &format!("{prefix}lineage.html"));
        let svg = select(&page, "svg.lineage-graph")[0];
        let size: f64 = svg.value().attr("font-size").unwrap().parse().unwrap();
        assert!(size >= 12.0, "labels must be at least 12px, found {size}");
        let view_box = svg.value().attr("viewBox").unwrap().to_string();
        assert!(
            view_box.ends_with(&format!(
                "{} {}",
                svg.value().attr("width").unwrap(),
                svg.value().attr("height").unwrap()
            )),
            "the drawing is never scaled"
        );
        assert!(
            select(&page, "svg.lineage-graph > title").len() == 1,
            "the svg has a title"
        );
        let unlinked = select(&page, ".inline-list li").len();
        assert_eq!(
            unlinked,
            works().len() - related.len(),
            "{prefix}lineage.html: works without relations are listed"
        );
    }
}

/// The works connected to `slug` through relations, against (`up`) or along them.
fn reach(rels: &Relations, slug: &str, up: bool) -> BTreeSet<String> {
    let mut seen = BTreeSet::from([slug.to_string()]);
    let mut queue = VecDeque::from([slug.to_string()]);
    while let Some(v) = queue.pop_front() {
        for (a, b, _) in rels {
            let (here, next) = if up { (b, a) } else { (a, b) };
            if *here == v && seen.insert(next.clone()) {
                queue.push_back(next.clone());
            }
        }
    }
    seen
}

/// The works at most `hops` relations away from `slug` in either direction (along each
/// direction separately, as a work page draws ancestors and descendants).
fn reach_within(rels: &Relations, slug: &str, hops: usize) -> BTreeSet<String> {
    let mut all = BTreeSet::from([slug.to_string()]);
    for up in [true, false] {
        let mut frontier = BTreeSet::from([slug.to_string()]);
        for _ in 0..hops {
            let next: BTreeSet<String> = rels
                .iter()
                .filter_map(|(a, b, _)| {
                    let (here, next) = if up { (b, a) } else { (a, b) };
                    frontier.contains(here.as_str()).then(|| next.clone())
                })
                .collect();
            all.extend(next.iter().cloned());
            frontier = next;
        }
    }
    all
}

#[test]
fn work_pages_draw_ancestors_and_descendants() {
    let rels = relations();
    let mut drawn = 0;
    for slug in works().keys() {
        let mut family = reach(&rels, slug, true);
        family.extend(reach(&rels, slug, false));
        for prefix in LANGS {
            let rel = format!("{prefix}models/{slug}.html");
            let page = html(&rel);
            if family.len() == 1 {
                assert!(
                    select(&page, "svg.lineage-graph").is_empty(),
                    "{rel}: no relations, no graph"
                );
                continue;
            }
            let (nodes, edges) = svg_graph(&page, ".lineage");
            let shown: BTreeSet<String> = nodes
                .iter()
                .map(|n| n.slug.clone().unwrap_or_else(|| slug.clone()))
                .collect();
            // A work page draws at most 40 works within 3 generations, nearest first
            // (model::lineage): the whole family when it is small, else a part holding every
            // direct neighbour.
            let near = reach_within(&rels, slug, 3);
            if near.len() <= 40 {
                assert_eq!(shown, near, "{rel}: ancestors and descendants");
            } else {
                let direct = reach_within(&rels, slug, 1);
                assert!(
                    shown.is_subset(&near) && shown.len() <= 41,
                    "{rel}: {shown:?}"
                );
                assert!(
                    direct.len() > 20 || direct.is_subset(&shown),
                    "{rel}: {direct:?}"
                );
            }
            assert!(shown.is_subset(&family));
            assert_eq!(
                nodes.iter().filter(|n| n.slug.is_none()).count(),
                1,
                "{rel}: the work itself is drawn once, not as a link"
            );
            let inside: BTreeSet<_> = rels
                .iter()
                .filter(|(a, b, _)| shown.contains(a) && shown.contains(b))
                .cloned()
                .collect();
            let (missing, extra) = unmatched(&nodes, &edges, &inside, slug);
            assert!(
                missing.is_empty() && extra == 0,
                "{rel}: unmatched {missing:?}, {extra} extra edges"
            );
            assert_drawing_is_legible(&page, ".lineage", &rel);
            drawn += 1;
        }
    }
    assert!(drawn > 40, "only {drawn} work graphs");
}

#[test]
fn work_pages_list_lineage_related_breadcrumbs_and_strand_neighbours() {
    let rels = relations();
    for (slug, w) in works() {
        for prefix in LANGS {
            let rel = format!("{prefix}models/{slug}.html");
            let page = html(&rel);
            let lists = select(&page, ".lineage .two-col > div");
            let linked = |div: &ElementRef<'_>| -> BTreeSet<String> {
                select_in(div, "a.card-title")
                    .iter()
                    .filter_map(|a| a.value().attr("href").and_then(work_slug))
                    .collect()
            };
            let built_on: BTreeSet<String> = w.builds_on.iter().cloned().collect();
            let built_upon_by: BTreeSet<String> = rels
                .iter()
                .filter(|r| !r.2 && r.0 == *slug)
                .map(|r| r.1.clone())
                .collect();
            assert_eq!(linked(&lists[0]), built_on, "{rel}: built on");
            assert_eq!(linked(&lists[1]), built_upon_by, "{rel}: built upon by");
            assert!(
                select(&page, "nav.breadcrumb li").len() >= 3,
                "{rel}: breadcrumbs"
            );
            let pager = select(&page, "nav.pager a");
            for a in &pager {
                let other = a.value().attr("href").and_then(work_slug).unwrap();
                assert_eq!(
                    works()[&other].strand,
                    w.strand,
                    "{rel}: previous/next stay in the strand"
                );
            }
            let related = select(&page, "section[aria-labelledby=related-h] a.card-title");
            assert!(!related.is_empty(), "{rel}: no related works");
            for a in related {
                let other = a.value().attr("href").and_then(work_slug).unwrap();
                assert!(
                    shares_something(slug, &other, &rels),
                    "{rel}: {other} shares nothing with it"
                );
            }
        }
    }
}

/// True when two works share a modality, organ, task, institution or sub-theme, or are related
/// by lineage (the grounds for "related works").
fn shares_something(a: &str, b: &str, rels: &Relations) -> bool {
    let (wa, wb) = (&works()[a], &works()[b]);
    let common = ["modality", "organ", "task", "institution"]
        .iter()
        .any(|tax| {
            terms_of(wa, tax)
                .iter()
                .any(|t| terms_of(wb, tax).contains(t))
        });
    let lineage = rels
        .iter()
        .any(|(x, y, _)| (x == a && y == b) || (x == b && y == a))
        || wa.builds_on.iter().any(|p| wb.builds_on.contains(p));
    common || wa.theme == wb.theme || lineage
}

#[test]
fn trend_timelines_cover_their_strand_and_its_foundations() {
    let trends: Vec<String> = files(&site().join("trends"))
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(!trends.is_empty());
    for file in trends {
        let strand = file.trim_end_matches(".html");
        let page = html(&format!("trends/{file}"));
        let listed: Vec<String> = select(&page, ".timeline a")
            .iter()
            .filter_map(|a| a.value().attr("href").and_then(work_slug))
            .collect();
        let own: BTreeSet<&String> = works()
            .iter()
            .filter(|(_, w)| w.strand == strand)
            .map(|(s, _)| s)
            .collect();
        let shown: BTreeSet<&String> = listed.iter().filter(|s| own.contains(s)).collect();
        assert_eq!(
            shown, own,
            "trends/{file}: every work of the strand is on the timeline"
        );
        for other in listed.iter().filter(|s| !own.contains(s)) {
            let ancestor = own
                .iter()
                .any(|s| reach(&relations(), s, true).contains(other));
            assert!(
                ancestor,
                "trends/{file}: {other} is on the timeline but no work of the strand builds on it"
            );
        }
        let months: Vec<String> = select(&page, ".timeline > li > h3 time")
            .iter()
            .filter_map(|t| t.value().attr("datetime").map(str::to_string))
            .collect();
        let known: Vec<&String> = months.iter().filter(|m| !m.is_empty()).collect();
        assert!(
            known.windows(2).all(|p| p[0] < p[1]),
            "trends/{file}: months in order: {months:?}"
        );
    }
}

#[test]
fn discovery_links_resolve() {
    let (checked, broken) = check_links(site());
    let mine = |page: &str| {
        let page = page.strip_prefix("en/").unwrap_or(page);
        ["table.html", "lineage.html"].contains(&page)
            || page.starts_with("taxonomies/")
            || page.starts_with("models/")
            || page.starts_with("trends/")
    };
    let broken: Vec<_> = broken.into_iter().filter(|b| mine(&b.page)).collect();
    assert!(checked > 1000, "only {checked} links checked");
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

/// Pages reachable from `start` by following relative links (query and fragment dropped).
fn crawl(start: &str) -> HashSet<String> {
    let mut seen = HashSet::from([start.to_string()]);
    let mut queue = VecDeque::from([start.to_string()]);
    while let Some(page) = queue.pop_front() {
        let doc = html(&page);
        let base = Path::new(&page)
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        for a in select(&doc, "a[href]") {
            let href = a.value().attr("href").unwrap();
            let path = href.split(['?', '#']).next().unwrap_or_default();
            if path.is_empty() || href.contains("://") || !path.ends_with(".html") {
                continue;
            }
            let Some(target) =
                crate::common::normalize(&base.join(crate::common::percent_decode(path)))
            else {
                continue;
            };
            if site().join(&target).is_file() && seen.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    seen
}

#[test]
fn every_discovery_page_is_reachable_from_the_home_page() {
    for prefix in LANGS {
        let reached = crawl(&format!("{prefix}index.html"));
        let wanted: Vec<String> = files(site())
            .into_iter()
            .filter(|f| f.ends_with(".html") && (prefix.is_empty() != f.starts_with("en/")))
            .filter(|f| {
                let f = f.strip_prefix(prefix).unwrap_or(f);
                ["table.html", "lineage.html"].contains(&f)
                    || f.starts_with("taxonomies/")
                    || f.starts_with("models/")
                    || f.starts_with("trends/")
            })
            .collect();
        let missing: Vec<&String> = wanted.iter().filter(|f| !reached.contains(*f)).collect();
        assert!(
            missing.is_empty(),
            "not reachable from {prefix}index.html: {missing:?}"
        );
        let home = html(&format!("{prefix}index.html"));
        let nav: Vec<&str> = select(&home, "nav.main-nav a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect();
        for page in ["table.html", "lineage.html", "taxonomies/index.html"] {
            assert!(
                nav.iter().any(|h| h.ends_with(page)),
                "{prefix}index.html: no navigation link to {page}"
            );
        }
    }
}

/// Slugs of the visible rows of the open table, in display order.
fn visible_rows(tab: &Tab) -> Vec<String> {
    let v = tab.eval("Array.from(document.querySelectorAll('#compare tbody tr')).filter(r => !r.hidden).map(r => r.id.slice(4))");
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// The `data-sort` values of column `col` in the visible rows.
fn column(tab: &Tab, col: usize) -> Vec<String> {
    let js = format!("Array.from(document.querySelectorAll('#compare tbody tr')).filter(r => !r.hidden).map(r => r.cells[{col}].dataset.sort)");
    tab.eval(&js)
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

fn set_field(tab: &Tab, name: &str, value: &str) {
    let event = if name == "q" { "input" } else { "change" };
    tab.eval(&format!(
        "(() => {{ const f = document.querySelector('#table-filters [name={name}]'); f.value = {value:?}; f.dispatchEvent(new Event('{event}')); }})()"
    ));
}

fn expect_sorted(values: &[String], desc: bool, what: &str) {
    let known: Vec<&String> = values.iter().take_while(|v| !v.is_empty()).collect();
    assert!(
        values[known.len()..].iter().all(String::is_empty),
        "{what}: unknown values come last: {values:?}"
    );
    let ordered = known
        .windows(2)
        .all(|p| if desc { p[0] >= p[1] } else { p[0] <= p[1] });
    assert!(ordered, "{what}: not sorted: {values:?}");
}

fn slugs_where(test: impl Fn(&WorkMeta) -> bool) -> BTreeSet<String> {
    works()
        .iter()
        .filter(|(_, w)| test(w))
        .map(|(s, _)| s.clone())
        .collect()
}

#[test]
fn browser_sorts_and_filters_the_table_and_keeps_the_state_in_the_url() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let tab = browser.tab();
    let page = site().join("en/table.html");
    let url = file_url(&page);
    let visit = tab.open(&url);
    assert!(
        visit.problems(site()).is_empty(),
        "{:#?}",
        visit.problems(site())
    );
    assert_eq!(
        tab.eval("document.getElementById('table-filters').hidden"),
        Value::Bool(false),
        "the script shows the filters"
    );
    assert_eq!(visible_rows(&tab).len(), works().len());

    tab.eval("document.querySelector('th[data-key=date] button').click()");
    expect_sorted(&column(&tab, 7), false, "date ascending");
    assert_eq!(
        tab.eval("document.querySelector('th[data-key=date]').getAttribute('aria-sort')"),
        Value::from("ascending")
    );
    tab.eval("document.querySelector('th[data-key=date] button').click()");
    expect_sorted(&column(&tab, 7), true, "date descending");
    assert!(
        tab.url().ends_with("?sort=date&dir=desc"),
        "sort state in the URL: {}",
        tab.url()
    );

    set_field(&tab, "modality", "pathology");
    let pathology = slugs_where(|w| w.modalities.iter().any(|m| m == "pathology"));
    assert_eq!(
        visible_rows(&tab).into_iter().collect::<BTreeSet<_>>(),
        pathology,
        "modality=pathology"
    );
    expect_sorted(&column(&tab, 7), true, "filtered rows keep the sort");
    set_field(&tab, "open_weights", "yes");
    let open = slugs_where(|w| {
        w.modalities.iter().any(|m| m == "pathology") && w.open_weights == Openness::Yes
    });
    assert_eq!(
        visible_rows(&tab).into_iter().collect::<BTreeSet<_>>(),
        open,
        "pathology with open weights"
    );
    assert!(
        !open.is_empty() && open.len() < pathology.len(),
        "the openness filter narrows the list"
    );
    let status = tab.eval("document.getElementById('table-status').textContent");
    assert!(
        status.as_str().unwrap().contains(&open.len().to_string()),
        "status {status}"
    );
    let shared = tab.url();
    assert!(
        shared.contains("?modality=pathology&open_weights=yes&sort=date&dir=desc"),
        "filter state in the URL: {shared}"
    );

    let fresh = browser.tab();
    fresh.open(&shared);
    assert_eq!(
        fresh.eval("document.querySelector('[name=modality]').value"),
        Value::from("pathology")
    );
    assert_eq!(
        visible_rows(&fresh).into_iter().collect::<BTreeSet<_>>(),
        open,
        "a shared URL restores the view"
    );
    expect_sorted(&column(&fresh, 7), true, "a shared URL restores the sort");

    tab.eval("document.getElementById('table-reset').click()");
    assert_eq!(
        visible_rows(&tab).len(),
        works().len(),
        "reset shows every row"
    );
    assert_eq!(tab.url(), url, "reset clears the URL");
    set_field(&tab, "kind", "dataset");
    tab.eval("document.querySelector('th[data-key=name] button').click()");
    assert_eq!(
        visible_rows(&tab).into_iter().collect::<BTreeSet<_>>(),
        slugs_where(|w| w.kind == "dataset"),
        "kind=dataset"
    );
    set_field(&tab, "kind", "");
    set_field(&tab, "q", "SAM");
    let shown: BTreeSet<String> = visible_rows(&tab).into_iter().collect();
    for slug in works().keys().filter(|s| s.contains("sam")) {
        assert!(shown.contains(slug), "text filter `SAM` hides {slug}");
    }
    let consistent = tab.eval("Array.from(document.querySelectorAll('#compare tbody tr')).every(r => r.hidden !== (r.textContent + ' ' + r.dataset.search).toLowerCase().includes('sam'))");
    assert_eq!(
        consistent,
        Value::Bool(true),
        "the text filter shows exactly the rows containing the text"
    );
    let later = tab.flush();
    assert!(
        later.problems(site()).is_empty(),
        "{:#?}",
        later.problems(site())
    );
}
