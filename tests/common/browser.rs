//! A small harness for browser tests: Debian's headless `chromium` driven over the DevTools
//! protocol (crate `chromiumoxide`). It opens pages of a built site from `file://`, records what
//! the browser did while loading them (console messages, uncaught exceptions, network requests,
//! failed loads) and evaluates JavaScript in them. The API is blocking: the async client runs on
//! a small Tokio runtime owned by the [`Browser`].
//!
//! ```ignore
//! mod common;
//! use common::browser::{file_url, Browser};
//!
//! let (_dir, site) = common::build_real_site();
//! let Some(browser) = Browser::launch() else { return }; // skipped (notice printed) outside CI
//! let tab = browser.tab();
//! let visit = tab.open(&file_url(&site.join("index.html")));
//! assert!(visit.problems(&site).is_empty(), "{:#?}", visit.problems(&site));
//! let links = tab.eval("document.links.length"); // serde_json::Value
//! tab.eval("document.querySelector('input').value = 'sam'");
//! let later = tab.flush(); // what happened since `open`
//! ```
//!
//! Missing tools: a test that needs one carries `#[cfg_attr(medfm_no_chromium, ignore = …)]`
//! (see `build.rs`), so without it the test is reported as ignored. When it runs anyway (with
//! `--include-ignored`, or a tool vanished since the build), [`missing`] skips it with a notice,
//! or fails it when the environment variable `CI` is set. The browser runs with a
//! fresh profile and with background connections switched off, so the only requests it makes are
//! the ones the pages ask for.

use std::collections::HashMap;
use std::fmt::Display;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use chromiumoxide::cdp::browser_protocol::emulation::{
    MediaFeature, SetDeviceMetricsOverrideParams, SetEmulatedMediaParams,
    SetScriptExecutionDisabledParams,
};
use chromiumoxide::cdp::browser_protocol::input::{
    DispatchKeyEventParams, DispatchKeyEventType, InsertTextParams,
};
use chromiumoxide::cdp::browser_protocol::log::EventEntryAdded;
use chromiumoxide::cdp::browser_protocol::network::{
    self, EventLoadingFailed, EventRequestWillBeSent,
};
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::cdp::js_protocol::runtime::{
    EvaluateParams, EventConsoleApiCalled, EventExceptionThrown, RemoteObject,
};
use chromiumoxide::listeners::EventStream;
use chromiumoxide::page::ScreenshotParams;
use futures::{FutureExt, StreamExt};
use serde_json::Value;
use tempfile::TempDir;
use tokio::runtime::Runtime;

/// How long a page may take to load, or a script to finish.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Flags for a quiet, reproducible browser on a machine without network access.
const FLAGS: &[&str] = &[
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-domain-reliability",
    "--disable-gpu",
    "--no-default-browser-check",
    "--no-first-run",
    "--no-pings",
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
    assert!(
        !ci(),
        "{what} is required when CI is set: {why}; .ci/run installs it"
    );
    eprintln!("SKIPPED: {what} unavailable ({why}); see docs/guide/content/chapters/testing.md «Browser tests» or run .ci/run");
    None
}

/// The `file://` URL of a path (made absolute, percent-encoded).
pub fn file_url(path: &Path) -> String {
    let abs = std::path::absolute(path).expect("absolute path");
    url::Url::from_file_path(&abs)
        .expect("file URL")
        .to_string()
}

/// The path of a `file://` URL (percent-decoded; query and fragment dropped), or `None` for any
/// other scheme.
pub fn url_path(url: &str) -> Option<PathBuf> {
    let url = url::Url::parse(url).ok()?;
    (url.scheme() == "file")
        .then(|| url.to_file_path().ok())
        .flatten()
}

/// The Chromium executable: `$CHROME`, else the first of `chromium`, `chromium-browser`,
/// `google-chrome` on `PATH`; or why there is none.
pub fn chromium_path() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("CHROME").map(PathBuf::from) {
        if path.is_file() {
            return Ok(path);
        }
        return Err(format!("$CHROME: no file {}", path.display()));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| dirs.iter().map(move |d| d.join(name)))
        .find(|p| p.is_file())
        .ok_or_else(|| "no chromium, chromium-browser or google-chrome on PATH".to_string())
}

