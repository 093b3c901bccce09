//! Window 1.1.0 `triggers` (reference §1.3, §3.5, §2.4 running functions):
//! expression rules that close a window; the first true rule wins.
//! Running functions see the window's PREVIOUS messages (use `$n` for the
//! current one) and reset when the window closes.

use crate::dataset::StateRead;
use crate::func::{eval, Agg, Aggregates};
use crate::parse::Mode;
use crate::rules::{check_common, resolve, Msg, Payload, Rule, RuleJson};
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
    sum: f64,
    nums: u64,
    min: Option<Value>,
    max: Option<Value>,
    present: u64,
    first: Option<Value>,
    prev: Option<Value>,
    /// The previous message's value (Empty included), for `changed`.
    before: Option<Value>,
}

impl Run {
    fn add(&mut self, v: &Value) {
        self.before = Some(v.clone());
        if matches!(v, Value::Empty) {
            return;
        }
        self.present += 1;
        self.first.get_or_insert_with(|| v.clone());
        self.prev = Some(v.clone());
        if let Some(n) = v.as_f64() {
            self.sum += n;
            self.nums += 1;
            if self.min.as_ref().map_or(true, |m| n < m.as_f64().unwrap()) {
                self.min = Some(v.clone());
            }
            if self.max.as_ref().map_or(true, |m| n > m.as_f64().unwrap()) {
                self.max = Some(v.clone());
            }
        }
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
        let (r, cur) = (&self.runs[input - 1], &self.vars[input - 1]);
        Ok(match agg {
            Agg::RunSum => Value::Float(r.sum),
            // With no previous numeric value, avg/min/max give the current value (as min/max are documented).
            Agg::RunAvg => if r.nums == 0 { cur.clone() } else { Value::Float(r.sum / r.nums as f64) },
            Agg::RunMin => r.min.clone().unwrap_or_else(|| cur.clone()),
            Agg::RunMax => r.max.clone().unwrap_or_else(|| cur.clone()),
            Agg::RunCount => Value::Int(r.present as i64),
            Agg::First => r.first.clone().unwrap_or_else(|| cur.clone()),
            Agg::Prev => r.prev.clone().unwrap_or_else(|| cur.clone()),
            Agg::Changed => Value::Bool(r.before.as_ref().is_some_and(|b| !b.equals(cur))),
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
