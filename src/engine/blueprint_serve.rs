//! `blueprint serve`: the blueprint's page, drawn again as soon as its sources (or the Lean
//! sources its check reads) change, served on the loopback address only, to a page that
//! reloads itself and keeps its view.
//!
//! Plain std, no new dependency: a watcher thread compares the files' sizes and modification
//! times every 25 ms for the blueprint (every 500 ms for the Lean sources, which can be
//! thousands of files) and renders again at once; a small HTTP/1.1 server answers `GET /` with
//! the page and `GET /version?after=N` once the render is no longer version N (a long poll,
//! which the page's script repeats). The project's `[[numerics]]` claims are drawn once, at
//! start, and served as `GET /numerics-DECL.svg`, linked from their nodes.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use theorist_blueprint::html::{Extras, NumericsLink, page_with, problem_page};
use theorist_blueprint::{LeanIndex, Level, check, graphs, read, roadmap};

use super::EngineError;
use super::blueprint::{lean_source_dirs, mode, source_dir};
use super::blueprint_numerics::numerics_plots;

/// How often the blueprint's files and the Lean sources are looked at.
const BLUEPRINT_POLL: Duration = Duration::from_millis(25);
const LEAN_POLL_EVERY: u32 = 20;
/// How long a `/version` request waits for a change before answering with the same version.
const LONG_POLL: Duration = Duration::from_secs(20);
/// The most a request's head may hold, and how long a client may take to send it.
const MAX_REQUEST: usize = 16 * 1024;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// What to serve.
#[derive(Debug, Clone)]
pub struct ServeRequest {
    /// The project root, the blueprint's `src` folder, or a folder with web.tex/content.tex.
    pub dir: PathBuf,
    /// The port on 127.0.0.1; 0 takes a free one.
    pub port: u16,
    /// leanblueprint 0.0.20's statuses, quirks included.
    pub compat: bool,
    /// Keep transitively redundant edges.
    pub nonreduced: bool,
}

/// One render, as the watcher made it.
#[derive(Debug, Clone)]
pub struct Render {
    pub version: u64,
    /// Problems listed in the page (errors and warnings, with file and line).
    pub problems: usize,
    /// Whether the blueprint could be drawn at all (else the page lists why not).
    pub drawn: bool,
    /// From noticing the change to the page being served.
    pub took: Duration,
    /// The Lean declarations the check read, when Lean sources were found.
    pub lean_declarations: Option<usize>,
}

/// What drawing the `[[numerics]]` claims at start gave.
#[derive(Debug, Clone, Default)]
pub struct PlotsServed {
    /// The plots served and linked from their nodes.
    pub drawn: usize,
    /// Claims without a plot (or a configuration that does not parse), one line each.
    pub notes: Vec<String>,
}

/// A running server; [`Server::wait`] blocks until it stops, [`Server::stop`] stops it.
pub struct Server {
    addr: SocketAddr,
    src: PathBuf,
    shared: Arc<Shared>,
    renders: mpsc::Receiver<Render>,
    first: Render,
    plots: PlotsServed,
    threads: Vec<JoinHandle<()>>,
}

struct Shared {
    current: Mutex<Current>,
    changed: Condvar,
    stop: AtomicBool,
    /// The claims' plots by file name (drawn once, at start).
    plots: std::collections::BTreeMap<String, String>,
}

struct Current {
    version: u64,
    html: Arc<String>,
}

/// Where the sources are and how to draw them.
struct Sources {
    src: PathBuf,
    root: PathBuf,
    lean_dirs: Vec<PathBuf>,
    compat: bool,
    nonreduced: bool,
    /// Links from nodes to the claims' plots.
    numerics: Vec<NumericsLink>,
}

