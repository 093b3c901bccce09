//! JSON Schema validation for filter's `validateSchema` (reference §3.2, §1.3;
//! dialect: the reference's open question 15). Draft-07 validation keywords:
//! type, enum, const, numeric and string limits, pattern, array and object
//! keywords, allOf/anyOf/oneOf/not, if/then/else, dependencies and local
//! `$ref` (`#…` JSON pointers). `format` is an annotation (not asserted), as
//! unknown keywords are. Patterns are compiled once, when the schema is loaded.

use regex::Regex;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;

const MAX_DEPTH: usize = 64;

pub struct Schema {
    root: Json,
    patterns: HashMap<String, Regex>,
}

/// Checks what can be checked up front: patterns compile, every `$ref` is local and resolves.
fn prepare(root: &Json, node: &Json, patterns: &mut HashMap<String, Regex>, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err("the schema is nested too deeply".into());
    }
    match node {
        Json::Object(m) => {
            if let Some(Json::String(p)) = m.get("pattern") {
                compile(p, patterns)?;
            }
            if let Some(Json::Object(pp)) = m.get("patternProperties") {
                for k in pp.keys() {
                    compile(k, patterns)?;
                }
            }
            if let Some(Json::String(r)) = m.get("$ref") {
                let ptr = r.strip_prefix('#').ok_or_else(|| format!("$ref \"{r}\": only local references (#/…) are supported"))?;
                root.pointer(ptr).ok_or_else(|| format!("$ref \"{r}\" does not resolve"))?;
            }
            for (k, v) in m {
                // Values of these keywords are data, not schemas.
                if !matches!(k.as_str(), "enum" | "const" | "default" | "examples") {
                    prepare(root, v, patterns, depth + 1)?;
                }
            }
            Ok(())
        }
        Json::Array(a) => a.iter().try_for_each(|v| prepare(root, v, patterns, depth + 1)),
        _ => Ok(()),
    }
}

fn compile(p: &str, patterns: &mut HashMap<String, Regex>) -> Result<(), String> {
    if !patterns.contains_key(p) {
        patterns.insert(p.to_string(), Regex::new(p).map_err(|e| format!("pattern \"{p}\": {e}"))?);
    }
    Ok(())
}

fn type_matches(t: &str, v: &Json) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.as_i64().is_some() || v.as_u64().is_some() || v.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

/// JSON equality with numbers by value (1 == 1.0), as JSON Schema compares.
fn same(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (Json::Object(x), Json::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w))),
        _ => a == b,
    }
}

impl Schema {
    pub fn compile(text: &str) -> Result<Schema, String> {
        let root: Json = serde_json::from_str(text).map_err(|e| format!("the schema is not JSON: {e}"))?;
        if !root.is_object() && !root.is_boolean() {
            return Err("a schema is an object or a boolean".into());
        }
        let mut patterns = HashMap::new();
        prepare(&root, &root, &mut patterns, 0)?;
        Ok(Schema { root, patterns })
    }

    /// The first violation, if any (`at` is a JSON pointer into the instance).
    pub fn validate(&self, v: &Json) -> Result<(), String> {
        self.check(&self.root, v, "", 0)
    }

    /// Validates a payload; one that is not JSON does not conform.
    pub fn validate_payload(&self, payload: &[u8]) -> Result<(), String> {
        let v: Json = serde_json::from_slice(payload).map_err(|e| format!("the payload is not JSON: {e}"))?;
        self.validate(&v)
    }

    fn check(&self, s: &Json, v: &Json, at: &str, depth: usize) -> Result<(), String> {
        if depth > MAX_DEPTH {
            return Err(format!("{at}: too deeply nested ($ref loop?)"));
        }
        let m = match s {
            Json::Bool(true) => return Ok(()),
            Json::Bool(false) => return Err(format!("{}: no value is allowed here", loc(at))),
            Json::Object(m) => m,
            _ => return Ok(()),
        };
        if let Some(Json::String(r)) = m.get("$ref") {
            // Draft-07: siblings of $ref are ignored.
            return match r.strip_prefix('#').and_then(|p| self.root.pointer(p)) {
                Some(target) => self.check(target, v, at, depth + 1),
                None => Err(format!("$ref \"{r}\" does not resolve")),
            };
        }
        let fail = |msg: String| Err(format!("{}: {msg}", loc(at)));
        match m.get("type") {
            Some(Json::String(t)) if !type_matches(t, v) => return fail(format!("must be {t}")),
            Some(Json::Array(ts)) if !ts.iter().any(|t| t.as_str().is_some_and(|t| type_matches(t, v))) => return fail("has none of the allowed types".into()),
            _ => {}
        }
        if let Some(Json::Array(e)) = m.get("enum") {
            if !e.iter().any(|x| same(x, v)) {
                return fail("is not one of the enum values".into());
            }
        }
        if let Some(c) = m.get("const") {
            if !same(c, v) {
                return fail(format!("must be {c}"));
            }
        }
        if let Some(n) = v.as_f64() {
            self.numeric(m, n).or_else(fail)?;
        }
        if let Some(text) = v.as_str() {
            self.string(m, text).or_else(fail)?;
        }
        if let Json::Array(items) = v {
            self.array(m, items, at, depth)?;
        }
        if let Json::Object(obj) = v {
            self.object(m, obj, at, depth)?;
        }
        self.combinators(m, v, at, depth)
    }

