//! theorist-numerics (being built).
