//! How many files to check at once when nobody said: as many as the machine's cores and
//! memory allow. Lean with Mathlib imported takes about 5 GB per process (≈5 GB RSS per open
//! Mathlib file in the language server, ≈6.5 GB peak for `import Mathlib`), so memory, not
//! cores, is usually the limit.

/// Memory one Lean process with Mathlib needs, in MB, when no `--memory` cap says otherwise.
pub const LEAN_WITH_MATHLIB_MB: u64 = 5 * 1024;

/// The default and what it was derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerPlan {
    pub workers: usize,
    pub cores: usize,
    /// Memory available now (`MemAvailable`), if known.
    pub available_mb: Option<u64>,
    /// Memory counted per worker.
    pub per_worker_mb: u64,
}

impl WorkerPlan {
    /// The plan for this machine; `memory_cap_mb` (Lean's `--memory`) replaces the 5 GB
    /// estimate when set.
    pub fn for_this_machine(memory_cap_mb: Option<u64>) -> WorkerPlan {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let available_mb = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| mem_available_mb(&m));
        WorkerPlan::new(cores, available_mb, memory_cap_mb)
    }

    pub fn new(cores: usize, available_mb: Option<u64>, memory_cap_mb: Option<u64>) -> WorkerPlan {
        let per_worker_mb = memory_cap_mb.unwrap_or(LEAN_WITH_MATHLIB_MB).max(1);
        let by_memory = available_mb.map_or(cores, |m| (m / per_worker_mb) as usize);
        WorkerPlan {
            workers: cores.min(by_memory).max(1),
            cores,
            available_mb,
            per_worker_mb,
        }
    }
}

impl std::fmt::Display for WorkerPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} worker{} ({} core{}, ",
            self.workers,
            if self.workers == 1 { "" } else { "s" },
            self.cores,
            if self.cores == 1 { "" } else { "s" }
        )?;
        match self.available_mb {
            Some(mb) => write!(f, "{:.1} GB memory available", mb as f64 / 1024.0)?,
            None => write!(f, "memory unknown")?,
        }
        write!(
            f,
            ", {:.1} GB per Lean process)",
            self.per_worker_mb as f64 / 1024.0
        )
    }
}

fn mem_available_mb(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_or_cores_whichever_is_scarcer() {
        assert_eq!(WorkerPlan::new(16, Some(22 * 1024), None).workers, 4);
        assert_eq!(WorkerPlan::new(2, Some(64 * 1024), None).workers, 2);
        assert_eq!(WorkerPlan::new(8, Some(3 * 1024), None).workers, 1);
        assert_eq!(WorkerPlan::new(8, None, None).workers, 8);
        assert_eq!(WorkerPlan::new(8, Some(16 * 1024), Some(2048)).workers, 8);
        assert_eq!(
            WorkerPlan::new(16, Some(22 * 1024), None).to_string(),
            "4 workers (16 cores, 22.0 GB memory available, 5.0 GB per Lean process)"
        );
    }

    #[test]
    fn reads_meminfo() {
        let m =
            "MemTotal:       24573848 kB\nMemFree:         1000 kB\nMemAvailable:   23068672 kB\n";
        assert_eq!(mem_available_mb(m), Some(22528));
        assert_eq!(mem_available_mb("MemTotal: 1 kB\n"), None);
    }
}