    fn numeric(&self, m: &Map<String, Json>, n: f64) -> Result<(), String> {
        let num = |k: &str| m.get(k).and_then(Json::as_f64);
        if num("minimum").is_some_and(|x| n < x) { return Err(format!("must be >= {}", num("minimum").unwrap())); }
        if num("maximum").is_some_and(|x| n > x) { return Err(format!("must be <= {}", num("maximum").unwrap())); }
        if num("exclusiveMinimum").is_some_and(|x| n <= x) { return Err(format!("must be > {}", num("exclusiveMinimum").unwrap())); }
        if num("exclusiveMaximum").is_some_and(|x| n >= x) { return Err(format!("must be < {}", num("exclusiveMaximum").unwrap())); }
        if let Some(d) = num("multipleOf").filter(|d| *d > 0.0) {
            let q = n / d;
            if (q - q.round()).abs() > 1e-9 { return Err(format!("must be a multiple of {d}")); }
        }
        Ok(())
    }

    fn string(&self, m: &Map<String, Json>, text: &str) -> Result<(), String> {
        let len = text.chars().count() as u64;
        if m.get("minLength").and_then(Json::as_u64).is_some_and(|x| len < x) { return Err("is too short".into()); }
        if m.get("maxLength").and_then(Json::as_u64).is_some_and(|x| len > x) { return Err("is too long".into()); }
        if let Some(Json::String(p)) = m.get("pattern") {
            if !self.patterns[p].is_match(text) { return Err(format!("does not match \"{p}\"")); }
        }
        Ok(())
    }

    fn array(&self, m: &Map<String, Json>, items: &[Json], at: &str, depth: usize) -> Result<(), String> {
        let fail = |msg: &str| Err(format!("{}: {msg}", loc(at)));
        let n = items.len() as u64;
        if m.get("minItems").and_then(Json::as_u64).is_some_and(|x| n < x) { return fail("has too few items"); }
        if m.get("maxItems").and_then(Json::as_u64).is_some_and(|x| n > x) { return fail("has too many items"); }
        if m.get("uniqueItems") == Some(&Json::Bool(true)) {
            for (i, a) in items.iter().enumerate() {
                if items[..i].iter().any(|b| same(a, b)) { return fail("has duplicate items"); }
            }
        }
        match m.get("items") {
            Some(Json::Array(tuple)) => {
                for (i, v) in items.iter().enumerate() {
                    let s = tuple.get(i).or_else(|| m.get("additionalItems"));
                    if let Some(s) = s { self.check(s, v, &format!("{at}/{i}"), depth + 1)?; }
                }
            }
            Some(s) => {
                for (i, v) in items.iter().enumerate() { self.check(s, v, &format!("{at}/{i}"), depth + 1)?; }
            }
            None => {}
        }
        if let Some(c) = m.get("contains") {
            if !items.iter().any(|v| self.check(c, v, at, depth + 1).is_ok()) { return fail("contains no matching item"); }
        }
        Ok(())
    }

    fn object(&self, m: &Map<String, Json>, obj: &Map<String, Json>, at: &str, depth: usize) -> Result<(), String> {
        let fail = |msg: String| Err(format!("{}: {msg}", loc(at)));
        let n = obj.len() as u64;
        if m.get("minProperties").and_then(Json::as_u64).is_some_and(|x| n < x) { return fail("has too few properties".into()); }
        if m.get("maxProperties").and_then(Json::as_u64).is_some_and(|x| n > x) { return fail("has too many properties".into()); }
        if let Some(Json::Array(req)) = m.get("required") {
            if let Some(k) = req.iter().filter_map(Json::as_str).find(|k| !obj.contains_key(*k)) {
                return fail(format!("property \"{k}\" is required"));
            }
        }
        let props = m.get("properties").and_then(Json::as_object);
        let pattern_props = m.get("patternProperties").and_then(Json::as_object);
        for (k, v) in obj {
            let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
            let mut known = false;
            if let Some(s) = props.and_then(|p| p.get(k)) {
                known = true;
                self.check(s, v, &here, depth + 1)?;
            }
            for (p, s) in pattern_props.into_iter().flatten() {
                if self.patterns[p].is_match(k) {
                    known = true;
                    self.check(s, v, &here, depth + 1)?;
                }
            }
            if !known {
                if let Some(s) = m.get("additionalProperties") {
                    if s == &Json::Bool(false) { return fail(format!("property \"{k}\" is not allowed")); }
                    self.check(s, v, &here, depth + 1)?;
                }
            }
            if let Some(s) = m.get("propertyNames") {
                self.check(s, &Json::String(k.clone()), &here, depth + 1)?;
            }
        }
        if let Some(Json::Object(deps)) = m.get("dependencies") {
            for (k, d) in deps.iter().filter(|(k, _)| obj.contains_key(*k)) {
                match d {
                    Json::Array(names) => {
                        if let Some(missing) = names.iter().filter_map(Json::as_str).find(|n| !obj.contains_key(*n)) {
                            return fail(format!("property \"{missing}\" is required with \"{k}\""));
                        }
                    }
                    s => self.check(s, &Json::Object(obj.clone()), at, depth + 1)?,
                }
            }
        }
        Ok(())
    }

