//! Window accumulation (reference §3.5): `delay` timing and `accumulate` rules.
//! Aggregation state is O(1) per input (`stats::RunningStats`).

use crate::func::{eval, Agg, Aggregates};
use crate::parse::{max_var, parse, Expr, Mode};
use crate::path::{get, set, Path};
use crate::stats::RunningStats;
use crate::value::Value;
use serde::Deserialize;
use serde_json::Value as Json;
use std::collections::HashSet;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct DelayJson {
    #[serde(rename = "type")]
    kind: String,
    delay_seconds: u64,
}

/// The `delay` configuration: the window length in seconds.
pub fn parse_delay(text: &str) -> Result<u64, String> {
    let d: DelayJson = serde_json::from_str(text).map_err(|e| format!("delay is not valid: {e}"))?;
    if d.kind != "duration" {
        return Err(format!("delay type \"{}\" is not supported (duration)", d.kind));
    }
    if d.delay_seconds == 0 {
        return Err("delaySeconds must be greater than 0".into());
    }
    Ok(d.delay_seconds)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccRuleJson {
    inputs: Vec<String>,
    output: String,
    expression: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccJson {
    #[serde(default)]
    version: Option<String>,
    accumulate: Vec<AccRuleJson>,
}

struct AccRule {
    inputs: Vec<Path>,
    output: Path,
    expr: Expr,
    label: String,
}

pub struct AccumulateRules {
    rules: Vec<AccRule>,
}

/// Per rule, per input.
pub type WindowState = Vec<Vec<RunningStats>>;

struct View<'a>(&'a [RunningStats]);

impl Aggregates for View<'_> {
    fn aggregate(&self, agg: Agg, input: usize) -> Result<Value, String> {
        let s = &self.0[input - 1];
        let empty = |name: &str| Err(format!("{name}(${input}) of a window without values"));
        match agg {
            Agg::Average => s.average().map_or_else(|| empty("average"), |a| Ok(Value::Float(a))),
            Agg::Sum => Ok(Value::Float(s.sum)),
            Agg::Count => Ok(Value::Int(s.present as i64)),
            Agg::Min => s.min.clone().map_or_else(|| empty("min"), Ok),
            Agg::Max => s.max.clone().map_or_else(|| empty("max"), Ok),
            Agg::First => s.first.clone().map_or_else(|| empty("first"), Ok),
            Agg::Last => s.last.clone().map_or_else(|| empty("last"), Ok),
            other => Err(format!("{other:?} exists only in window triggers")),
        }
    }
}

impl AccumulateRules {
    pub fn compile(text: &str) -> Result<AccumulateRules, String> {
        let j: AccJson = serde_json::from_str(text).map_err(|e| format!("rules are not valid: {e}"))?;
        if let Some(v) = &j.version {
            if v != "1.0.0" {
                return Err(format!("unsupported rules version \"{v}\" (1.0.0)"));
            }
        }
        let mut outputs = HashSet::new();
        let mut rules = Vec::new();
        for (i, r) in j.accumulate.iter().enumerate() {
            let label = match &r.description { Some(d) if !d.is_empty() => format!("rule {} (\"{d}\")", i + 1), _ => format!("rule {}", i + 1) };
            let mut inputs = Vec::new();
            for inp in &r.inputs {
                let t = inp.trim();
                if t.starts_with('$') || t.contains("??") || t.to_ascii_lowercase().ends_with("$last") {
                    return Err(format!("{label}: input \"{inp}\": accumulate inputs are plain field paths (no $metadata, $context, $last or ??)"));
                }
                let p = Path::parse(t).map_err(|e| format!("{label}: {e}"))?;
                if p.wildcard.is_some() {
                    return Err(format!("{label}: wildcards are not allowed in accumulate rules"));
                }
                inputs.push(p);
            }
            let src = r.expression.as_deref().ok_or_else(|| format!("{label}: \"expression\" is required"))?;
            let expr = parse(src, Mode::Accumulate).map_err(|e| format!("{label}: expression \"{src}\": {e}"))?;
            if max_var(&expr) > inputs.len() {
                return Err(format!("{label}: the expression uses ${} but the rule has {} input(s)", max_var(&expr), inputs.len()));
            }
            if r.output.starts_with('$') {
                return Err(format!("{label}: accumulate outputs are payload fields"));
            }
            let output = Path::parse(&r.output).map_err(|e| format!("{label}: output: {e}"))?;
            if output.wildcard.is_some() {
                return Err(format!("{label}: wildcards are not allowed in accumulate rules"));
            }
            if !outputs.insert(r.output.clone()) {
                return Err(format!("{label}: output \"{}\" is used twice", r.output));
            }
            rules.push(AccRule { inputs, output, expr, label });
        }
        Ok(AccumulateRules { rules })
    }

