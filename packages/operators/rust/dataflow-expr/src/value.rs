//! Values of the expression language (reference §2.2) and their JSON mapping.

use serde_json::Value as Json;

#[derive(Clone, Debug)]
pub enum Value {
    Int(i64),
    Float(f64),
    Str(String),
    Bool(bool),
    Tuple(Vec<Value>),
    /// A missing field, JSON null, or `()`.
    Empty,
    /// A JSON object (or an array holding objects/arrays): copied as is, never computed with.
    Json(Json),
}

impl Value {
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Tuple(_) => "tuple",
            Value::Empty => "empty",
            Value::Json(_) => "json",
        }
    }

    /// JSON → value: integers that fit i64 are Int, every other number (`23.0` too) Float,
    /// null is Empty, arrays of primitives are tuples, objects stay JSON.
    pub fn from_json(v: &Json) -> Value {
        match v {
            Json::Null => Value::Empty,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Json::String(s) => Value::Str(s.clone()),
            Json::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
                Value::Tuple(items.iter().map(Value::from_json).collect())
            }
            other => Value::Json(other.clone()),
        }
    }

    /// Value → JSON; `None` for Empty (nothing is written). Non-finite floats are an error.
    pub fn to_json(&self) -> Result<Option<Json>, String> {
        Ok(Some(match self {
            Value::Empty => return Ok(None),
            Value::Int(i) => Json::from(*i),
            Value::Float(f) => match serde_json::Number::from_f64(*f) {
                Some(n) => Json::Number(n),
                None => return Err(format!("result {} is not a finite number", fmt_float(*f))),
            },
            Value::Str(s) => Json::String(s.clone()),
            Value::Bool(b) => Json::Bool(*b),
            Value::Tuple(items) => {
                let mut out = Vec::with_capacity(items.len());
                for i in items {
                    out.push(i.to_json()?.unwrap_or(Json::Null));
                }
                Json::Array(out)
            }
            Value::Json(j) => j.clone(),
        }))
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Value::Int(_) | Value::Float(_))
    }

    /// `str::from` and string concatenation: ints in decimal, floats always with a
    /// fraction or exponent (`3.0`, `0.1`), tuples as `(1, 2)`, Empty as "".
    pub fn display(&self) -> String {
        match self {
            Value::Int(i) => i.to_string(),
            Value::Float(f) => fmt_float(*f),
            Value::Str(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Tuple(items) => format!("({})", items.iter().map(|i| i.display()).collect::<Vec<_>>().join(", ")),
            Value::Empty => String::new(),
            Value::Json(j) => j.to_string(),
        }
    }

    /// `==`: numbers compare by value across int and float; other types only with their own kind.
    pub fn equals(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => a == b,
            (a, b) if a.is_number() && b.is_number() => a.as_f64() == b.as_f64(),
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Empty, Value::Empty) => true,
            (Value::Tuple(a), Value::Tuple(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equals(y)),
            (Value::Json(a), Value::Json(b)) => a == b,
            _ => false,
        }
    }
}

pub fn fmt_float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 { "inf".into() } else { "-inf".into() }
    } else {
        format!("{f:?}")
    }
}
