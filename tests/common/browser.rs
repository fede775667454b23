//! A small harness for browser tests: Debian's headless `chromium` driven over the DevTools
//! protocol (crate `headless_chrome`). It opens pages of a built site from `file://`, records what
//! the browser did while loading them (console messages, uncaught exceptions, network requests,
//! failed loads) and evaluates JavaScript in them.
//!
//! ```ignore
//! mod common;
//! use common::browser::{Browser, file_url};
//!
//! let (_dir, site) = common::build_real_site();
//! let Some(browser) = Browser::launch() else { return }; // skipped (notice printed) outside CI
//! let tab = browser.tab();
//! let visit = tab.open(&file_url(&site.join("index.html")));
//! assert!(visit.problems(&site).is_empty(), "{:#?}", visit.problems(&site));
//! let links = tab.eval("document.links.length"); // serde_json::Value
//! ```
//!
//! Missing tools: when the environment variable `CI` is set, a missing browser fails the test
//! ([`missing`] panics); otherwise the test prints a notice and skips. The browser runs with a
//! fresh profile and with every background connection switched off, so that the only requests it
//! makes are the ones the pages ask for.

use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::{Emulation, Network, Page, Runtime};
use headless_chrome::protocol::cdp::types::Event;
use serde_json::Value;
use tempfile::TempDir;

/// How long a page may take to load or a script to finish.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Flags for a quiet, reproducible browser on a machine without network access.
const FLAGS: &[&str] = &[
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-domain-reliability",
    "--no-default-browser-check",
    "--no-first-run",
    "--no-pings",
    "--mute-audio",
    "--lang=en-US",
];

/// True when the environment variable `CI` is set (to anything but the empty string): missing
/// tools then fail the tests instead of skipping them.
pub fn ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

/// Reports a missing tool: panics when [`ci`] is true, otherwise prints a `SKIPPED` notice and
/// returns `None`, so a test can write `let Some(x) = find() else { return };`.
pub fn missing<T>(what: &str, why: impl Display) -> Option<T> {
    assert!(!ci(), "{what} is required when CI is set: {why} (.ci/run installs it)");
    eprintln!("SKIPPED: {what} unavailable ({why}); see README «Browser tests» or run .ci/run");
    None
}

/// The `file://` URL of a path (made absolute, percent-encoded).
pub fn file_url(path: &Path) -> String {
    let abs = std::path::absolute(path).expect("absolute path");
    url::Url::from_file_path(&abs).expect("file URL").to_string()
}

/// The path of a `file://` URL (percent-decoded; query and fragment dropped), or `None` for any
/// other scheme.
pub fn url_path(url: &str) -> Option<PathBuf> {
    let url = url::Url::parse(url).ok()?;
    (url.scheme() == "file").then(|| url.to_file_path().ok()).flatten()
}

/// A running headless Chromium with its own throw-away profile; killed when dropped.
pub struct Browser {
    inner: headless_chrome::Browser,
    _profile: TempDir,
}

impl Browser {
    /// Launches Chromium (the `CHROME` environment variable, else `chromium` and its usual other
    /// names on `PATH`). A browser that cannot be found is [`missing`]; one that is found but
    /// fails to start fails the test.
    pub fn launch() -> Option<Browser> {
        let path = match headless_chrome::browser::default_executable() {
            Ok(path) => path,
            Err(why) => return missing("chromium", why),
        };
        let profile = tempfile::tempdir().expect("profile dir");
        let flags: Vec<&std::ffi::OsStr> = FLAGS.iter().map(std::ffi::OsStr::new).collect();
        let options = headless_chrome::LaunchOptions::default_builder()
            .path(Some(path.clone()))
            .headless(true)
            .sandbox(false)
            .user_data_dir(Some(profile.path().to_path_buf()))
            .window_size(Some((1280, 900)))
            .idle_browser_timeout(Duration::from_secs(600))
            .args(flags)
            .build()
            .expect("launch options");
        let inner = headless_chrome::Browser::new(options)
            .unwrap_or_else(|e| panic!("{} did not start: {e:#}", path.display()));
        Some(Browser { inner, _profile: profile })
    }

    /// A new tab that records console messages and network requests.
    pub fn tab(&self) -> Tab {
        let inner = self.inner.new_tab().expect("new tab");
        Tab::attach(inner)
    }
}

/// One console message, browser log entry or uncaught exception.
#[derive(Debug, Clone)]
pub struct ConsoleMessage {
    /// `error`, `warning`, `info`, `log`, `debug`, `verbose`, … (`error` for an exception).
    pub level: String,
    /// Where it came from: `console`, `exception`, or the log source (`network`, `javascript`,
    /// `security`, `deprecation`, `intervention`, …).
    pub source: String,
    /// The message text.
    pub text: String,
}

impl ConsoleMessage {
    /// Errors and warnings.
    pub fn is_problem(&self) -> bool {
        matches!(self.level.as_str(), "error" | "warning" | "assert")
    }
}