/// Serves the blueprint in `request.dir` on 127.0.0.1 and keeps its page up to date.
pub fn blueprint_serve(request: &ServeRequest) -> Result<Server, EngineError> {
    let src = source_dir(&request.dir)?;
    let root = theorist_lean::Project::containing(&src)
        .map(|p| p.root)
        .unwrap_or_else(|_| request.dir.clone());
    let lean: Vec<String> = read(&src).nodes.into_iter().flat_map(|n| n.lean).collect();
    let drawn = numerics_plots(&src, &lean);
    let sources = Sources {
        lean_dirs: lean_source_dirs(&root),
        src: src.clone(),
        root,
        compat: request.compat,
        nonreduced: request.nonreduced,
        numerics: drawn.links,
    };
    let plots = PlotsServed {
        drawn: drawn.plots.len(),
        notes: drawn.notes,
    };
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, request.port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            EngineError::bad_input(format!(
                "--port {}: 127.0.0.1:{} is in use; choose another port, or 0 for a free one",
                request.port, request.port
            ))
        } else {
            EngineError::io(format!("listening on 127.0.0.1:{}", request.port))(e)
        }
    })?;
    let addr = listener
        .local_addr()
        .map_err(EngineError::io("reading the listening address"))?;

    let started = Instant::now();
    let mut lean = LeanState::default();
    lean.refresh(&sources);
    // Taken before reading, so that a change made while reading is seen.
    let seen = fingerprint(std::slice::from_ref(&sources.src), &[], None);
    // Versions count from the start time, so that a page left open across a restart of the
    // server sees a new version and reloads.
    let first_version = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(1, |d| d.as_millis() as u64);
    let (html, mut first, files) = render_guarded(&sources, lean.index.as_ref(), first_version);
    first.took = started.elapsed();
    let shared = Arc::new(Shared {
        current: Mutex::new(Current {
            version: first_version,
            html: Arc::new(html),
        }),
        changed: Condvar::new(),
        stop: AtomicBool::new(false),
        plots: drawn
            .plots
            .into_iter()
            .map(|p| (p.file_name, p.svg))
            .collect(),
    });
    let (sender, renders) = mpsc::channel();
    let watcher = {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            watch(sources, lean, files, seen, first_version, &shared, &sender)
        })
    };
    let accepter = {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || accept(listener, &shared))
    };
    Ok(Server {
        addr,
        src,
        shared,
        renders,
        first,
        plots,
        threads: vec![watcher, accepter],
    })
}

impl Server {
    /// The address served, `127.0.0.1:PORT`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The blueprint's source folder.
    pub fn src(&self) -> &Path {
        &self.src
    }

    /// The render made on starting.
    /// The `[[numerics]]` plots drawn at start.
    pub fn plots(&self) -> &PlotsServed {
        &self.plots
    }

    pub fn first_render(&self) -> &Render {
        &self.first
    }

    /// Blocks until the server stops, calling `on_render` after each new render.
    pub fn wait(mut self, mut on_render: impl FnMut(&Render)) {
        while let Ok(r) = self.renders.recv() {
            on_render(&r);
        }
        self.join();
    }

    /// Stops watching and serving (requests being answered end within a moment).
    pub fn stop(mut self) {
        self.halt();
        self.join();
    }

