//! Remote OpenAI-compatible completions backend (being built by the prove/remote owner).
