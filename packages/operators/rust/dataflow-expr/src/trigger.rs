//! Window 1.1.0 `triggers` (reference §1.3, §3.5, §2.4 running functions):
//! expression rules that close a window; the first true rule wins.
//! Running functions see the window's PREVIOUS messages (use `$n` for the
//! current one) and reset when the window closes.

use crate::dataset::StateRead;
use crate::func::{eval, Agg, Aggregates};
use crate::parse::Mode;
use crate::rules::{check_common, resolve, Msg, Payload, Rule, RuleJson};
use crate::stats::RunningStats;
use crate::value::Value;
use serde::Deserialize;
use serde_json::Value as Json;
use std::cell::RefCell;
use std::collections::HashMap;

/// Where the message that closes a window goes.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub enum Boundary {
    #[serde(rename = "messageInCurrent")]
    Current,
    #[serde(rename = "messageInNext")]
    Next,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct TriggerRuleJson {
    inputs: Vec<String>,
    trigger: String,
    #[serde(default)]
    boundary_message: Option<Boundary>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TriggersJson {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    datasets: Option<Json>,
    rules: Vec<TriggerRuleJson>,
}

/// Running values of one input over the window's previous messages.
#[derive(Clone, Debug, Default)]
struct Run {
    stats: RunningStats,
    /// The previous message's value (Empty included), for `changed`.
    before: Option<Value>,
}

impl Run {
    fn add(&mut self, v: &Value) {
        self.before = Some(v.clone());
        self.stats.add(v);
    }
}

struct TriggerRule {
    rule: Rule,
    boundary: Boundary,
    runs: RefCell<Vec<Run>>,
}

/// What running functions read: the rule's running state and the current values.
struct RunView<'a> {
    runs: &'a [Run],
    vars: &'a [Value],
    messages: u64,
}

impl Aggregates for RunView<'_> {
    fn aggregate(&self, agg: Agg, input: usize) -> Result<Value, String> {
        if input == 0 {
            return Ok(Value::Int(self.messages as i64)); // running_count()
        }
        let (run, cur) = (&self.runs[input - 1], &self.vars[input - 1]);
        let s = &run.stats;
        Ok(match agg {
            Agg::RunSum => Value::Float(s.sum),
            // With no previous numeric value, avg/min/max give the current value (as min/max are documented).
            Agg::RunAvg => s.average().map_or_else(|| cur.clone(), Value::Float),
            Agg::RunMin => s.min.clone().unwrap_or_else(|| cur.clone()),
            Agg::RunMax => s.max.clone().unwrap_or_else(|| cur.clone()),
            Agg::RunCount => Value::Int(s.present as i64),
            Agg::First => s.first.clone().unwrap_or_else(|| cur.clone()),
            // prev(): the last present value before this message.
            Agg::Prev => s.last.clone().unwrap_or_else(|| cur.clone()),
            Agg::Changed => Value::Bool(run.before.as_ref().is_some_and(|b| !b.equals(cur))),
            other => return Err(format!("{other:?} is an accumulate aggregation, not a trigger function")),
        })
    }
}

/// A message's bound inputs, per rule, with the dataset records that rules may skip on.
pub struct Bound {
    vars: Vec<Vec<Value>>,
    ctx: Vec<Option<Json>>,
}

pub struct Triggers {
    rules: Vec<TriggerRule>,
    datasets: crate::dataset::Datasets,
    last: RefCell<HashMap<String, Value>>,
    messages: RefCell<u64>,
}

impl Triggers {
    pub fn compile(text: &str) -> Result<Triggers, String> {
        let j: TriggersJson = serde_json::from_str(text).map_err(|e| format!("triggers are not valid: {e}"))?;
        if j.kind != "expression" {
            return Err(format!("triggers type \"{}\" is not supported (expression)", j.kind));
        }
        if j.rules.is_empty() {
            return Err("triggers need at least one rule".into());
        }
        let datasets = check_common(&None, &j.datasets)?;
        let mut rules = Vec::new();
        for (i, r) in j.rules.iter().enumerate() {
            let rj = RuleJson { inputs: Some(r.inputs.clone()), output: None, expression: Some(r.trigger.clone()), description: r.description.clone() };
            let rule = Rule::compile_in(Mode::Trigger, i, &rj, true, false, &datasets).map_err(|e| format!("trigger {e}"))?;
            let runs = RefCell::new(vec![Run::default(); r.inputs.len()]);
            rules.push(TriggerRule { rule, boundary: r.boundary_message.unwrap_or(Boundary::Current), runs });
        }
        Ok(Triggers { rules, datasets, last: RefCell::new(HashMap::new()), messages: RefCell::new(0) })
    }