/// What the browser did while loading one page.
#[derive(Debug, Clone, Default)]
pub struct Visit {
    /// The URL that was opened.
    pub url: String,
    /// Console messages, log entries and uncaught exceptions, in order.
    pub console: Vec<ConsoleMessage>,
    /// Every requested URL, the page itself included, in order.
    pub requests: Vec<String>,
    /// Requests that failed: `"<url>: <error>"`.
    pub failed: Vec<String>,
}

impl Visit {
    /// Requests that left the folder `site`: any scheme but `file:`, `data:`, `blob:` and
    /// `about:`, and `file:` URLs outside `site`.
    pub fn external_requests(&self, site: &Path) -> Vec<&str> {
        let site = std::path::absolute(site).expect("absolute site path");
        self.requests
            .iter()
            .filter(|u| !stays_in(u, &site))
            .map(String::as_str)
            .collect()
    }

    /// Console errors and warnings.
    pub fn console_problems(&self) -> Vec<&ConsoleMessage> {
        self.console.iter().filter(|m| m.is_problem()).collect()
    }

    /// Everything wrong with this visit, one line each: external requests, failed requests,
    /// console errors and warnings.
    pub fn problems(&self, site: &Path) -> Vec<String> {
        let external = self.external_requests(site).into_iter().map(|u| format!("external request {u}"));
        let failed = self.failed.iter().map(|f| format!("failed request {f}"));
        let console = self.console_problems().into_iter().map(|m| format!("console {} ({}): {}", m.level, m.source, m.text));
        external.chain(failed).chain(console).collect()
    }
}

fn stays_in(url: &str, site: &Path) -> bool {
    let scheme = url.split(':').next().unwrap_or_default();
    match scheme {
        "data" | "blob" | "about" => true,
        "file" => url_path(url).is_some_and(|p| p.starts_with(site)),
        _ => false,
    }
}

/// What the event listener collects between two [`Tab::open`] calls.
#[derive(Debug, Default)]
struct Record {
    visit: Visit,
    loaded: bool,
    markers: Vec<String>,
}

/// A browser tab whose console and network activity is recorded.
pub struct Tab {
    inner: Arc<headless_chrome::Tab>,
    record: Arc<Mutex<Record>>,
}

/// Console text that marks the end of a recording (see [`Tab::flush`]).
const MARKER: &str = "medfm-browser-test-flush";

impl Tab {
    fn attach(inner: Arc<headless_chrome::Tab>) -> Tab {
        let record = Arc::new(Mutex::new(Record::default()));
        let sink = Arc::clone(&record);
        inner
            .add_event_listener(Arc::new(move |event: &Event| on_event(&sink, event)))
            .expect("event listener");
        inner.enable_runtime().expect("Runtime.enable");
        inner.enable_log().expect("Log.enable");
        inner
            .call_method(Network::Enable {
                max_total_buffer_size: None,
                max_resource_buffer_size: None,
                max_post_data_size: None,
                report_direct_socket_traffic: None,
                enable_durable_messages: None,
            })
            .expect("Network.enable");
        inner.set_default_timeout(TIMEOUT);
        Tab { inner, record }
    }

    /// The underlying `headless_chrome` tab, for anything this harness does not wrap.
    pub fn raw(&self) -> &headless_chrome::Tab {
        &self.inner
    }

