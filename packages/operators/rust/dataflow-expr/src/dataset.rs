//! Enrichment datasets (reference §1.3 `Dataset`, §2.1, §2.7): a state-store
//! key holding records, a match expression picking the first record for a
//! message, and `$context(<alias>).<path>` rule inputs reading that record.

use crate::func::{eval, NoAggregates};
use crate::parse::{max_var, parse, Expr, Mode};
use crate::path::{get, Path};
use crate::value::Value;
use serde::Deserialize;
use serde_json::Value as Json;
use std::cell::RefCell;

/// Reads state-store keys; the operator crates implement it with the host import.
pub trait StateRead {
    /// `Ok(None)` when the key does not exist; `Err` when the store fails.
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String>;
}

/// No state store (tests, rules without datasets).
pub struct NoState;
impl StateRead for NoState {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        Err(format!("no state store to read \"{key}\""))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DatasetJson {
    key: String,
    inputs: Vec<String>,
    expression: String,
}

enum MatchInput {
    Source(Path),
    Context(Path),
}

pub(crate) struct Dataset {
    key: String,
    pub(crate) alias: String,
    inputs: Vec<MatchInput>,
    expr: Expr,
    /// The last value read and its records: parsed again only when the bytes change.
    cache: RefCell<Option<(Vec<u8>, Vec<Json>)>>,
}

/// Splits `"<key>[ as <alias>]"`; the alias defaults to the key.
fn key_alias(text: &str) -> Result<(String, String), String> {
    let t = text.trim();
    let (key, alias) = match t.rfind(" as ") {
        Some(at) => (t[..at].trim(), t[at + 4..].trim()),
        None => (t, t),
    };
    if key.is_empty() || alias.is_empty() {
        return Err(format!("dataset key \"{text}\": empty key or alias"));
    }
    if alias.contains(['(', ')']) {
        return Err(format!("dataset key \"{text}\": an alias cannot hold parentheses"));
    }
    Ok((key.to_string(), alias.to_string()))
}

fn match_input(src: &str) -> Result<MatchInput, String> {
    let t = src.trim();
    if let Some(p) = t.strip_prefix("$source.") {
        return Ok(MatchInput::Source(Path::parse(p)?));
    }
    if let Some(p) = t.strip_prefix("$context.") {
        return Ok(MatchInput::Context(Path::parse(p)?));
    }
    Err(format!("match input \"{src}\" must be $source.<field> or $context.<field>"))
}

/// The records of a stored value: a JSON object is one record, a JSON array
/// lists records, anything else is read as newline-delimited JSON objects.
pub fn records(bytes: &[u8]) -> Result<Vec<Json>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "the value is not UTF-8".to_string())?;
    match serde_json::from_str::<Json>(text) {
        Ok(o @ Json::Object(_)) => return Ok(vec![o]),
        Ok(Json::Array(items)) => return Ok(items),
        Ok(_) => return Err("the value is neither a JSON object, an array nor JSON lines".into()),
        Err(_) => {}
    }
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, l)| serde_json::from_str::<Json>(l).map_err(|e| format!("line {}: {e}", i + 1)))
        .collect()
}

impl Dataset {
    pub(crate) fn compile(index: usize, j: &DatasetJson) -> Result<Dataset, String> {
        let label = format!("dataset {} (\"{}\")", index + 1, j.key);
        let (key, alias) = key_alias(&j.key)?;
        let inputs = j.inputs.iter().map(|i| match_input(i)).collect::<Result<Vec<_>, _>>().map_err(|e| format!("{label}: {e}"))?;
        let expr = parse(&j.expression, Mode::Row).map_err(|e| format!("{label}: expression \"{}\": {e}", j.expression))?;
        if max_var(&expr) > inputs.len() {
            return Err(format!("{label}: the expression uses ${} but the dataset has {} input(s)", max_var(&expr), inputs.len()));
        }
        Ok(Dataset { key, alias, inputs, expr, cache: RefCell::new(None) })
    }