    fn combinators(&self, m: &Map<String, Json>, v: &Json, at: &str, depth: usize) -> Result<(), String> {
        let ok = |s: &Json| self.check(s, v, at, depth + 1).is_ok();
        if let Some(Json::Array(all)) = m.get("allOf") {
            for s in all { self.check(s, v, at, depth + 1)?; }
        }
        if let Some(Json::Array(any)) = m.get("anyOf") {
            if !any.iter().any(ok) { return Err(format!("{}: matches none of anyOf", loc(at))); }
        }
        if let Some(Json::Array(one)) = m.get("oneOf") {
            if one.iter().filter(|s| ok(s)).count() != 1 { return Err(format!("{}: must match exactly one of oneOf", loc(at))); }
        }
        if let Some(s) = m.get("not") {
            if ok(s) { return Err(format!("{}: must not match \"not\"", loc(at))); }
        }
        if let Some(cond) = m.get("if") {
            let branch = if ok(cond) { m.get("then") } else { m.get("else") };
            if let Some(s) = branch { self.check(s, v, at, depth + 1)?; }
        }
        Ok(())
    }
}

fn loc(at: &str) -> &str {
    if at.is_empty() { "the payload" } else { at }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errs(schema: &str, value: &str) -> Option<String> {
        Schema::compile(schema).unwrap().validate(&serde_json::from_str(value).unwrap()).err()
    }

    #[test]
    fn keywords() {
        let s = r#"{"type":"object","required":["temperature"],"properties":{"temperature":{"type":"number","minimum":-40},"humidity":{"type":"integer"},"id":{"type":"string","pattern":"^d[0-9]+$"}},"additionalProperties":false}"#;
        assert_eq!(errs(s, r#"{"temperature":21.5,"humidity":40,"id":"d1"}"#), None);
        assert_eq!(errs(s, r#"{"humidity":40}"#).unwrap(), "the payload: property \"temperature\" is required");
        assert_eq!(errs(s, r#"{"temperature":-41}"#).unwrap(), "/temperature: must be >= -40");
        assert_eq!(errs(s, r#"{"temperature":1,"humidity":40.5}"#).unwrap(), "/humidity: must be integer");
        assert_eq!(errs(s, r#"{"temperature":1,"id":"x1"}"#).unwrap(), "/id: does not match \"^d[0-9]+$\"");
        assert_eq!(errs(s, r#"{"temperature":1,"extra":1}"#).unwrap(), "the payload: property \"extra\" is not allowed");
        assert_eq!(errs(r#"{"type":"integer"}"#, "3.0"), None);
    }

    #[test]
    fn refs_combinators_arrays() {
        let s = r##"{"definitions":{"t":{"enum":["a","b"]}},"properties":{"k":{"$ref":"#/definitions/t"},"l":{"type":"array","items":{"type":"number"},"uniqueItems":true},"o":{"oneOf":[{"type":"string"},{"type":"number"}]}}}"##;
        assert_eq!(errs(s, r#"{"k":"a","l":[1,2],"o":1}"#), None);
        assert!(errs(s, r#"{"k":"c"}"#).is_some());
        assert_eq!(errs(s, r#"{"l":[1,1.0]}"#).unwrap(), "/l: has duplicate items");
        assert_eq!(errs(s, r#"{"l":[1,"x"]}"#).unwrap(), "/l/1: must be number");
        assert!(errs(s, r#"{"o":true}"#).is_some());
    }

    #[test]
    fn refused_at_compile() {
        assert!(Schema::compile(r#"{"$ref":"https://example.com/s.json"}"#).is_err());
        assert!(Schema::compile(r##"{"$ref":"#/definitions/none"}"##).is_err());
        assert!(Schema::compile(r#"{"pattern":"("}"#).is_err());
        assert!(Schema::compile("42").is_err());
    }
}
