//! theorist-leansrc: a pure reader of Lean 4 source text (being built).
