//! Placeholder while the tch ranker is written.
include!("../model_disabled.rs");
