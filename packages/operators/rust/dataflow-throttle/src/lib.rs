//! Built-in throttle transform (`azureiotoperations/graph-dataflow-throttle`):
//! per topic pattern, the first message passes and later ones are dropped
//! until ceil(1000 / maxMessagesPerSecond) ms have passed since the last one
//! forwarded (reference §3.6). Time is the message's HLC timestamp (the host's
//! ingestion clock unless the source set `__ts`): the component has no clock.

wgs_common::operator_bindings!(
    r#"
        package wgs:dataflow-throttle;
        world dataflow-throttle {
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            import wasm-graph:processor/state-store@1.1.0;
            export wasm-graph:processor/filter@1.1.0;
        }
    "#,
    "wgs:dataflow-throttle/dataflow-throttle"
);

use exports::wasm_graph::processor::filter;
use serde::Deserialize;
use std::cell::RefCell;
use wgs_common::logger::Level;
use wgs_common::types::{DataModel, Error, ModuleConfiguration};

const CONTEXT: &str = "dataflow/throttle";

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct RuleJson {
    topic: String,
    max_messages_per_second: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ThrottleJson {
    per_topic_throttles: Vec<RuleJson>,
}

struct Rule {
    filter: Vec<String>,
    /// Milliseconds between forwarded messages; None: drop every match (rate 0).
    interval_ms: Option<u64>,
    last_forwarded_ms: Option<u64>,
}

thread_local! {
    static RULES: RefCell<Vec<Rule>> = const { RefCell::new(Vec::new()) };
}

fn compile(text: &str) -> Result<Vec<Rule>, String> {
    let j: ThrottleJson = serde_json::from_str(text).map_err(|e| format!("throttle is not valid: {e}"))?;
    let mut rules: Vec<Rule> = Vec::new();
    let mut seen = Vec::new();
    for (i, r) in j.per_topic_throttles.iter().enumerate() {
        if seen.contains(&r.topic) {
            return Err(format!("rule {}: topic \"{}\" appears twice", i + 1, r.topic));
        }
        seen.push(r.topic.clone());
        let filter: Vec<String> = r.topic.split('/').map(str::to_string).collect();
        for (j, level) in filter.iter().enumerate() {
            let bad = (level.contains('#') && (level != "#" || j + 1 != filter.len())) || (level.contains('+') && level != "+");
            if bad || r.topic.is_empty() {
                return Err(format!("rule {}: \"{}\" is not a valid MQTT topic filter", i + 1, r.topic));
            }
        }
        let rate = r.max_messages_per_second;
        if !rate.is_finite() || rate < 0.0 {
            return Err(format!("rule {}: maxMessagesPerSecond must be a finite number ≥ 0", i + 1));
        }
        let interval_ms = if rate == 0.0 { None } else { Some((1000.0 / rate).ceil().max(1.0) as u64) };
        rules.push(Rule { filter, interval_ms, last_forwarded_ms: None });
    }
    Ok(rules)
}

/// MQTT filter matching: `+` one level, `#` zero or more trailing levels.
fn matches(filter: &[String], topic: &str) -> bool {
    let levels: Vec<&str> = topic.split('/').collect();
    let mut i = 0;
    for f in filter {
        if f == "#" {
            return true;
        }
        let Some(level) = levels.get(i) else { return false };
        if f != "+" && f != level {
            return false;
        }
        i += 1;
    }
    i == levels.len()
}

struct Module;

impl filter::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        let Some(text) = wgs_common::property(&configuration.properties, "throttle") else {
            wgs_common::log(Level::Error, CONTEXT, "configuration \"throttle\" is required");
            return false;
        };
        match compile(text) {
            Ok(r) => {
                RULES.with(|c| *c.borrow_mut() = r);
                true
            }
            Err(e) => {
                wgs_common::log(Level::Error, CONTEXT, &e);
                false
            }
        }
    }

    fn process(message: DataModel) -> Result<bool, Error> {
        let (topic, time) = match &message {
            DataModel::Message(m) => (String::from_utf8_lossy(&wgs_common::bytes_of(&m.topic)).into_owned(), m.timestamp.timestamp),
            _ => return Err(wgs_common::error("throttle applies to messages only")),
        };
        let now = time.secs.saturating_mul(1000).saturating_add((time.nanos / 1_000_000) as u64);
        RULES.with(|c| {
            let mut rules = c.borrow_mut();
            let Some(rule) = rules.iter_mut().find(|r| matches(&r.filter, &topic)) else { return Ok(true) };
            let Some(interval) = rule.interval_ms else { return Ok(false) };
            let pass = match rule.last_forwarded_ms {
                None => true,
                Some(last) => now >= last && now - last >= interval,
            };
            if pass {
                rule.last_forwarded_ms = Some(now);
            }
            Ok(pass)
        })
    }
}

export!(Module);
