//! The wire side of MCP on stdio: JSON-RPC 2.0 messages, one per line, and the two eras of
//! the protocol. A request whose `_meta` names a protocol version is served statelessly (the
//! 2026-07-28 revision: `server/discover`, `resultType` on every result); a client that opens
//! with `initialize` is served by the handshake-based revisions it asks for (2024-11-05 to
//! 2025-11-25). Serving both is what the 2026-07-28 versioning page calls "dual-era".

use serde_json::{Map, Value, json};

/// Revisions served statelessly, per request (`_meta` names the version).
pub const MODERN_VERSIONS: &[&str] = &["2026-07-28"];
/// Revisions served after an `initialize` handshake, newest first.
pub const LEGACY_VERSIONS: &[&str] = &["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

/// The `_meta` key that carries a modern request's protocol version.
pub const META_VERSION: &str = "io.modelcontextprotocol/protocolVersion";
/// The `_meta` key of a result that names the server.
pub const META_SERVER_INFO: &str = "io.modelcontextprotocol/serverInfo";

/// JSON-RPC and MCP error codes theorist answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    ParseError = -32700,
    InvalidRequest = -32600,
    MethodNotFound = -32601,
    InvalidParams = -32602,
    InternalError = -32603,
    /// MCP 2026-07-28: the request's protocol version is not served here.
    UnsupportedProtocolVersion = -32022,
}

/// A JSON-RPC error answer.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    pub code: ErrorCode,
    pub message: String,
    pub data: Option<Value>,
}

impl RpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> RpcError {
        RpcError {
            code,
            message: message.into(),
            data: None,
        }
    }
}

/// Which era a request is served in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Era {
    /// Handshake-based: results as in 2025-11-25 and before.
    Legacy,
    /// Stateless: every result carries `resultType`.
    Modern,
}

/// One message read from the client.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    Request {
        id: Value,
        method: String,
        params: Value,
    },
    Notification {
        method: String,
        params: Value,
    },
    /// A line that is not a request or notification; answered with this error (and `id`
    /// when one could be read).
    Invalid {
        id: Value,
        error: RpcError,
    },
}

/// Reads one line of the stream.
pub fn parse_line(line: &str) -> Incoming {
    let value: Value = match serde_json::from_str(line) {
        Ok(v) => v,
        Err(e) => {
            return Incoming::Invalid {
                id: Value::Null,
                error: RpcError::new(ErrorCode::ParseError, format!("not JSON: {e}")),
            };
        }
    };
    let Value::Object(object) = value else {
        let what = if value.is_array() {
            "a JSON-RPC batch (arrays are not part of MCP since 2025-06-18); send one message per line"
        } else {
            "not a JSON-RPC message (expected an object)"
        };
        return Incoming::Invalid {
            id: Value::Null,
            error: RpcError::new(ErrorCode::InvalidRequest, what),
        };
    };
    let id = object.get("id").cloned();
    let invalid = |message: &str| Incoming::Invalid {
        id: id.clone().unwrap_or(Value::Null),
        error: RpcError::new(ErrorCode::InvalidRequest, message),
    };
    if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return invalid("`jsonrpc` must be \"2.0\"");
    }
    let Some(method) = object.get("method").and_then(Value::as_str) else {
        // A response to a request the server never sends, or a malformed message.
        return invalid("no `method`: theorist sends no requests, so it expects no responses");
    };
    let params = object.get("params").cloned().unwrap_or(Value::Null);
    if !(params.is_null() || params.is_object()) {
        return invalid("`params` must be an object");
    }
    match id {
        None => Incoming::Notification {
            method: method.to_string(),
            params,
        },
        Some(id @ (Value::String(_) | Value::Number(_))) => Incoming::Request {
            id,
            method: method.to_string(),
            params,
        },
        Some(_) => invalid("`id` must be a string or an integer"),
    }
}

