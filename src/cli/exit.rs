//! The documented exit codes. "Not run" must never look like "passed", so a missing Lean
//! toolchain has its own code.

use std::process::ExitCode;

use crate::engine::EngineError;

/// How a `theorist` run ended; the discriminant is the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything that was asked for was checked and passed.
    Passed = 0,
    /// A check ran and failed (Lean error, `sorry`, forbidden axiom, refuted claim, broken
    /// blueprint node).
    CheckFailed = 1,
    /// Bad usage, configuration or input, or an I/O error: nothing trustworthy was checked.
    Usage = 2,
    /// No Lean toolchain was found: nothing was checked by Lean.
    NoToolchain = 3,
    /// `numerics check`: the statement is untranslatable (a construct theorist does not
    /// model): nothing was checked.
    NotChecked = 4,
    /// `numerics check`: proved only on the box (the variables range beyond it).
    OnlyOnBox = 5,
    /// `numerics check`: neither proved nor refuted within the budgets (consistent).
    Undecided = 6,
}

impl Exit {
    /// The worse of two outcomes, for commands that run several checks.
    pub fn worst(self, other: Exit) -> Exit {
        if other.severity() > self.severity() {
            other
        } else {
            self
        }
    }

    /// How bad an outcome is: the partial results of `numerics check` rank between a pass and
    /// a failure.
    fn severity(self) -> u8 {
        match self {
            Exit::Passed => 0,
            Exit::OnlyOnBox => 1,
            Exit::Undecided => 2,
            Exit::NotChecked => 3,
            Exit::CheckFailed => 4,
            Exit::Usage => 5,
            Exit::NoToolchain => 6,
        }
    }

    /// How a job that could not be done ends: no toolchain is 3, anything else 2.
    pub fn of(error: &EngineError) -> Exit {
        match error {
            EngineError::NoToolchain(_) => Exit::NoToolchain,
            _ => Exit::Usage,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

pub const EXIT_CODES_HELP: &str = "Exit codes:\n  0  all checks passed\n  1  a check failed (numerics: refuted; suggest/prove: the goal is false)\n  2  usage, configuration or I/O error\n  3  no Lean toolchain found: nothing was checked by Lean\n  4  numerics: untranslatable, nothing checked\n  5  numerics: proved on the box only\n  6  numerics: undecided (consistent within the budgets)";