/// A running headless Chromium with its own throw-away profile; closed when dropped.
pub struct Browser {
    rt: Arc<Runtime>,
    inner: chromiumoxide::Browser,
    _profile: TempDir,
}

impl Browser {
    /// Launches Chromium (see [`chromium_path`]). A browser that cannot be found is
    /// [`missing`]; one that is found but fails to start fails the test.
    pub fn launch() -> Option<Browser> {
        let path = match chromium_path() {
            Ok(path) => path,
            Err(why) => return missing("chromium", why),
        };
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime");
        let profile = tempfile::tempdir().expect("profile dir");
        let config = chromiumoxide::BrowserConfig::builder()
            .chrome_executable(&path)
            .no_sandbox()
            .new_headless_mode()
            .user_data_dir(profile.path())
            .window_size(1280, 900)
            .viewport(None)
            .request_timeout(TIMEOUT)
            .args(FLAGS.iter().copied())
            .build()
            .expect("browser config");
        let inner = rt.block_on(async {
            let (browser, mut handler) = chromiumoxide::Browser::launch(config).await?;
            tokio::spawn(async move { while handler.next().await.is_some() {} });
            Ok::<_, chromiumoxide::error::CdpError>(browser)
        });
        let inner = inner.unwrap_or_else(|e| panic!("{} did not start: {e}", path.display()));
        Some(Browser {
            rt: Arc::new(rt),
            inner,
            _profile: profile,
        })
    }

    /// A new tab (on `about:blank`, 1280×900) that records console messages and network requests.
    pub fn tab(&self) -> Tab {
        let page = self
            .rt
            .block_on(self.inner.new_page("about:blank"))
            .expect("new tab");
        let record: Shared = Arc::default();
        self.rt
            .block_on(listen(&page, &record))
            .expect("event listeners");
        let tab = Tab {
            rt: Arc::clone(&self.rt),
            page,
            record,
            flushes: Default::default(),
        };
        tab.set_viewport(1280, 900, false);
        tab
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.rt.block_on(async {
            let closed = tokio::time::timeout(Duration::from_secs(5), self.inner.close()).await;
            if !matches!(closed, Ok(Ok(_))) {
                self.inner.kill().await;
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), self.inner.wait()).await;
        });
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
    /// Errors and warnings (failed `console.assert`s included).
    pub fn is_problem(&self) -> bool {
        matches!(self.level.as_str(), "error" | "warning" | "assert")
    }
}

/// What the browser did while loading one page (or since the last [`Tab::flush`]).
#[derive(Debug, Clone, Default)]
pub struct Visit {
    /// The URL that was opened.
    pub url: String,
    /// Console messages, log entries and uncaught exceptions.
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

    /// Everything wrong with this visit, one line each: requests that left `site`, failed
    /// requests, console errors and warnings.
    pub fn problems(&self, site: &Path) -> Vec<String> {
        let external = self
            .external_requests(site)
            .into_iter()
            .map(|u| format!("external request {u}"));
        let failed = self.failed.iter().map(|f| format!("failed request {f}"));
        let console = self.console_problems().into_iter().map(ToString::to_string);
        external.chain(failed).chain(console).collect()
    }
}

impl Display for ConsoleMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "console {} ({}): {}", self.level, self.source, self.text)
    }
}

fn stays_in(url: &str, site: &Path) -> bool {
    match url.split(':').next().unwrap_or_default() {
        "data" | "blob" | "about" => true,
        "file" => url_path(url).is_some_and(|p| p.starts_with(site)),
        _ => false,
    }
}

/// What the event listeners collected since the last flush.
#[derive(Debug, Default)]
struct Record {
    visit: Visit,
    markers: Vec<String>,
    request_urls: HashMap<String, String>,
}

type Shared = Arc<Mutex<Record>>;

/// Console text that marks the end of a recording (see [`Tab::flush`]).
const MARKER: &str = "medfm-browser-test-flush";

/// A browser tab whose console and network activity is recorded.
pub struct Tab {
    rt: Arc<Runtime>,
    page: chromiumoxide::Page,
    record: Shared,
    flushes: std::cell::Cell<u64>,
}