/// The era of a request, or the error for a version that is not served.
pub fn era_of(params: &Value) -> Result<Era, RpcError> {
    let Some(version) = params.get("_meta").and_then(|m| m.get(META_VERSION)) else {
        return Ok(Era::Legacy);
    };
    match version.as_str() {
        Some(v) if MODERN_VERSIONS.contains(&v) => Ok(Era::Modern),
        _ => Err(RpcError {
            code: ErrorCode::UnsupportedProtocolVersion,
            message: "Unsupported protocol version".into(),
            data: Some(json!({"supported": supported_versions(), "requested": version})),
        }),
    }
}

/// Every revision served, newest first.
pub fn supported_versions() -> Vec<&'static str> {
    MODERN_VERSIONS
        .iter()
        .chain(LEGACY_VERSIONS)
        .copied()
        .collect()
}

/// The revision to answer an `initialize` with: the client's when theorist speaks it, else
/// the newest handshake-based one (the client then decides whether to go on).
pub fn negotiate(requested: Option<&str>) -> &'static str {
    LEGACY_VERSIONS
        .iter()
        .find(|v| Some(**v) == requested)
        .copied()
        .unwrap_or(LEGACY_VERSIONS[0])
}

/// A success answer; modern results carry `resultType` and the server's name.
pub fn result(id: Value, era: Era, mut result: Map<String, Value>) -> Value {
    if era == Era::Modern {
        result.insert("resultType".into(), json!("complete"));
        let meta = result
            .entry("_meta")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(meta) = meta {
            meta.insert(META_SERVER_INFO.into(), server_info());
        }
    }
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// An error answer.
pub fn error(id: Value, error: RpcError) -> Value {
    let mut body = json!({"code": error.code as i64, "message": error.message});
    if let Some(data) = error.data {
        body["data"] = data;
    }
    json!({"jsonrpc": "2.0", "id": id, "error": body})
}

/// theorist as an MCP implementation.
pub fn server_info() -> Value {
    json!({
        "name": "theorist",
        "title": "theorist: Lean 4 checks, rigorous numerics and blueprints for physics",
        "version": env!("CARGO_PKG_VERSION"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_read_as_requests_notifications_or_errors() {
        assert_eq!(
            parse_line(r#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#),
            Incoming::Request {
                id: json!(1),
                method: "ping".into(),
                params: Value::Null
            }
        );
        assert!(matches!(
            parse_line(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#),
            Incoming::Notification { .. }
        ));
        let code = |line: &str| match parse_line(line) {
            Incoming::Invalid { error, .. } => Some(error.code),
            _ => None,
        };
        assert_eq!(code("{oops"), Some(ErrorCode::ParseError));
        assert_eq!(code("[]"), Some(ErrorCode::InvalidRequest));
        assert_eq!(
            code(r#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#),
            Some(ErrorCode::InvalidRequest)
        );
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":null,"method":"ping"}"#),
            Some(ErrorCode::InvalidRequest)
        );
        assert_eq!(
            code(r#"{"jsonrpc":"2.0","id":1,"method":"ping","params":[1]}"#),
            Some(ErrorCode::InvalidRequest)
        );
    }

    #[test]
    fn versions_are_negotiated_per_era() {
        assert_eq!(negotiate(Some("2025-06-18")), "2025-06-18");
        assert_eq!(negotiate(Some("1999-01-01")), "2025-11-25");
        assert_eq!(negotiate(None), "2025-11-25");
        assert_eq!(era_of(&Value::Null), Ok(Era::Legacy));
        let modern = json!({"_meta": {META_VERSION: "2026-07-28"}});
        assert_eq!(era_of(&modern), Ok(Era::Modern));
        let unknown = json!({"_meta": {META_VERSION: "1900-01-01"}});
        let err = era_of(&unknown).unwrap_err();
        assert_eq!(err.code, ErrorCode::UnsupportedProtocolVersion);
        assert_eq!(err.data.unwrap()["requested"], "1900-01-01");
    }

    #[test]
    fn modern_results_say_they_are_complete() {
        let r = result(json!(3), Era::Modern, Map::new());
        assert_eq!(r["result"]["resultType"], "complete");
        assert_eq!(r["result"]["_meta"][META_SERVER_INFO]["name"], "theorist");
        let r = result(json!(3), Era::Legacy, Map::new());
        assert!(r["result"].get("resultType").is_none());
    }
}
