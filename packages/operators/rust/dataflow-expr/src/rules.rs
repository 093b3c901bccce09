//! The rules JSON of map, filter and branch (reference §1.3) and how they run
//! on a message (§3.1–3.3). Everything is parsed and checked once, at init.

use crate::dataset::{Datasets, StateRead};
use crate::func::{eval, NoAggregates};
use crate::parse::{max_var, parse, Expr, Mode};
use crate::path::{captures, get, remove, set, Input, Meta, Path, Source};
use crate::value::Value;
use serde::Deserialize;
use serde_json::Value as Json;
use std::cell::RefCell;
use std::collections::HashMap;

/// A message as the rules see it.
#[derive(Clone, Debug, Default)]
pub struct Msg {
    pub topic: String,
    pub content_type: Option<String>,
    pub user_properties: Vec<(String, String)>,
    pub payload: Vec<u8>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RuleJson {
    #[serde(default)]
    pub(crate) inputs: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) output: Option<String>,
    #[serde(default)]
    pub(crate) expression: Option<String>,
    #[serde(default)]
    pub(crate) description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MapJson {
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    datasets: Option<Json>,
    map: Vec<RuleJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct FilterJson {
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    datasets: Option<Json>,
    #[serde(default)]
    validate_schema: Option<bool>,
    filter: Vec<RuleJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BranchJson {
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    datasets: Option<Json>,
    branch: RuleJson,
}

pub(crate) fn check_common(version: &Option<String>, datasets: &Option<Json>) -> Result<Datasets, String> {
    if let Some(v) = version {
        if v != "1.0.0" {
            return Err(format!("unsupported rules version \"{v}\" (1.0.0)"));
        }
    }
    Datasets::compile(datasets)
}

/// Each dataset's record for this message (empty when there are no datasets).
pub(crate) fn resolve(datasets: &Datasets, store: &dyn StateRead, payload: &mut Payload) -> Result<Vec<Option<Json>>, String> {
    if datasets.0.is_empty() {
        return Ok(Vec::new());
    }
    datasets.resolve(store, &mut || payload.json().cloned())
}

fn parse_json<'a, T: Deserialize<'a>>(text: &'a str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("rules are not valid: {e}"))
}

fn label(index: usize, description: &Option<String>) -> String {
    match description {
        Some(d) if !d.is_empty() => format!("rule {} (\"{d}\")", index + 1),
        _ => format!("rule {}", index + 1),
    }
}

/// The payload, parsed once per message when a rule reads it.
pub struct Payload<'a> {
    bytes: &'a [u8],
    parsed: Option<Result<Json, String>>,
}

impl<'a> Payload<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Payload { bytes, parsed: None }
    }
    pub fn json(&mut self) -> Result<&Json, String> {
        if self.parsed.is_none() {
            self.parsed = Some(match serde_json::from_slice::<Json>(self.bytes) {
                Ok(j @ Json::Object(_)) => Ok(j),
                Ok(_) => Err("the payload is not a JSON object".into()),
                Err(e) => Err(format!("the payload is not JSON: {e}")),
            });
        }
        self.parsed.as_ref().unwrap().as_ref().map_err(|e| e.clone())
    }
}

fn read_meta(msg: &Msg, m: &Meta) -> Value {
    match m {
        Meta::Topic => Value::Str(msg.topic.clone()),
        Meta::ContentType => msg.content_type.clone().map(Value::Str).unwrap_or(Value::Empty),
        Meta::UserProperty(k) => msg.user_properties.iter().find(|(key, _)| key == k).map(|(_, v)| Value::Str(v.clone())).unwrap_or(Value::Empty),
    }
}

/// One compiled rule (inputs resolved to sources, expression parsed).
pub(crate) struct Rule {
    inputs: Vec<Input>,
    pub(crate) expr: Option<Expr>,
    pub(crate) label: String,
    /// Per input, the dataset index of a `$context(alias)` input.
    contexts: Vec<Option<usize>>,
}

impl Rule {
    fn compile(index: usize, r: &RuleJson, need_expr: bool, allow_wildcard: bool, datasets: &Datasets) -> Result<Rule, String> {
        Rule::compile_in(Mode::Row, index, r, need_expr, allow_wildcard, datasets)
    }