impl Tab {
    /// The underlying `chromiumoxide` page, for anything this harness does not wrap; run its
    /// async calls with [`Tab::block_on`].
    pub fn raw(&self) -> &chromiumoxide::Page {
        &self.page
    }

    /// Runs a future of the async client to completion.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }

    fn record(&self) -> MutexGuard<'_, Record> {
        self.record.lock().expect("record lock")
    }

    /// Opens `url`, waits for its `load` event and returns what the browser did meanwhile.
    /// Panics when the page cannot be opened (a missing file, say).
    pub fn open(&self, url: &str) -> Visit {
        *self.record() = Record::default();
        self.record().visit.url = url.to_string();
        self.block_on(self.page.goto(url))
            .unwrap_or_else(|e| panic!("opening {url}: {e}"));
        self.flush()
    }

    /// Returns (and clears) what was recorded since the last [`Tab::open`] or `flush`. It logs a
    /// marker to the console and waits for it, so every event before it is in.
    pub fn flush(&self) -> Visit {
        self.flushes.set(self.flushes.get() + 1);
        let marker = format!("{MARKER}-{}", self.flushes.get());
        self.eval(&format!("console.debug({marker:?})"));
        let start = Instant::now();
        while !self.record().markers.contains(&marker) {
            assert!(
                start.elapsed() < TIMEOUT,
                "timed out waiting for the console on {}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        let mut record = self.record();
        let url = record.visit.url.clone();
        let visit = std::mem::take(&mut record.visit);
        record.visit.url = url;
        visit
    }

    /// The URL of the current page.
    pub fn url(&self) -> String {
        self.block_on(self.page.url())
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Evaluates `js` in the page (awaiting a returned promise) and returns its value as JSON
    /// (`null` for `undefined`). Panics, naming the page, when the script throws.
    pub fn eval(&self, js: &str) -> Value {
        let params = EvaluateParams::builder()
            .expression(js)
            .return_by_value(true)
            .await_promise(true)
            .user_gesture(true)
            .build()
            .expect("evaluate params");
        let reply = self
            .block_on(self.page.execute(params))
            .unwrap_or_else(|e| panic!("evaluating a script on {}: {e}", self.url()));
        if let Some(ex) = &reply.result.exception_details {
            let detail = ex.exception.as_ref().and_then(|e| e.description.clone());
            panic!(
                "script threw on {}: {}",
                self.url(),
                detail.unwrap_or_else(|| ex.text.clone())
            );
        }
        reply.result.result.value.unwrap_or(Value::Null)
    }

    /// Sets the viewport to `width`×`height` CSS pixels at scale 1; `mobile` emulates a phone
    /// (the meta viewport is honoured, scrollbars overlay).
    pub fn set_viewport(&self, width: u32, height: u32, mobile: bool) {
        let params =
            SetDeviceMetricsOverrideParams::new(i64::from(width), i64::from(height), 1.0, mobile);
        self.block_on(self.page.execute(params))
            .expect("Emulation.setDeviceMetricsOverride");
    }

    /// Emulates `prefers-color-scheme: dark` (or `light`).
    pub fn set_dark(&self, dark: bool) {
        let value = if dark { "dark" } else { "light" };
        let feature = MediaFeature::new("prefers-color-scheme", value);
        let params = SetEmulatedMediaParams::builder().feature(feature).build();
        self.block_on(self.page.execute(params))
            .expect("Emulation.setEmulatedMedia");
    }

    /// Switches the page's own scripts off (or back on), as a reader who disabled JavaScript;
    /// [`Tab::eval`] still works, it runs from the DevTools side.
    pub fn set_scripts(&self, enabled: bool) {
        let params = SetScriptExecutionDisabledParams::new(!enabled);
        self.block_on(self.page.execute(params))
            .expect("Emulation.setScriptExecutionDisabled");
    }

    /// A PNG of the whole page, beyond the viewport.
    pub fn screenshot_full(&self) -> Vec<u8> {
        let params = ScreenshotParams::builder()
            .format(CaptureScreenshotFormat::Png)
            .full_page(true)
            .build();
        self.block_on(self.page.screenshot(params))
            .expect("screenshot")
    }

    /// Presses and releases the Tab key (with Shift when `back`), as a keyboard user would.
    pub fn press_tab(&self, back: bool) {
        self.press_key("Tab", back);
    }

    /// Presses and releases a key, with Shift when `shift`: `Tab`, `Enter`, `Escape`,
    /// `Backspace`, `ArrowUp`/`Down`/`Left`/`Right`, `Home`, `End`, or one printable character
    /// (`"/"`, `"a"`, …). Panics on other names.
    pub fn press_key(&self, key: &str, shift: bool) {
        let (code, vk, text) = key_definition(key);
        let modifiers = if shift { 8 } else { 0 };
        for kind in [DispatchKeyEventType::KeyDown, DispatchKeyEventType::KeyUp] {
            let mut params = DispatchKeyEventParams::builder()
                .r#type(kind.clone())
                .modifiers(modifiers)
                .key(key)
                .code(code.clone())
                .windows_virtual_key_code(vk)
                .native_virtual_key_code(vk);
            if let (DispatchKeyEventType::KeyDown, Some(text)) = (&kind, &text) {
                params = params.text(text.clone()).unmodified_text(text.clone());
            }
            let params = params.build().expect("key event");
            self.block_on(self.page.execute(params))
                .expect("Input.dispatchKeyEvent");
        }
    }

    /// Types `text` into the focused element (like an input method: one `input` event).
    pub fn type_text(&self, text: &str) {
        let params = InsertTextParams::new(text);
        self.block_on(self.page.execute(params))
            .expect("Input.insertText");
    }
}

/// `(code, virtual key code, text)` of a key for [`Tab::press_key`].
fn key_definition(key: &str) -> (String, i64, Option<String>) {
    let named =
        |code: &str, vk: i64, text: Option<&str>| (code.to_string(), vk, text.map(String::from));
    match key {
        "Tab" => named("Tab", 9, None),
        "Enter" => named("Enter", 13, Some("\r")),
        "Escape" => named("Escape", 27, None),
        "Backspace" => named("Backspace", 8, None),
        "ArrowLeft" => named("ArrowLeft", 37, None),
        "ArrowUp" => named("ArrowUp", 38, None),
        "ArrowRight" => named("ArrowRight", 39, None),
        "ArrowDown" => named("ArrowDown", 40, None),
        "Home" => named("Home", 36, None),
        "End" => named("End", 35, None),
        "/" => named("Slash", 191, Some("/")),
        " " => named("Space", 32, Some(" ")),
        _ => {
            let c = key
                .chars()
                .next()
                .filter(|c| key.chars().count() == 1 && c.is_ascii_alphanumeric());
            let c = c.unwrap_or_else(|| panic!("press_key: unknown key {key:?}"));
            let upper = c.to_ascii_uppercase();
            let code = if c.is_ascii_digit() {
                format!("Digit{c}")
            } else {
                format!("Key{upper}")
            };
            (code, upper as i64, Some(key.to_string()))
        }
    }
}

/// One recorded event.
enum Ev {
    Request(Arc<EventRequestWillBeSent>),
    Failed(Arc<EventLoadingFailed>),
    Console(Arc<EventConsoleApiCalled>),
    Log(Arc<EventEntryAdded>),
    Exception(Arc<EventExceptionThrown>),
}

/// The event streams of one tab. The browser delivers a tab's events in order, but each kind
/// arrives on its own stream; [`Streams::drain`] collects what the other streams already hold.
struct Streams {
    requests: EventStream<EventRequestWillBeSent>,
    failures: EventStream<EventLoadingFailed>,
    console: EventStream<EventConsoleApiCalled>,
    log: EventStream<EventEntryAdded>,
    exceptions: EventStream<EventExceptionThrown>,
}

impl Streams {
    async fn next(&mut self) -> Option<Ev> {
        tokio::select! {
            Some(e) = self.requests.next() => Some(Ev::Request(e)),
            Some(e) = self.failures.next() => Some(Ev::Failed(e)),
            Some(e) = self.console.next() => Some(Ev::Console(e)),
            Some(e) = self.log.next() => Some(Ev::Log(e)),
            Some(e) = self.exceptions.next() => Some(Ev::Exception(e)),
            else => None,
        }
    }

    /// Events already waiting on the streams other than the console's.
    fn drain(&mut self) -> Vec<Ev> {
        let mut out = Vec::new();
        while let Some(Some(e)) = self.requests.next().now_or_never() {
            out.push(Ev::Request(e));
        }
        while let Some(Some(e)) = self.failures.next().now_or_never() {
            out.push(Ev::Failed(e));
        }
        while let Some(Some(e)) = self.log.next().now_or_never() {
            out.push(Ev::Log(e));
        }
        while let Some(Some(e)) = self.exceptions.next().now_or_never() {
            out.push(Ev::Exception(e));
        }
        out
    }
}

async fn listen(page: &chromiumoxide::Page, record: &Shared) -> chromiumoxide::Result<()> {
    let mut streams = Streams {
        requests: page.event_listener().await?,
        failures: page.event_listener().await?,
        console: page.event_listener().await?,
        log: page.event_listener().await?,
        exceptions: page.event_listener().await?,
    };
    page.enable_runtime().await?;
    page.enable_log().await?;
    page.execute(network::EnableParams::default()).await?;
    let sink = Arc::clone(record);
    tokio::spawn(async move {
        while let Some(ev) = streams.next().await {
            let earlier = if marker(&ev).is_some() {
                streams.drain()
            } else {
                Vec::new()
            };
            let Ok(mut record) = sink.lock() else { return };
            for e in earlier.into_iter().chain([ev]) {
                apply(&mut record, e);
            }
        }
    });
    Ok(())
}

fn marker(ev: &Ev) -> Option<String> {
    let Ev::Console(e) = ev else { return None };
    let text = console_text(&e.args);
    text.starts_with(MARKER).then_some(text)
}

fn apply(record: &mut Record, ev: Ev) {
    if let Some(m) = marker(&ev) {
        record.markers.push(m);
        return;
    }
    let message = match ev {
        Ev::Request(e) => {
            record
                .request_urls
                .insert(e.request_id.inner().clone(), e.request.url.clone());
            record.visit.requests.push(e.request.url.clone());
            return;
        }
        Ev::Failed(e) => {
            let url = record
                .request_urls
                .get(e.request_id.inner())
                .cloned()
                .unwrap_or_default();
            record.visit.failed.push(format!("{url}: {}", e.error_text));
            return;
        }
        Ev::Console(e) => ConsoleMessage {
            level: name(&e.r#type),
            source: "console".into(),
            text: console_text(&e.args),
        },
        Ev::Log(e) => log_message(&e.entry),
        Ev::Exception(e) => exception_message(&e),
    };
    record.visit.console.push(message);
}

fn log_message(entry: &chromiumoxide::cdp::browser_protocol::log::LogEntry) -> ConsoleMessage {
    let text = match &entry.url {
        Some(url) => format!("{} ({url})", entry.text),
        None => entry.text.clone(),
    };
    ConsoleMessage {
        level: name(&entry.level),
        source: name(&entry.source),
        text,
    }
}

fn exception_message(e: &EventExceptionThrown) -> ConsoleMessage {
    let d = &e.exception_details;
    let what = d
        .exception
        .as_ref()
        .and_then(|x| x.description.clone())
        .unwrap_or_else(|| d.text.clone());
    let at = format!(
        "{}:{}",
        d.url.clone().unwrap_or_default(),
        d.line_number + 1
    );
    ConsoleMessage {
        level: "error".into(),
        source: "exception".into(),
        text: format!("{what} at {at}"),
    }
}

fn console_text(args: &[RemoteObject]) -> String {
    let parts: Vec<String> = args
        .iter()
        .map(|o| match &o.value {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => o.description.clone().unwrap_or_default(),
        })
        .collect();
    parts.join(" ")
}

/// The protocol name of a serializable enum value (`LogEntryLevel::Warning` → `warning`).
fn name(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => s,
        other => format!("{other:?}"),
    }
}
