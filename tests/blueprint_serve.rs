//! `theorist blueprint serve` end to end, on a temporary blueprint with Lean sources beside it:
//! the page is served on 127.0.0.1, an edit shows in it, a LaTeX error appears in it with its
//! file and line and clears when fixed, a Lean declaration renamed away shows as a check
//! finding, and a blueprint emptied of nodes gets a page that says so. Every wait is bounded;
//! the server is killed when the test ends, passed or not.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

mod support;

mod browser;

/// How long any one step may take on a loaded machine before the test gives up.
const STEP: Duration = Duration::from_secs(90);

/// Kills the server when the test ends, however it ends.
struct Served {
    child: Child,
    addr: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Served {
    fn start(dir: &Path) -> Served {
        let mut child = support::theorist_process()
            .args(["blueprint", "serve"])
            .arg(dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        // The first line names the address; read it on a thread so that a silent server
        // cannot hang the test.
        let (send, receive) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = send.send(line);
        });
        let mut served = Served {
            child,
            addr: String::new(),
        };
        let line = receive.recv_timeout(STEP).expect("the server said nothing");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        served.addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        served
    }

    /// (status line, body) of a GET.
    fn get(&self, path: &str) -> (String, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(STEP)).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr).unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP response");
        (head.lines().next().unwrap().to_string(), body.to_string())
    }

    fn page(&self) -> String {
        let (status, body) = self.get("/");
        assert!(status.ends_with("200 OK"), "{status}");
        body
    }

    fn version(&self, after: Option<u64>) -> u64 {
        let path = match after {
            Some(v) => format!("/version?after={v}"),
            None => "/version".to_string(),
        };
        self.get(&path).1.trim().parse().unwrap()
    }

    /// Waits (long-polling, as the page does) until the page satisfies `want`.
    fn until(&self, what: &str, want: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + STEP;
        let mut version = self.version(None);
        loop {
            let page = self.page();
            if want(&page) {
                return page;
            }
            assert!(
                Instant::now() < deadline,
                "{what}: not seen; page: {page:.2000}"
            );
            version = self.version(Some(version));
        }
    }
}

/// The problems the page lists; empty for a page without the list (the "could not be drawn"
/// page, which the server may draw between a file's truncation and its new text: the test
/// writes files the way editors without atomic saves do).
fn problems(page: &str) -> String {
    let Some(at) = page.find("\"problems\":") else {
        return String::new();
    };
    let rest = &page[at..];
    rest[..rest.find(']').map_or(rest.len(), |i| i + 1)].to_string()
}

const CONTENT: &str = "\\chapter{Demo}\n\n\\begin{lemma}\\label{lem:first}\\lean{Demo.first}\\leanok\n  One is one.\n\\end{lemma}\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("lakefile.lean"),
        "import Lake\nopen Lake DSL\n\npackage demo\n\n@[default_target]\nlean_lib Demo\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("Demo")).unwrap();
    std::fs::write(
        root.join("Demo/Basic.lean"),
        "namespace Demo\n\ntheorem first : 1 = 1 := rfl\n\nend Demo\n",
    )
    .unwrap();
    let src = root.join("blueprint/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        src.join("web.tex"),
        "\\documentclass{report}\n\\usepackage[dep_graph]{blueprint}\n\\begin{document}\n\\input{content}\n\\end{document}\n",
    )
    .unwrap();
    std::fs::write(src.join("content.tex"), CONTENT).unwrap();
    dir
}