    pub(crate) fn compile_in(mode: Mode, index: usize, r: &RuleJson, need_expr: bool, allow_wildcard: bool, datasets: &Datasets) -> Result<Rule, String> {
        let label = label(index, &r.description);
        let inputs = r.inputs.as_ref().ok_or_else(|| format!("{label}: \"inputs\" is required"))?;
        let inputs: Vec<Input> = inputs.iter().map(|i| Input::parse(i)).collect::<Result<_, _>>().map_err(|e| format!("{label}: {e}"))?;
        if !allow_wildcard && inputs.iter().any(Input::wildcard) {
            return Err(format!("{label}: wildcard inputs are not allowed here"));
        }
        let expr = match &r.expression {
            Some(src) => Some(parse(src, mode).map_err(|e| format!("{label}: expression \"{src}\": {e}"))?),
            None if need_expr => return Err(format!("{label}: \"expression\" is required")),
            None => None,
        };
        if let Some(e) = &expr {
            let n = max_var(e);
            if n > inputs.len() {
                return Err(format!("{label}: the expression uses ${n} but the rule has {} input(s)", inputs.len()));
            }
        }
        let contexts = inputs
            .iter()
            .map(|i| match &i.source {
                Source::Context(alias, _) => datasets.index(alias).map(Some).ok_or_else(|| format!("{label}: $context({alias}): no dataset has that alias")),
                _ => Ok(None),
            })
            .collect::<Result<_, _>>()?;
        Ok(Rule { inputs, expr, label, contexts })
    }

    /// A rule reading a dataset that matched no record is skipped (reference §2.7).
    pub(crate) fn skipped(&self, ctx: &[Option<Json>]) -> bool {
        self.contexts.iter().flatten().any(|d| ctx[*d].is_none())
    }

    /// The value of input `i` for a message (wildcard inputs with the capture substituted).
    fn bind(&self, i: usize, msg: &Msg, payload: &mut Payload, capture: &[String], ctx: &[Option<Json>], last: &RefCell<HashMap<String, Value>>) -> Result<Value, String> {
        let input = &self.inputs[i];
        let (v, key) = match &input.source {
            Source::Meta(m) => (read_meta(msg, m), format!("{i}\u{0}{}", input.text)),
            Source::Context(_, segs) => {
                let rec = self.contexts[i].and_then(|d| ctx[d].as_ref());
                (rec.and_then(|r| get(r, segs)).map(Value::from_json).unwrap_or(Value::Empty), format!("{i}\u{0}{}", input.text))
            }
            Source::Payload(p) => {
                let segs = p.substitute(capture);
                let json = payload.json()?;
                (get(json, &segs).map(Value::from_json).unwrap_or(Value::Empty), format!("{i}\u{0}{}", segs.join("\u{1}")))
            }
        };
        if !matches!(v, Value::Empty) {
            if input.last {
                last.borrow_mut().insert(key, v.clone());
            }
            return Ok(v);
        }
        if input.last {
            if let Some(prev) = last.borrow().get(&key) {
                return Ok(prev.clone());
            }
        }
        Ok(input.default.clone().unwrap_or(Value::Empty))
    }

    /// The values of every input for a message (`$1`, `$2`, …).
    pub(crate) fn vars(&self, msg: &Msg, payload: &mut Payload, capture: &[String], ctx: &[Option<Json>], last: &RefCell<HashMap<String, Value>>) -> Result<Vec<Value>, String> {
        let mut vars = Vec::with_capacity(self.inputs.len());
        for i in 0..self.inputs.len() {
            vars.push(self.bind(i, msg, payload, capture, ctx, last).map_err(|e| format!("{}: {e}", self.label))?);
        }
        Ok(vars)
    }

    fn evaluate(&self, msg: &Msg, payload: &mut Payload, capture: &[String], ctx: &[Option<Json>], last: &RefCell<HashMap<String, Value>>) -> Result<Value, String> {
        let vars = self.vars(msg, payload, capture, ctx, last)?;
        match &self.expr {
            Some(e) => eval(e, &vars, &NoAggregates).map_err(|e| format!("{}: {e}", self.label)),
            None => Ok(vars.into_iter().next().unwrap_or(Value::Empty)),
        }
    }
}

enum Output {
    Remove,
    Payload(Path),
    Meta(Meta),
}

struct MapRule {
    rule: Rule,
    output: Output,
}

/// A compiled map transform.
pub struct MapRules {
    rules: Vec<MapRule>,
    datasets: Datasets,
    last: RefCell<HashMap<String, Value>>,
}

struct Write {
    /// The first input's resolved payload path (what specialization compares).
    input: Option<Vec<String>>,
    coverage: usize,
    target: Target,
    value: Value,
    rule: usize,
}

enum Target {
    Payload(Vec<String>),
    Meta(Meta),
}

