//! Site-relative URLs: every link between pages is relative (the site works from `file://`), so
//! a page reaches the site root through `../` once per folder it is in.

/// `../` repeated once per folder in `url` (a site-root-relative file path).
pub(crate) fn root_for(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// `base_url` (absolute, as configured) joined with a site-root-relative path.
pub(crate) fn absolute(base_url: &str, rel: &str) -> String {
    format!("{}/{rel}", base_url.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_absolute_urls() {
        assert_eq!(root_for("index.html"), "");
        assert_eq!(root_for("en/models/x.html"), "../../");
        assert_eq!(
            absolute("https://a.org/", "en/x.html"),
            "https://a.org/en/x.html"
        );
    }
}
