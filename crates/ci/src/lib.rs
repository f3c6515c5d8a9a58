//! theorist-ci (being built).