impl MapRules {
    pub fn compile(text: &str) -> Result<MapRules, String> {
        let j: MapJson = parse_json(text)?;
        let datasets = check_common(&j.version, &j.datasets)?;
        let mut rules = Vec::new();
        for (i, r) in j.map.iter().enumerate() {
            let rule = Rule::compile(i, r, false, true, &datasets)?;
            let label = rule.label.clone();
            let out_text = r.output.as_deref().ok_or_else(|| format!("{label}: \"output\" is required"))?;
            let output = if out_text.is_empty() {
                if rule.expr.is_some() {
                    return Err(format!("{label}: a remove rule (output \"\") takes no expression"));
                }
                if rule.inputs.iter().any(|i| !matches!(i.source, Source::Payload(_))) {
                    return Err(format!("{label}: a remove rule removes payload fields"));
                }
                Output::Remove
            } else if out_text.starts_with("$metadata") {
                Output::Meta(Meta::parse(out_text).map_err(|e| format!("{label}: {e}"))?)
            } else {
                Output::Payload(Path::parse(out_text).map_err(|e| format!("{label}: output: {e}"))?)
            };
            let in_wild = rule.inputs.first().map(Input::wildcard).unwrap_or(false);
            let out_wild = matches!(&output, Output::Payload(p) if p.wildcard.is_some());
            if rule.inputs.iter().skip(1).any(Input::wildcard) && !in_wild {
                return Err(format!("{label}: a wildcard input other than the first needs the first input to be a wildcard"));
            }
            if out_wild && !in_wild {
                return Err(format!("{label}: a wildcard output needs a wildcard first input"));
            }
            if in_wild && matches!(output, Output::Meta(_)) {
                return Err(format!("{label}: a wildcard rule cannot write metadata"));
            }
            if rule.inputs.is_empty() && rule.expr.is_none() {
                return Err(format!("{label}: a rule without inputs needs an expression"));
            }
            rules.push(MapRule { rule, output });
        }
        Ok(MapRules { rules, datasets, last: RefCell::new(HashMap::new()) })
    }

    pub fn apply(&self, msg: &Msg, store: &dyn StateRead) -> Result<Msg, String> {
        let mut payload = Payload::new(&msg.payload);
        let ctx = resolve(&self.datasets, store, &mut payload)?;
        let mut writes: Vec<Write> = Vec::new();
        let mut removals: Vec<Vec<String>> = Vec::new();
        for (ri, r) in self.rules.iter().enumerate() {
            if r.rule.skipped(&ctx) {
                continue;
            }
            match &r.output {
                Output::Remove => {
                    for i in &r.rule.inputs {
                        if let Source::Payload(p) = &i.source {
                            removals.push(p.segs.clone());
                        }
                    }
                }
                _ if r.rule.inputs.first().map(Input::wildcard).unwrap_or(false) => {
                    let Source::Payload(first) = &r.rule.inputs[0].source else { unreachable!() };
                    let caps = {
                        let json = payload.json().map_err(|e| format!("{}: {e}", r.rule.label))?;
                        captures(json, first)
                    };
                    'capture: for cap in caps {
                        // A capture that does not resolve in every wildcard input is skipped.
                        for inp in &r.rule.inputs {
                            if let Source::Payload(p) = &inp.source {
                                if p.wildcard.is_some() && get(payload.json()?, &p.substitute(&cap)).is_none() && inp.default.is_none() && !inp.last {
                                    continue 'capture;
                                }
                            }
                        }
                        let value = r.rule.evaluate(msg, &mut payload, &cap, &ctx, &self.last)?;
                        let Output::Payload(out) = &r.output else { unreachable!() };
                        push_write(&mut writes, Write { input: Some(first.substitute(&cap)), coverage: cap.len(), target: Target::Payload(out.substitute(&cap)), value, rule: ri });
                    }
                }
                output => {
                    let value = r.rule.evaluate(msg, &mut payload, &[], &ctx, &self.last)?;
                    let input = match r.rule.inputs.first().map(|i| &i.source) {
                        Some(Source::Payload(p)) => Some(p.segs.clone()),
                        _ => None,
                    };
                    let target = match output {
                        Output::Payload(p) => Target::Payload(p.segs.clone()),
                        Output::Meta(m) => Target::Meta(m.clone()),
                        Output::Remove => unreachable!(),
                    };
                    push_write(&mut writes, Write { input, coverage: 0, target, value, rule: ri });
                }
            }
        }
        let mut out_json = Json::Object(Default::default());
        let mut out = Msg { payload: Vec::new(), ..msg.clone() };
        for w in writes {
            let label = &self.rules[w.rule].rule.label;
            match &w.target {
                Target::Payload(segs) => {
                    let Some(mut json) = w.value.to_json().map_err(|e| format!("{label}: {e}"))? else { continue };
                    if let Some(input) = &w.input {
                        // An empty output excludes the field, even from a wildcard copy.
                        if removals.iter().any(|r| r == input) {
                            continue;
                        }
                        for r in &removals {
                            if r.len() > input.len() && r.starts_with(input) {
                                remove(&mut json, &r[input.len()..]);
                            }
                        }
                    }
                    set(&mut out_json, segs, json);
                }
                Target::Meta(m) => write_meta(&mut out, m, &w.value).map_err(|e| format!("{label}: {e}"))?,
            }
        }
        out.payload = serde_json::to_vec(&out_json).map_err(|e| e.to_string())?;
        Ok(out)
    }
}

