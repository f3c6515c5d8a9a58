//! theorist-lean (being built).