    fn halt(&self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.changed.notify_all();
        // Wake the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }

    fn join(&mut self) {
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.threads.is_empty() {
            self.halt();
            self.join();
        }
    }
}

/// The Lean side of the check: the index of the Lean sources, read again only when they
/// change.
#[derive(Default)]
struct LeanState {
    /// None where no Lean sources were found.
    index: Option<LeanIndex>,
    /// None before the first look.
    fingerprint: Option<Fingerprint>,
}

impl LeanState {
    /// Reads the index again when the Lean sources changed; says whether they did.
    fn refresh(&mut self, sources: &Sources) -> bool {
        let now = Some(fingerprint(&sources.lean_dirs, &[], Some("lean")));
        if now == self.fingerprint {
            return false;
        }
        let index = LeanIndex::of_dirs(&sources.root, &sources.lean_dirs);
        self.index = (index.files > 0).then_some(index);
        self.fingerprint = now;
        true
    }
}

fn watch(
    sources: Sources,
    mut lean: LeanState,
    mut files: Vec<PathBuf>,
    mut seen: Fingerprint,
    mut version: u64,
    shared: &Shared,
    renders: &mpsc::Sender<Render>,
) {
    let mut tick: u32 = 0;
    while !shared.stop.load(Ordering::SeqCst) {
        std::thread::sleep(BLUEPRINT_POLL);
        tick = tick.wrapping_add(1);
        let noticed = Instant::now();
        // The blueprint's folder and every file the last read went through (a new \input
        // outside the folder adds one: that costs one more render, then it is watched).
        let now = fingerprint(std::slice::from_ref(&sources.src), &files, None);
        let blueprint_changed = now != seen;
        let lean_changed = tick % LEAN_POLL_EVERY == 0 && lean.refresh(&sources);
        if !blueprint_changed && !lean_changed {
            continue;
        }
        seen = now;
        version += 1;
        let (html, mut r, read_files) = render_guarded(&sources, lean.index.as_ref(), version);
        files = read_files;
        {
            let mut current = shared.current.lock().unwrap_or_else(|p| p.into_inner());
            current.version = version;
            current.html = Arc::new(html);
        }
        shared.changed.notify_all();
        r.took = noticed.elapsed();
        if renders.send(r).is_err() {
            // Nobody is listening for renders any more; keep serving all the same.
        }
    }
}

/// [`render`], or, should drawing panic (a bug: the reader is built not to), a page that says
/// so, and the server goes on watching.
fn render_guarded(
    sources: &Sources,
    lean: Option<&LeanIndex>,
    version: u64,
) -> (String, Render, Vec<PathBuf>) {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        render(sources, lean, version)
    }))
    .unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let problems = vec![format!(
            "{}: theorist failed drawing this blueprint (a bug; please report it): {why}",
            sources.src.display()
        )];
        let r = Render {
            version,
            problems: 1,
            drawn: false,
            took: Duration::ZERO,
            lean_declarations: lean.map(|i| i.decls.len()),
        };
        let html = problem_page("Blueprint roadmap", &problems, Some(version));
        (html, r, Vec::new())
    })
}

/// The page for the sources as they are now, what it shows, and the files read.
fn render(
    sources: &Sources,
    lean: Option<&LeanIndex>,
    version: u64,
) -> (String, Render, Vec<PathBuf>) {
    let mut bp = read(&sources.src);
    bp.options.nonreduced |= sources.nonreduced;
    let title = bp
        .options
        .title
        .clone()
        .unwrap_or_else(|| "Blueprint roadmap".to_string());
    let shown = |f: &theorist_blueprint::Finding| f.level >= Level::Warning;
    let mut r = Render {
        version,
        problems: 0,
        drawn: false,
        took: Duration::ZERO,
        lean_declarations: lean.map(|i| i.decls.len()),
    };
    let mode = mode(sources.compat);
    let all = graphs(&bp, mode);
    if bp.nodes.is_empty() || all.is_empty() {
        let why = if bp.nodes.is_empty() {
            format!("{}: the blueprint has no nodes", sources.src.display())
        } else {
            format!(
                "{}: dep_by={} but the blueprint has no such unit, so there is no graph",
                sources.src.display(),
                bp.options.dep_by.as_deref().unwrap_or("")
            )
        };
        let mut problems = vec![why];
        problems.extend(
            bp.findings
                .iter()
                .filter(|f| shown(f))
                .map(|f| f.to_string()),
        );
        r.problems = problems.len();
        let html = problem_page(&title, &problems, Some(version));
        return (html, r, bp.files);
    }
    let findings: Vec<_> = match lean {
        Some(index) => check(&bp, index, None),
        None => bp.findings.clone(),
    }
    .into_iter()
    .filter(|f| shown(f))
    .collect();
    r.problems = findings.len();
    r.drawn = true;
    let plan = roadmap(&bp, mode);
    let extras = Extras {
        findings: Some(findings),
        live_version: Some(version),
        numerics: sources.numerics.clone(),
    };
    let html = page_with(&bp, &all, &plan, mode, &extras);
    (html, r, bp.files)
}