    /// Binds every rule's inputs for one message (datasets read once).
    pub fn bind(&self, msg: &Msg, store: &dyn StateRead) -> Result<Bound, String> {
        let mut payload = Payload::new(&msg.payload);
        let ctx = resolve(&self.datasets, store, &mut payload)?;
        let vars = self.rules.iter().map(|r| if r.rule.skipped(&ctx) { Ok(Vec::new()) } else { r.rule.vars(msg, &mut payload, &[], &ctx, &self.last) }).collect::<Result<_, _>>()?;
        Ok(Bound { vars, ctx })
    }

    /// The boundary of the first rule that is true for this message, if any.
    pub fn fires(&self, b: &Bound) -> Result<Option<Boundary>, String> {
        for (r, vars) in self.rules.iter().zip(&b.vars) {
            if r.rule.skipped(&b.ctx) {
                continue;
            }
            let runs = r.runs.borrow();
            let view = RunView { runs: &runs, vars, messages: *self.messages.borrow() };
            match eval(r.rule.expr.as_ref().unwrap(), vars, &view).map_err(|e| format!("{}: {e}", r.rule.label))? {
                Value::Bool(true) => return Ok(Some(r.boundary)),
                Value::Bool(false) => {}
                other => return Err(format!("{}: a trigger must give a boolean, got {} {}", r.rule.label, other.type_name(), other.display())),
            }
        }
        Ok(None)
    }

    /// Counts the message in the current window's running state.
    pub fn add(&self, b: &Bound) {
        *self.messages.borrow_mut() += 1;
        for (r, vars) in self.rules.iter().zip(&b.vars) {
            for (run, v) in r.runs.borrow_mut().iter_mut().zip(vars) {
                run.add(v);
            }
        }
    }

    /// A new window: running state starts again.
    pub fn reset(&self) {
        *self.messages.borrow_mut() = 0;
        for r in &self.rules {
            r.runs.borrow_mut().iter_mut().for_each(|x| *x = Run::default());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::NoState;

    /// Every running function of `$1` (field `v`) while `current` is tested, after `previous` joined the window.
    fn running(previous: &[&str], current: &str) -> Vec<String> {
        let t = Triggers::compile(r#"{"type":"expression","rules":[{"inputs":["v"],"trigger":"$1 == 0"}]}"#).unwrap();
        let bind = |p: &str| t.bind(&Msg { payload: p.as_bytes().to_vec(), ..Msg::default() }, &NoState).unwrap();
        for p in previous {
            t.add(&bind(p));
        }
        let b = bind(current);
        let runs = t.rules[0].runs.borrow();
        let view = RunView { runs: &runs, vars: &b.vars[0], messages: *t.messages.borrow() };
        let mut shown = vec![format!("{}", view.aggregate(Agg::RunCount, 0).unwrap().display())];
        for agg in [Agg::RunSum, Agg::RunAvg, Agg::RunMin, Agg::RunMax, Agg::RunCount, Agg::First, Agg::Prev, Agg::Changed] {
            let v = view.aggregate(agg, 1).unwrap();
            shown.push(format!("{} {}", v.type_name(), v.display()));
        }
        shown
    }

    #[test]
    fn before_any_message_the_current_value_stands_in() {
        assert_eq!(running(&[], r#"{"v":5}"#), ["0", "float 0.0", "int 5", "int 5", "int 5", "int 0", "int 5", "int 5", "boolean false"]);
    }

    #[test]
    fn previous_messages_count_and_empty_values_are_skipped() {
        let got = running(&[r#"{"v":4}"#, r#"{"v":null}"#, r#"{"v":1.5}"#, r#"{"w":1}"#], r#"{"v":1.5}"#);
        assert_eq!(got, ["4", "float 5.5", "float 2.75", "float 1.5", "int 4", "int 2", "int 4", "float 1.5", "boolean true"]);
        let unchanged = running(&[r#"{"v":2}"#], r#"{"v":2.0}"#);
        assert_eq!(unchanged.last().unwrap(), "boolean false");
    }
}
