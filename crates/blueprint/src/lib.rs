//! theorist-blueprint (being built).
