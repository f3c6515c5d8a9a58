//! What the language server tells us about a document: diagnostics (Lean's LSP extension
//! with `fullRange`, `leanTags`, `isSilent`) and elaboration progress, tracked per version.

use std::collections::HashMap;
use std::sync::Mutex;

use lsp_types::Range;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::sync::Notify;

use crate::rpc::Events;

/// One diagnostic as Lean's server sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub range: Range,
    /// The real span (since 2021); `range` may be shortened for display.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_range: Option<Range>,
    /// 1 error, 2 warning, 3 information, 4 hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<u8>,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lean_tags: Option<Vec<u8>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_silent: Option<bool>,
}

impl Diagnostic {
    pub fn span(&self) -> Range {
        self.full_range.unwrap_or(self.range)
    }

    /// An error, or a diagnostic whose severity is missing or unknown: what theorist cannot
    /// read is never taken for harmless.
    pub fn is_error(&self) -> bool {
        !matches!(self.severity, Some(2..=4))
    }
}

/// What is known about one open document.
#[derive(Debug, Clone, Default)]
pub struct DocState {
    /// The version the diagnostics belong to.
    pub diagnostics_version: Option<i64>,
    pub diagnostics: Vec<Diagnostic>,
    /// The highest version for which `fileProgress` reported an empty `processing` list.
    pub finished_version: Option<i64>,
    /// A `fileProgress` with kind 2 (fatal error) was seen for this version.
    pub fatal_version: Option<i64>,
    /// The newest version we sent, used when the server omits versions.
    pub sent_version: i64,
}

/// All documents of one server, fed by the connection's reader task.
#[derive(Debug, Default)]
pub struct DocStore {
    docs: Mutex<HashMap<String, DocState>>,
    pub changed: Notify,
}

impl DocStore {
    pub fn get(&self, uri: &str) -> DocState {
        self.docs
            .lock()
            .expect("doc store lock")
            .get(uri)
            .cloned()
            .unwrap_or_default()
    }

    pub fn sent(&self, uri: &str, version: i64) {
        let mut docs = self.docs.lock().expect("doc store lock");
        docs.entry(uri.to_string()).or_default().sent_version = version;
    }

    pub fn forget(&self, uri: &str) {
        self.docs.lock().expect("doc store lock").remove(uri);
    }

    fn publish(&self, params: &Value) {
        let Some(uri) = params.get("uri").and_then(Value::as_str) else {
            return;
        };
        let diagnostics: Vec<Diagnostic> = params
            .get("diagnostics")
            .and_then(|d| {
                serde_json::from_value(d.clone())
                    .map_err(|e| tracing::warn!(error = %e, "unreadable diagnostics"))
                    .ok()
            })
            .unwrap_or_default();
        let incremental = params
            .get("isIncremental")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let mut docs = self.docs.lock().expect("doc store lock");
        let state = docs.entry(uri.to_string()).or_default();
        let version = params
            .get("version")
            .and_then(Value::as_i64)
            .unwrap_or(state.sent_version);
        if state.diagnostics_version.is_some_and(|v| v > version) {
            return; // late publication for an older version
        }
        // Lean 4.32+ with `incrementalDiagnosticSupport`: batches flagged incremental are
        // appended; anything else replaces the whole set.
        if incremental && state.diagnostics_version == Some(version) {
            state.diagnostics.extend(diagnostics);
        } else {
            state.diagnostics = diagnostics;
        }
        state.diagnostics_version = Some(version);
    }

    fn progress(&self, params: &Value) {
        let Some(doc) = params.get("textDocument") else {
            return;
        };
        let Some(uri) = doc.get("uri").and_then(Value::as_str) else {
            return;
        };
        let processing = params
            .get("processing")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut docs = self.docs.lock().expect("doc store lock");
        let state = docs.entry(uri.to_string()).or_default();
        let version = doc
            .get("version")
            .and_then(Value::as_i64)
            .unwrap_or(state.sent_version);
        if processing
            .iter()
            .any(|p| p.get("kind").and_then(Value::as_i64) == Some(2))
        {
            state.fatal_version = Some(version);
        }
        if processing.is_empty() {
            state.finished_version =
                Some(state.finished_version.map_or(version, |v| v.max(version)));
        }
    }
}

impl Events for DocStore {
    fn notification(&self, method: &str, params: Value) {
        match method {
            "textDocument/publishDiagnostics" => self.publish(&params),
            "$/lean/fileProgress" => self.progress(&params),
            _ => tracing::trace!(method, "notification"),
        }
        self.changed.notify_waiters();
    }

    fn closed(&self) {
        self.changed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn diag(msg: &str) -> Value {
        json!({"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 1}}, "severity": 1, "message": msg})
    }

    #[test]
    fn incremental_batches_append_and_full_sets_replace() {
        let store = DocStore::default();
        store.sent("file:///a.lean", 1);
        store.notification(
            "textDocument/publishDiagnostics",
            json!({"uri": "file:///a.lean", "version": 1, "diagnostics": [diag("x")]}),
        );
        store.notification("textDocument/publishDiagnostics", json!({"uri": "file:///a.lean", "version": 1, "isIncremental": true, "diagnostics": [diag("y")]}));
        assert_eq!(store.get("file:///a.lean").diagnostics.len(), 2);
        store.notification(
            "textDocument/publishDiagnostics",
            json!({"uri": "file:///a.lean", "version": 1, "diagnostics": [diag("z")]}),
        );
        assert_eq!(store.get("file:///a.lean").diagnostics.len(), 1);
        // An older version's late publication is ignored.
        store.notification(
            "textDocument/publishDiagnostics",
            json!({"uri": "file:///a.lean", "version": 0, "diagnostics": []}),
        );
        assert_eq!(store.get("file:///a.lean").diagnostics[0].message, "z");
    }

    #[test]
    fn a_missing_or_unknown_severity_counts_as_an_error() {
        let mut d: Diagnostic = serde_json::from_value(diag("x")).unwrap();
        assert!(d.is_error());
        for (severity, error) in [
            (None, true),
            (Some(2), false),
            (Some(3), false),
            (Some(4), false),
            (Some(9), true),
        ] {
            d.severity = severity;
            assert_eq!(d.is_error(), error, "{severity:?}");
        }
    }

    #[test]
    fn progress_tracks_finished_and_fatal_versions() {
        let store = DocStore::default();
        let range =
            json!({"start": {"line": 0, "character": 0}, "end": {"line": 9, "character": 0}});
        store.notification("$/lean/fileProgress", json!({"textDocument": {"uri": "u", "version": 2}, "processing": [{"range": range, "kind": 1}]}));
        assert_eq!(store.get("u").finished_version, None);
        store.notification(
            "$/lean/fileProgress",
            json!({"textDocument": {"uri": "u", "version": 2}, "processing": []}),
        );
        assert_eq!(store.get("u").finished_version, Some(2));
        store.notification("$/lean/fileProgress", json!({"textDocument": {"uri": "u", "version": 3}, "processing": [{"range": range, "kind": 2}]}));
        assert_eq!(store.get("u").fatal_version, Some(3));
    }
}
