//! Tool arguments: one table per tool gives both the JSON Schema that `tools/list` shows and
//! the checks a call's arguments go through. A bad argument is an error that names it, so
//! the assistant can correct the call; an unknown argument is refused rather than ignored
//! (a misspelt `allow_axioms` must not silently check something else).

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

/// What an argument holds.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Text,
    /// A file or folder; relative paths are taken from the server's project root.
    Path,
    Integer {
        min: u64,
        max: u64,
    },
    Bool,
    /// A list of strings.
    TextList,
    /// An object from names to strings.
    TextMap,
}

/// One argument of a tool.
#[derive(Debug, Clone, Copy)]
pub struct Arg {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// The default, as JSON text, shown in the schema (`None`: no default).
    pub default: Option<&'static str>,
    pub about: &'static str,
}

/// The JSON Schema of a tool's arguments.
pub fn schema(args: &[Arg]) -> Value {
    let mut properties = Map::new();
    for a in args {
        let mut p = match a.kind {
            Kind::Text | Kind::Path => json!({"type": "string"}),
            Kind::Integer { min, max } => {
                json!({"type": "integer", "minimum": min, "maximum": max})
            }
            Kind::Bool => json!({"type": "boolean"}),
            Kind::TextList => json!({"type": "array", "items": {"type": "string"}}),
            Kind::TextMap => {
                json!({"type": "object", "additionalProperties": {"type": "string"}})
            }
        };
        p["description"] = json!(a.about);
        if let Some(d) = a
            .default
            .and_then(|d| serde_json::from_str::<Value>(d).ok())
        {
            p["default"] = d;
        }
        properties.insert(a.name.into(), p);
    }
    let required: Vec<&str> = args.iter().filter(|a| a.required).map(|a| a.name).collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// A call's arguments, checked against the tool's table.
#[derive(Debug)]
pub struct Args<'a> {
    values: Map<String, Value>,
    table: &'a [Arg],
    root: &'a Path,
}

impl<'a> Args<'a> {
    /// Checks names, types and ranges; the message names the argument at fault.
    pub fn check(table: &'a [Arg], given: &Value, root: &'a Path) -> Result<Args<'a>, String> {
        let values = match given {
            Value::Null => Map::new(),
            Value::Object(m) => m.clone(),
            _ => return Err("`arguments` must be an object".into()),
        };
        for name in values.keys() {
            if !table.iter().any(|a| a.name == name) {
                let known: Vec<&str> = table.iter().map(|a| a.name).collect();
                return Err(format!(
                    "unknown argument `{name}` (this tool takes: {})",
                    known.join(", ")
                ));
            }
        }
        for a in table {
            match values.get(a.name) {
                None | Some(Value::Null) if a.required => {
                    return Err(format!("argument `{}` is required: {}", a.name, a.about));
                }
                None | Some(Value::Null) => {}
                Some(v) => check_kind(a, v)?,
            }
        }
        Ok(Args {
            values,
            table,
            root,
        })
    }

    /// The value given, else the table's default.
    fn get(&self, name: &str) -> Option<Value> {
        match self.values.get(name).filter(|v| !v.is_null()) {
            Some(v) => Some(v.clone()),
            None => self
                .table
                .iter()
                .find(|a| a.name == name)
                .and_then(|a| a.default)
                .and_then(|d| serde_json::from_str(d).ok()),
        }
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).and_then(|v| v.as_str().map(str::to_string))
    }

    /// A path, taken from the project root when relative.
    pub fn path(&self, name: &str) -> Option<PathBuf> {
        self.text(name).map(|p| self.root.join(p))
    }

    /// An integer argument, or its default (0 when the table has none).
    pub fn integer(&self, name: &str) -> u64 {
        self.optional_integer(name).unwrap_or_default()
    }

    pub fn optional_integer(&self, name: &str) -> Option<u64> {
        self.get(name).and_then(|v| v.as_u64())
    }

    /// A boolean argument, or its default (false when the table has none).
    pub fn flag(&self, name: &str) -> bool {
        self.get(name).and_then(|v| v.as_bool()).unwrap_or(false)
    }

    pub fn list(&self, name: &str) -> Vec<String> {
        match self.get(name) {
            Some(Value::Array(l)) => l
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        }
    }

    /// `NAME=VALUE` for every entry of an object argument.
    pub fn assignments(&self, name: &str) -> Vec<String> {
        match self.get(name) {
            Some(Value::Object(m)) => m
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|v| format!("{k}={v}")))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The project root paths are taken from.
    pub fn root(&self) -> &Path {
        self.root
    }
}