    /// The first record matching the message, `None` when the key is absent or
    /// nothing matches; a store failure or an unreadable value is an error.
    pub(crate) fn lookup(&self, store: &dyn StateRead, payload: &mut dyn FnMut() -> Result<Json, String>) -> Result<Option<Json>, String> {
        let label = format!("dataset \"{}\"", self.alias);
        let Some(bytes) = store.get(&self.key).map_err(|e| format!("{label}: state store: {e}"))? else { return Ok(None) };
        let mut cache = self.cache.borrow_mut();
        if cache.as_ref().map_or(true, |(b, _)| *b != bytes) {
            let recs = records(&bytes).map_err(|e| format!("{label}: key \"{}\": {e}", self.key))?;
            *cache = Some((bytes, recs));
        }
        let recs = &cache.as_ref().unwrap().1;
        // $source values are the same for every record: read them once.
        let source: Option<Json> = if self.inputs.iter().any(|i| matches!(i, MatchInput::Source(_))) { Some(payload()?) } else { None };
        for rec in recs {
            let vars: Vec<Value> = self
                .inputs
                .iter()
                .map(|i| {
                    let (root, p) = match i {
                        MatchInput::Source(p) => (source.as_ref().unwrap(), p),
                        MatchInput::Context(p) => (rec, p),
                    };
                    get(root, &p.segs).map(Value::from_json).unwrap_or(Value::Empty)
                })
                .collect();
            match eval(&self.expr, &vars, &NoAggregates).map_err(|e| format!("{label}: {e}"))? {
                Value::Bool(true) => return Ok(Some(rec.clone())),
                Value::Bool(false) => {}
                other => return Err(format!("{label}: the match expression must give a boolean, got {}", other.type_name())),
            }
        }
        Ok(None)
    }
}

/// The datasets of a rule set, compiled.
pub(crate) struct Datasets(pub(crate) Vec<Dataset>);

impl Datasets {
    pub(crate) fn compile(json: &Option<Json>) -> Result<Datasets, String> {
        let list: Vec<DatasetJson> = match json {
            None | Some(Json::Null) => Vec::new(),
            Some(j) => serde_json::from_value(j.clone()).map_err(|e| format!("datasets are not valid: {e}"))?,
        };
        let mut out: Vec<Dataset> = Vec::new();
        for (i, d) in list.iter().enumerate() {
            let ds = Dataset::compile(i, d)?;
            if out.iter().any(|o| o.alias == ds.alias) {
                return Err(format!("dataset {}: alias \"{}\" is used twice", i + 1, ds.alias));
            }
            out.push(ds);
        }
        Ok(Datasets(out))
    }

    pub(crate) fn index(&self, alias: &str) -> Option<usize> {
        self.0.iter().position(|d| d.alias == alias)
    }

    /// Every dataset's matching record for one message (read once per message).
    pub(crate) fn resolve(&self, store: &dyn StateRead, payload: &mut dyn FnMut() -> Result<Json, String>) -> Result<Vec<Option<Json>>, String> {
        self.0.iter().map(|d| d.lookup(store, payload)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_and_alias() {
        assert_eq!(key_alias("devices as d").unwrap(), ("devices".into(), "d".into()));
        assert_eq!(key_alias(" devices ").unwrap(), ("devices".into(), "devices".into()));
        assert!(key_alias("devices as (d)").is_err());
    }

    #[test]
    fn stored_value_forms() {
        assert_eq!(records(br#"{"a":1}"#).unwrap().len(), 1);
        assert_eq!(records(br#"[{"a":1},{"a":2}]"#).unwrap().len(), 2);
        assert_eq!(records(b"{\"a\":1}\n\n{\"a\":2}\n").unwrap().len(), 2);
        assert!(records(b"42").is_err());
        assert!(records(b"nope").unwrap_err().starts_with("line 1"));
    }
}