/// Sizes and modification times of the files under `dirs` (with extension `ext`, or all) and
/// of `files`, in one order; a file that cannot be read counts as absent.
type Fingerprint = Vec<(PathBuf, u64, Option<SystemTime>)>;

fn fingerprint(dirs: &[PathBuf], files: &[PathBuf], ext: Option<&str>) -> Fingerprint {
    let mut out: Fingerprint = Vec::new();
    let mut stack: Vec<PathBuf> = dirs.to_vec();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                if name != "target" {
                    stack.push(e.path());
                }
            } else if ext.is_none_or(|x| name.ends_with(&format!(".{x}"))) {
                out.push(stamp(e.path()));
            }
        }
    }
    out.extend(files.iter().map(|f| stamp(f.clone())));
    out.sort();
    out.dedup();
    out
}

fn stamp(path: PathBuf) -> (PathBuf, u64, Option<SystemTime>) {
    match std::fs::metadata(&path) {
        Ok(m) => (path, m.len(), m.modified().ok()),
        Err(_) => (path, u64::MAX, None),
    }
}

fn accept(listener: TcpListener, shared: &Arc<Shared>) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(stream) = stream else { continue };
        let shared = Arc::clone(shared);
        std::thread::spawn(move || {
            let _ = answer(stream, &shared);
        });
    }
}

/// Answers one request and closes the connection.
fn answer(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    stream.set_read_timeout(Some(REQUEST_TIMEOUT))?;
    stream.set_write_timeout(Some(REQUEST_TIMEOUT))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
        if head.len() > MAX_REQUEST {
            return respond(
                &mut stream,
                "431 Request Header Fields Too Large",
                "text/plain",
                b"too large\n",
            );
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.lines().next().unwrap_or("").split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    if method != "GET" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n",
        );
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    match path {
        "/" | "/index.html" => {
            let html = Arc::clone(
                &shared
                    .current
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .html,
            );
            respond(
                &mut stream,
                "200 OK",
                "text/html; charset=utf-8",
                html.as_bytes(),
            )
        }
        "/version" => {
            let after = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("after="))
                .and_then(|v| v.parse::<u64>().ok());
            let version = wait_for_change(shared, after);
            respond(
                &mut stream,
                "200 OK",
                "text/plain",
                format!("{version}\n").as_bytes(),
            )
        }
        _ => match shared
            .plots
            .get(percent_decode(path).trim_start_matches('/'))
        {
            Some(svg) => respond(&mut stream, "200 OK", "image/svg+xml", svg.as_bytes()),
            None => respond(&mut stream, "404 Not Found", "text/plain", b"not found\n"),
        },
    }
}

/// A request path with its `%XX` escapes decoded (browsers escape the plots' non-ASCII names);
/// a malformed escape is kept as written.
fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The current version once it differs from `after` (at once without `after`), or after
/// [`LONG_POLL`] or on stopping, whichever comes first.
fn wait_for_change(shared: &Shared, after: Option<u64>) -> u64 {
    let deadline = Instant::now() + LONG_POLL;
    let mut current = shared.current.lock().unwrap_or_else(|p| p.into_inner());
    while Some(current.version) == after && !shared.stop.load(Ordering::SeqCst) {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        current = shared
            .changed
            .wait_timeout(current, left)
            .unwrap_or_else(|p| p.into_inner())
            .0;
    }
    current.version
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::percent_decode;

    #[test]
    fn request_paths_are_percent_decoded() {
        assert_eq!(
            percent_decode("/numerics-bound_of_%F0%9D%93%B5_pos.svg"),
            "/numerics-bound_of_𝓵_pos.svg"
        );
        assert_eq!(percent_decode("/a%2"), "/a%2");
        assert_eq!(percent_decode("/a%zz"), "/a%zz");
    }
}
