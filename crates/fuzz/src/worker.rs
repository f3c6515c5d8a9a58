//! The fuzzing loop of one worker process. Before each execution the input is written to the
//! state file (one `pwrite`, with the counters in front), so that when the process dies — a
//! stack overflow, an abort, the memory cap — the supervisor still knows which input did it.
//! A panic is caught in place (the panic hook records where), saved, and fuzzing goes on; an
//! input that runs past the time budget is a hang: the watchdog thread ends the process with
//! [`HANG_EXIT`], since the stuck thread cannot be stopped from outside.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::mutate::Mutator;
use crate::targets::{Spec, seeds};

/// The exit code of a worker whose watchdog caught a hang.
pub const HANG_EXIT: i32 = 70;

/// Counters at the start of the state file: executions, panicking executions, corpus size.
pub const HEADER: usize = 32;

pub struct WorkerConfig {
    pub seed: u64,
    pub deadline: Instant,
    pub budget: Duration,
    pub max_len: usize,
    pub state: PathBuf,
    pub corpus: PathBuf,
    /// The repository, for its real inputs as extra seeds.
    pub repo: Option<PathBuf>,
    pub out: PathBuf,
    /// Seeds (by content hash) a previous worker of this run died on: not run again.
    pub skip: HashSet<u64>,
    /// Run the seeds once, then stop (`replay`).
    pub seeds_only: bool,
}

/// What a worker's state file says.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct State {
    pub execs: u64,
    pub panics: u64,
    pub corpus: u64,
    /// The input being run when the file was last written.
    pub input: Vec<u8>,
}

impl State {
    pub fn read(path: &Path) -> State {
        let Ok(bytes) = std::fs::read(path) else {
            return State::default();
        };
        if bytes.len() < HEADER {
            return State::default();
        }
        let word =
            |i: usize| u64::from_le_bytes(bytes[i * 8..i * 8 + 8].try_into().expect("8 bytes"));
        let len = (word(3) as usize).min(bytes.len() - HEADER);
        State {
            execs: word(0),
            panics: word(1),
            corpus: word(2),
            input: bytes[HEADER..HEADER + len].to_vec(),
        }
    }
}

pub fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// The last panic's message and place, set by the hook.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        if let Ok(mut last) = LAST_PANIC.lock() {
            // The first panic of an execution is the finding (a task's panic may be followed
            // by the caller's).
            if last.is_none() {
                *last = Some(format!("{place}: {message}"));
            }
        }
    }));
}

/// A memory cap for this process, so that a blow-up aborts here instead of swapping; and no
/// core files from the aborts it finds.
fn limit_memory(bytes: u64) {
    for (resource, value) in [(libc::RLIMIT_AS, bytes), (libc::RLIMIT_CORE, 0)] {
        let limit = libc::rlimit {
            rlim_cur: value,
            rlim_max: value,
        };
        // SAFETY: setrlimit with a valid struct; it only affects this process.
        unsafe {
            libc::setrlimit(resource, &limit);
        }
    }
}

/// Runs until the deadline; returns normally (exit 0) or ends the process on a hang.
pub fn run(spec: &Spec, config: WorkerConfig) -> std::io::Result<()> {
    install_panic_hook();
    limit_memory(4 << 30);
    let state = File::create(&config.state)?;
    let crashes = config.out.join("crashes");
    std::fs::create_dir_all(&crashes)?;
    let mut target = (spec.make)();
    let mut mutator = Mutator::new(config.seed, spec.dictionary, config.max_len);

    // The watchdog: `started` is the time (ms since `origin`) the current execution began, 0
    // between executions.
    let origin = Instant::now();
    let started = Arc::new(AtomicU64::new(0));
    {
        let started = started.clone();
        let budget = config.budget;
        std::thread::spawn(move || {
            loop {
                std::thread::sleep((budget / 8).max(Duration::from_millis(10)));
                let at = started.load(Ordering::Acquire);
                if at != 0 {
                    let running = origin.elapsed().as_millis() as u64 - at;
                    if running > budget.as_millis() as u64 {
                        std::process::exit(HANG_EXIT);
                    }
                }
            }
        });
    }

    let mut counters = State::default();
    let mut corpus: Vec<Vec<u8>> = Vec::new();
    let mut shapes: HashSet<u64> = HashSet::new();
    let mut panic_places: HashMap<String, u64> = HashMap::new();
    let mut buffer = Vec::new();
    let seeds: Vec<Vec<u8>> = seeds(spec, &config.corpus, config.repo.as_deref())
        .into_iter()
        .filter(|s| s.len() <= config.max_len.max(1 << 20))
        .filter(|s| !config.skip.contains(&content_hash(s)))
        .collect();
    let mut pending_seeds = seeds.into_iter();

    while config.seeds_only || Instant::now() < config.deadline {
        let input = match pending_seeds.next() {
            Some(seed) => seed,
            None if config.seeds_only => break,
            None if corpus.is_empty() || mutator.rng.chance(20) => mutator.generate(),
            None => {
                let a = mutator.rng.below(corpus.len());
                let b = mutator.rng.below(corpus.len());
                mutator.mutate(&corpus[a], &corpus[b])
            }
        };
        buffer.clear();
        for word in [
            counters.execs,
            counters.panics,
            corpus.len() as u64,
            input.len() as u64,
        ] {
            buffer.extend_from_slice(&word.to_le_bytes());
        }
        buffer.extend_from_slice(&input);
        state.write_all_at(&buffer, 0)?;

        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = None;
        started.store(
            (origin.elapsed().as_millis() as u64).max(1),
            Ordering::Release,
        );
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target.run(&input)));
        started.store(0, Ordering::Release);
        counters.execs += 1;
        // A panic inside a task the target's runtime caught counts as well.
        let panicked = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take();
        match (outcome, panicked) {
            (Ok(shape), None) => {
                if shapes.insert(shape) && corpus.len() < 8192 {
                    corpus.push(input);
                }
            }
            (_, place) => {
                counters.panics += 1;
                let place = place.unwrap_or_else(|| "unknown place".into());
                let seen = panic_places.entry(place.clone()).or_insert(0);
                *seen += 1;
                if *seen == 1 {
                    let name = format!("{}-{:016x}", spec.name, content_hash(&input));
                    std::fs::write(crashes.join(format!("{name}.in")), &input)?;
                    std::fs::write(
                        crashes.join(format!("{name}.txt")),
                        format!("panic at {place}\n"),
                    )?;
                }
                // The target may be left in a bad state: start it afresh.
                target = (spec.make)();
            }
        }
    }
    buffer.clear();
    for word in [counters.execs, counters.panics, corpus.len() as u64, 0] {
        buffer.extend_from_slice(&word.to_le_bytes());
    }
    state.write_all_at(&buffer, 0)?;
    state.set_len(HEADER as u64)?;
    Ok(())
}