#[test]
fn the_page_follows_the_sources_and_shows_errors_until_they_are_fixed() {
    let dir = project();
    let content = dir.path().join("blueprint/src/content.tex");
    let lean = dir.path().join("Demo/Basic.lean");
    let server = Served::start(dir.path());
    assert!(
        server.addr.starts_with("127.0.0.1:"),
        "loopback only: {}",
        server.addr
    );

    let page = server.page();
    assert!(page.contains("data-id=\"lem:first\""), "{page:.600}");
    assert!(page.contains("id=\"live\""), "the page reloads itself");
    assert_eq!(problems(&page), "\"problems\":[]");
    assert_eq!(server.get("/elsewhere").0, "HTTP/1.1 404 Not Found");
    // The served page's scripts run (its reload script, away from the server, says it lost
    // the server and keeps trying), and the page still passes its own self-test.
    if let Some(chromium) = browser::chromium() {
        let copy = dir.path().join("served.html");
        std::fs::write(&copy, &page).unwrap();
        let (dom, log) = browser::load(&chromium, &copy, "?selftest=1");
        assert!(
            dom.contains("data-live=\"disconnected\""),
            "{dom:.400}\n{log:.400}"
        );
        assert!(dom.contains("data-selftest=\"ok "), "{dom:.800}");
        assert!(!dom.contains("data-errors"), "script errors: {dom:.600}");
    }

    // An edit: a new lemma appears.
    let grown = format!(
        "{CONTENT}\n\\begin{{lemma}}\\label{{lem:second}}\\uses{{lem:first}}\n  Two is two.\n\\end{{lemma}}\n"
    );
    std::fs::write(&content, &grown).unwrap();
    server.until("the new lemma", |p| p.contains("data-id=\"lem:second\""));

    // A LaTeX error shows with its file and line, and the rest is still drawn.
    std::fs::write(
        &content,
        format!("{grown}\\begin{{theorem}}\\label{{thm:open}}\n  Never closed.\n"),
    )
    .unwrap();
    let page = server.until("the error", |p| problems(p).contains("content.tex:"));
    let listed = problems(&page);
    assert!(
        listed.contains("content.tex:10: error: ") && listed.contains("never closed"),
        "{listed}"
    );
    assert!(page.contains("data-id=\"lem:second\""));

    // Fixed: the error clears.
    std::fs::write(&content, &grown).unwrap();
    server.until("the error cleared", |p| problems(p) == "\"problems\":[]");

    // The Lean side: the declaration renamed away is a check finding, until it is back.
    std::fs::write(
        &lean,
        "namespace Demo\n\ntheorem renamed : 1 = 1 := rfl\n\nend Demo\n",
    )
    .unwrap();
    let page = server.until("the Lean finding", |p| {
        problems(p).contains("no Lean declaration")
    });
    assert!(
        problems(&page).contains("content.tex:3: error: `lem:first`"),
        "{}",
        problems(&page)
    );
    std::fs::write(
        &lean,
        "namespace Demo\n\ntheorem first : 1 = 1 := rfl\n\nend Demo\n",
    )
    .unwrap();
    server.until("the Lean finding cleared", |p| {
        problems(p) == "\"problems\":[]"
    });

    // No nodes at all: a page that says so, and the graph again once they are back.
    std::fs::write(&content, "\\chapter{Demo}\n").unwrap();
    server.until("the empty blueprint", |p| {
        p.contains("could not be drawn") && p.contains("the blueprint has no nodes")
    });
    std::fs::write(&content, &grown).unwrap();
    server.until("the graph again", |p| p.contains("data-id=\"lem:second\""));
}

#[test]
fn no_blueprint_or_a_busy_port_is_bad_input() {
    let empty = tempfile::tempdir().unwrap();
    let out = support::theorist()
        .args(["blueprint", "serve"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no blueprint here"));

    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let dir = project();
    let out = support::theorist()
        .args(["blueprint", "serve", "--port", &port])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is in use"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_numerics_claims_plots_are_served_and_linked_from_their_nodes() {
    let dir = project();
    std::fs::write(
        dir.path().join("Demo/Bound.lean"),
        "import Mathlib\n\nnamespace Demo\n\ntheorem first (x : ℝ) : 0 ≤ (x - 1) ^ 2 := by\n  positivity\n\nend Demo\n",
    )
    .unwrap();
    std::fs::remove_file(dir.path().join("Demo/Basic.lean")).unwrap();
    std::fs::write(
        dir.path().join("theorist.toml"),
        "[[numerics]]\nclaim = \"Demo/Bound.lean:first\"\nexpect = \"proved\"\n",
    )
    .unwrap();
    let server = Served::start(dir.path());
    let page = server.page();
    assert!(
        page.contains("<a href=\"numerics-Demo.first.svg\" data-node=\"lem:first\">"),
        "{:.2000}",
        page.split("id=\"side\"").nth(1).unwrap_or(&page)
    );
    let (status, svg) = server.get("/numerics-Demo.first.svg");
    assert!(status.ends_with("200 OK"), "{status}");
    assert!(svg.starts_with("<svg"), "{svg:.200}");
    assert_eq!(
        server.get("/numerics-Demo.other.svg").0,
        "HTTP/1.1 404 Not Found"
    );
}