fn check_kind(a: &Arg, v: &Value) -> Result<(), String> {
    let name = a.name;
    let ok = match a.kind {
        Kind::Text => v.is_string(),
        Kind::Path => match v.as_str() {
            Some("") => return Err(format!("argument `{name}` is an empty path")),
            Some(_) => true,
            None => false,
        },
        Kind::Integer { min, max } => match v.as_u64() {
            Some(n) if (min..=max).contains(&n) => true,
            Some(n) => {
                return Err(format!(
                    "argument `{name}` is {n}, outside {min}..={max}: {}",
                    a.about
                ));
            }
            None => false,
        },
        Kind::Bool => v.is_boolean(),
        Kind::TextList => v.as_array().is_some_and(|l| l.iter().all(Value::is_string)),
        Kind::TextMap => v
            .as_object()
            .is_some_and(|m| m.values().all(Value::is_string)),
    };
    if ok {
        Ok(())
    } else {
        let want = match a.kind {
            Kind::Text => "a string",
            Kind::Path => "a path (a string)",
            Kind::Integer { .. } => "a non-negative integer",
            Kind::Bool => "true or false",
            Kind::TextList => "a list of strings",
            Kind::TextMap => "an object whose values are strings",
        };
        Err(format!("argument `{name}` must be {want} (got {v})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLE: &[Arg] = &[
        Arg {
            name: "file",
            kind: Kind::Path,
            required: true,
            default: None,
            about: "a Lean file",
        },
        Arg {
            name: "top",
            kind: Kind::Integer { min: 1, max: 10 },
            required: false,
            default: Some("8"),
            about: "how many",
        },
        Arg {
            name: "box",
            kind: Kind::TextMap,
            required: false,
            default: None,
            about: "ranges",
        },
    ];

    #[test]
    fn bad_arguments_are_named() {
        let root = Path::new("/p");
        let err = |v: Value| Args::check(TABLE, &v, root).unwrap_err();
        assert!(err(json!({})).contains("argument `file` is required"));
        assert!(err(json!({"file": 3})).contains("argument `file` must be a path"));
        assert!(err(json!({"file": "A.lean", "top": 0})).contains("`top` is 0, outside 1..=10"));
        assert!(err(json!({"file": "A.lean", "top": -1})).contains("`top` must be"));
        assert!(err(json!({"file": "A.lean", "tpo": 1})).contains("unknown argument `tpo`"));
        assert!(err(json!({"file": "A.lean", "box": {"x": 1}})).contains("`box` must be"));
        assert!(err(json!([1])).contains("`arguments` must be an object"));
    }

    #[test]
    fn values_come_back_typed_and_paths_from_the_root() {
        let root = Path::new("/p");
        let given = json!({"file": "Demo/A.lean", "box": {"y": "[0, 1]", "x": "[1, 2]"}});
        let args = Args::check(TABLE, &given, root).unwrap();
        assert_eq!(args.path("file").unwrap(), Path::new("/p/Demo/A.lean"));
        assert_eq!(args.integer("top"), 8);
        assert_eq!(args.optional_integer("file"), None);
        assert_eq!(args.assignments("box"), ["x=[1, 2]", "y=[0, 1]"]);
        let abs = Args::check(TABLE, &json!({"file": "/q/B.lean"}), root).unwrap();
        assert_eq!(abs.path("file").unwrap(), Path::new("/q/B.lean"));
        assert_eq!(schema(TABLE)["required"], json!(["file"]));
        assert_eq!(schema(TABLE)["properties"]["top"]["default"], 8);
    }
}
