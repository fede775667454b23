//! The default templates of the files medfm generates besides the pages — the Atom feeds,
//! `sitemap.xml` and `robots.txt` — embedded in the binary. A site replaces one by putting a
//! template of the same name in its `templates/` folder; their contexts are made in
//! [`crate::outputs::feeds`].

/// The Atom feed of one language.
pub(crate) const ATOM: &str = "atom.xml";
/// The sitemap.
pub(crate) const SITEMAP: &str = "sitemap.xml";
/// `robots.txt`.
pub(crate) const ROBOTS: &str = "robots.txt";

/// Every default template: (name, text).
pub(crate) const DEFAULTS: [(&str, &str); 3] = [
    (ATOM, include_str!("defaults/atom.xml")),
    (SITEMAP, include_str!("defaults/sitemap.xml")),
    (ROBOTS, include_str!("defaults/robots.txt")),
];