/// Specialization: a payload write displaces earlier payload writes of the same
/// input field with a higher wildcard coverage. Metadata writes displace nothing.
fn push_write(writes: &mut Vec<Write>, w: Write) {
    if let (Some(input), Target::Payload(_)) = (&w.input, &w.target) {
        writes.retain(|e| !(matches!(e.target, Target::Payload(_)) && e.input.as_ref() == Some(input) && e.coverage > w.coverage));
    }
    writes.push(w);
}

fn write_meta(msg: &mut Msg, m: &Meta, v: &Value) -> Result<(), String> {
    let text = match v {
        Value::Empty => None,
        Value::Json(_) => return Err("a JSON object cannot be written to metadata".into()),
        other => Some(other.display()),
    };
    match m {
        Meta::Topic => msg.topic = text.unwrap_or_default(),
        Meta::ContentType => msg.content_type = text,
        Meta::UserProperty(k) => {
            msg.user_properties.retain(|(key, _)| key != k);
            if let Some(t) = text {
                msg.user_properties.push((k.clone(), t));
            }
        }
    }
    Ok(())
}

/// Evaluates a rule to a boolean; anything else is an error.
/// A rule skipped for want of a dataset record counts as false.
fn truth(rule: &Rule, msg: &Msg, payload: &mut Payload, ctx: &[Option<Json>], last: &RefCell<HashMap<String, Value>>) -> Result<bool, String> {
    if rule.skipped(ctx) {
        return Ok(false);
    }
    match rule.evaluate(msg, payload, &[], ctx, last)? {
        Value::Bool(b) => Ok(b),
        other => Err(format!("{}: the expression must give a boolean, got {} {}", rule.label, other.type_name(), other.display())),
    }
}

/// A compiled filter: any rule true drops the message.
pub struct FilterRules {
    rules: Vec<Rule>,
    datasets: Datasets,
    /// `validateSchema: true`: the operator validates the payload before the rules.
    pub validate_schema: bool,
    last: RefCell<HashMap<String, Value>>,
}

impl FilterRules {
    pub fn compile(text: &str) -> Result<FilterRules, String> {
        let j: FilterJson = parse_json(text)?;
        let datasets = check_common(&j.version, &j.datasets)?;
        let rules = j.filter.iter().enumerate().map(|(i, r)| {
            if r.output.is_some() {
                return Err(format!("{}: filter rules have no \"output\"", label(i, &r.description)));
            }
            Rule::compile(i, r, true, false, &datasets)
        }).collect::<Result<_, _>>()?;
        Ok(FilterRules { rules, datasets, validate_schema: j.validate_schema == Some(true), last: RefCell::new(HashMap::new()) })
    }

    /// True when the message passes (no rule matched).
    pub fn keep(&self, msg: &Msg, store: &dyn StateRead) -> Result<bool, String> {
        let mut payload = Payload::new(&msg.payload);
        let ctx = resolve(&self.datasets, store, &mut payload)?;
        for r in &self.rules {
            if truth(r, msg, &mut payload, &ctx, &self.last)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// A compiled branch: its one rule picks the arm.
pub struct BranchRule {
    rule: Rule,
    datasets: Datasets,
    last: RefCell<HashMap<String, Value>>,
}

impl BranchRule {
    pub fn compile(text: &str) -> Result<BranchRule, String> {
        let j: BranchJson = parse_json(text)?;
        let datasets = check_common(&j.version, &j.datasets)?;
        if j.branch.output.is_some() {
            return Err("the branch rule has no \"output\"".into());
        }
        Ok(BranchRule { rule: Rule::compile(0, &j.branch, true, false, &datasets)?, datasets, last: RefCell::new(HashMap::new()) })
    }

    /// The arm; a rule skipped for want of a dataset record sends the message to false.
    pub fn choose(&self, msg: &Msg, store: &dyn StateRead) -> Result<bool, String> {
        let mut payload = Payload::new(&msg.payload);
        let ctx = resolve(&self.datasets, store, &mut payload)?;
        truth(&self.rule, msg, &mut payload, &ctx, &self.last)
    }
}