    pub fn new_state(&self) -> WindowState {
        self.rules.iter().map(|r| vec![RunningStats::default(); r.inputs.len()]).collect()
    }

    /// Adds one message's payload; a payload that is not a JSON object is an error (the message is not counted).
    pub fn add(&self, state: &mut WindowState, payload: &[u8]) -> Result<(), String> {
        let json: Json = serde_json::from_slice(payload).map_err(|e| format!("the payload is not JSON: {e}"))?;
        if !json.is_object() {
            return Err("the payload is not a JSON object".into());
        }
        for (r, s) in self.rules.iter().zip(state.iter_mut()) {
            for (p, agg) in r.inputs.iter().zip(s.iter_mut()) {
                if let Some(v) = get(&json, &p.segs) {
                    agg.add(&Value::from_json(v));
                }
            }
        }
        Ok(())
    }

    /// The window's output payload; a rule whose aggregation fails is left out and reported.
    pub fn result(&self, state: &WindowState) -> (Json, Vec<String>) {
        let mut out = Json::Object(Default::default());
        let mut errors = Vec::new();
        for (r, s) in self.rules.iter().zip(state.iter()) {
            match eval(&r.expr, &[], &View(s)).and_then(|v| v.to_json()) {
                Ok(Some(j)) => set(&mut out, &r.output.segs, j),
                Ok(None) => {}
                Err(e) => errors.push(format!("{}: {e}", r.label)),
            }
        }
        (out, errors)
    }
}

/// End of the tumbling window (aligned to the Unix epoch) holding `ms`; a time on a boundary ends its window.
pub fn window_end_ms(ms: u64, window_seconds: u64) -> u64 {
    let len = window_seconds.saturating_mul(1000).max(1);
    let rem = ms % len;
    if rem == 0 { ms } else { ms - rem + len }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accumulates_every_aggregation_over_the_window() {
        let rules = AccumulateRules::compile(r#"{"accumulate":[
            {"inputs":["t"],"output":"avg","expression":"average($1)"},
            {"inputs":["t"],"output":"sum","expression":"sum($1)"},
            {"inputs":["t"],"output":"n","expression":"count($1)"},
            {"inputs":["t"],"output":"range","expression":"(min($1), max($1))"},
            {"inputs":["t"],"output":"ends","expression":"(first($1), last($1))"}]}"#).unwrap();
        let mut state = rules.new_state();
        for p in [r#"{"t":3}"#, r#"{"x":1}"#, r#"{"t":null}"#, r#"{"t":1.5}"#, r#"{"t":"hot"}"#] {
            rules.add(&mut state, p.as_bytes()).unwrap();
        }
        let (out, errors) = rules.result(&state);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(out, serde_json::json!({"avg": 2.25, "sum": 4.5, "n": 3, "range": [1.5, 3], "ends": [3, "hot"]}));
    }

    #[test]
    fn an_empty_window_reports_the_aggregations_that_need_values() {
        let rules = AccumulateRules::compile(r#"{"accumulate":[
            {"inputs":["t"],"output":"sum","expression":"sum($1)"},
            {"inputs":["t"],"output":"avg","expression":"average($1)"}]}"#).unwrap();
        let (out, errors) = rules.result(&rules.new_state());
        assert_eq!(out, serde_json::json!({"sum": 0.0}));
        assert_eq!(errors, vec!["rule 2: average($1) of a window without values".to_string()]);
    }
}