    fn record(&self) -> MutexGuard<'_, Record> {
        self.record.lock().expect("record lock")
    }

    /// Opens `url`, waits for its `load` event and returns what the browser did meanwhile.
    /// Panics when the page cannot be opened (e.g. a missing file).
    pub fn open(&self, url: &str) -> Visit {
        *self.record() = Record::default();
        self.record().visit.url = url.to_string();
        self.inner.navigate_to(url).unwrap_or_else(|e| panic!("opening {url}: {e:#}"));
        self.wait_for(&format!("load event of {url}"), |r| r.loaded);
        self.flush()
    }

    /// Returns (and clears) what was recorded since the last [`Tab::open`] or `flush`: it logs
    /// a marker to the console and waits until the marker arrives, so every event before it is in.
    pub fn flush(&self) -> Visit {
        let marker = format!("{MARKER}-{}", self.record().markers.len() + 1);
        self.eval(&format!("console.debug({marker:?})"));
        self.wait_for(&format!("console marker on {}", self.url()), |r| r.markers.contains(&marker));
        let url = self.url();
        let mut record = self.record();
        let visit = std::mem::take(&mut record.visit);
        record.visit.url = url;
        visit
    }

    fn wait_for(&self, what: &str, done: impl Fn(&Record) -> bool) {
        let start = Instant::now();
        while !done(&self.record()) {
            assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// The URL of the current page.
    pub fn url(&self) -> String {
        self.inner.get_url()
    }

    /// Evaluates `js` in the page (awaiting a returned promise) and returns its value as JSON.
    /// Panics, with the page URL, when the script throws.
    pub fn eval(&self, js: &str) -> Value {
        let result = self
            .inner
            .call_method(evaluate(js))
            .unwrap_or_else(|e| panic!("evaluating script on {}: {e:#}", self.url()));
        if let Some(ex) = result.exception_details {
            let detail = ex.exception.and_then(|e| e.description).unwrap_or(ex.text);
            panic!("script threw on {}: {detail}", self.url());
        }
        result.result.value.unwrap_or(Value::Null)
    }

    /// Sets the viewport to `width`×`height` CSS pixels; `mobile` emulates a phone (meta
    /// viewport honoured, overlay scrollbars).
    pub fn set_viewport(&self, width: u32, height: u32, mobile: bool) {
        self.inner
            .call_method(Emulation::SetDeviceMetricsOverride {
                width,
                height,
                device_scale_factor: 1.0,
                mobile,
                scale: None,
                screen_width: None,
                screen_height: None,
                position_x: None,
                position_y: None,
                dont_set_visible_size: None,
                screen_orientation: None,
                viewport: None,
                display_feature: None,
                device_posture: None,
            })
            .expect("Emulation.setDeviceMetricsOverride");
    }

    /// Emulates `prefers-color-scheme: dark` (or light).
    pub fn set_dark(&self, dark: bool) {
        let value = if dark { "dark" } else { "light" };
        let feature = Emulation::MediaFeature { name: "prefers-color-scheme".into(), value: value.into() };
        self.inner
            .call_method(Emulation::SetEmulatedMedia { media: None, features: Some(vec![feature]) })
            .expect("Emulation.setEmulatedMedia");
    }

    /// A PNG of the whole page at `width` CSS pixels (the viewport is stretched to the page's
    /// height for the shot, then set back to `width`×900).
    pub fn screenshot_full(&self, width: u32, mobile: bool) -> Vec<u8> {
        let height = self.eval("document.documentElement.scrollHeight").as_u64().unwrap_or(900);
        self.set_viewport(width, height.clamp(1, 16_000) as u32, mobile);
        let png = self
            .inner
            .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
            .expect("screenshot");
        self.set_viewport(width, 900, mobile);
        png
    }

    /// Presses and releases a key (`"Tab"`, `"Enter"`, …) as a user would.
    pub fn press_key(&self, key: &str) {
        self.inner.press_key(key).unwrap_or_else(|e| panic!("pressing {key}: {e:#}"));
    }
}

fn evaluate(js: &str) -> Runtime::Evaluate {
    Runtime::Evaluate {
        expression: js.to_string(),
        object_group: None,
        include_command_line_api: None,
        silent: None,
        context_id: None,
        return_by_value: Some(true),
        generate_preview: None,
        user_gesture: Some(true),
        await_promise: Some(true),
        throw_on_side_effect: None,
        timeout: None,
        disable_breaks: None,
        repl_mode: None,
        allow_unsafe_eval_blocked_by_csp: None,
        unique_context_id: None,
        serialization_options: None,
    }
}

fn on_event(sink: &Mutex<Record>, event: &Event) {
    let Ok(mut record) = sink.lock() else { return };
    match event {
        Event::PageLoadEventFired(_) => record.loaded = true,
        Event::NetworkRequestWillBeSent(e) => record.visit.requests.push(e.params.request.url.clone()),
        Event::NetworkLoadingFailed(e) => {
            let failed = format!("{}: {}", e.params.request_id, e.params.error_text);
            record.visit.failed.push(failed);
        }
        Event::RuntimeConsoleAPICalled(e) => on_console(&mut record, &e.params),
        Event::LogEntryAdded(e) => {
            let entry = &e.params.entry;
            let text = match &entry.url {
                Some(url) => format!("{} ({url})", entry.text),
                None => entry.text.clone(),
            };
            record.visit.console.push(ConsoleMessage { level: name(&entry.level), source: name(&entry.source), text });
        }
        Event::RuntimeExceptionThrown(e) => {
            let d = &e.params.exception_details;
            let text = d.exception.as_ref().and_then(|x| x.description.clone()).unwrap_or_else(|| d.text.clone());
            let at = format!("{}:{}", d.url.clone().unwrap_or_default(), d.line_number + 1);
            let text = format!("{text} at {at}");
            record.visit.console.push(ConsoleMessage { level: "error".into(), source: "exception".into(), text });
        }
        _ => {}
    }
}

fn on_console(record: &mut Record, params: &Runtime::events::ConsoleAPICalledEventParams) {
    let text: Vec<String> = params.args.iter().map(remote_text).collect();
    let text = text.join(" ");
    if text.starts_with(MARKER) {
        record.markers.push(text);
        return;
    }
    let level = name(&params.Type);
    record.visit.console.push(ConsoleMessage { level, source: "console".into(), text });
}

fn remote_text(o: &Runtime::RemoteObject) -> String {
    match &o.value {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => o.description.clone().unwrap_or_default(),
    }
}

/// The protocol name of a serializable enum value (`LogEntryLevel::Warning` → `warning`).
fn name(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}
