//! theorist-report (being built).
