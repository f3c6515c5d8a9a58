//! theorist-prove (being built).
