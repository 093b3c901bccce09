//! Built-in window transform (`azureiotoperations/graph-dataflow-window`,
//! 1.0.0 and 1.1.0): a delay that moves each message to the end of its
//! tumbling window (`delay` configuration), and an accumulate that reduces a
//! window to one message with the `rules` outputs (reference §3.5). 1.1.0's
//! `count`, `memory` and `triggers` split a duration window into several,
//! numbered in the HLC counter (each its own epoch).

wgs_common::operator_bindings!(
    r#"
        package wgs:dataflow-window;
        world dataflow-window {
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            import wasm-graph:processor/state-store@1.1.0;
            export wasm-graph:processor/delay@1.1.0;
            export wasm-graph:processor/accumulate@1.1.0;
        }
    "#,
    "wgs:dataflow-window/dataflow-window"
);

include!("../../dataflow-expr/wit_msg.rs");

use dataflow_expr::{parse_delay, window_end_ms, AccumulateRules, Closing, WindowState};
use exports::wasm_graph::processor::{accumulate, delay};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use wgs_common::hybrid_logical_clock::{HybridLogicalClock, Timespec};
use wgs_common::logger::Level;
use wgs_common::types::{DataModel, Error, ModuleConfiguration};

/// Window length when no `delay` is configured (the reference's "safety valve").
const DEFAULT_DELAY_SECONDS: u64 = 60;
/// Open windows whose aggregates are kept at once (oldest dropped beyond).
const MAX_OPEN_WINDOWS: usize = 64;

thread_local! {
    static DELAY_SECONDS: Cell<u64> = const { Cell::new(DEFAULT_DELAY_SECONDS) };
    static RULES: RefCell<Option<AccumulateRules>> = const { RefCell::new(None) };
    /// 1.1.0 closing conditions (none: 1.0.0 behaviour).
    static CLOSING: RefCell<Option<Closing>> = const { RefCell::new(None) };
    /// Aggregates per window, keyed by the window's timestamp (end, nanos, counter).
    static OPEN: RefCell<BTreeMap<(u64, u32, u64), WindowState>> = const { RefCell::new(BTreeMap::new()) };
}

struct Module;

impl delay::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        let key = |k: &str| wgs_common::property(&configuration.properties, k);
        match Closing::compile(key("count"), key("memory"), key("triggers")) {
            Ok(c) => CLOSING.with(|x| *x.borrow_mut() = Some(c)),
            Err(e) => return init_failed("dataflow/window", &e),
        }
        let Some(text) = key("delay") else {
            wgs_common::log(Level::Info, "dataflow/window", &format!("no delay configured: {DEFAULT_DELAY_SECONDS} s windows"));
            return true;
        };
        match parse_delay(text) {
            Ok(s) => {
                DELAY_SECONDS.with(|d| d.set(s));
                true
            }
            Err(e) => init_failed("dataflow/window", &e),
        }
    }

    fn process(data: DataModel, timestamp: HybridLogicalClock) -> Result<HybridLogicalClock, Error> {
        let time = match &data {
            DataModel::Message(m) => m.timestamp.timestamp,
            DataModel::Snapshot(s) => s.timestamp.timestamp,
            DataModel::BufferOrBytes(_) => timestamp.timestamp,
        };
        let ms = time.secs.saturating_mul(1000).saturating_add((time.nanos / 1_000_000) as u64);
        // A sub-millisecond part past a boundary still belongs to the next window.
        let ms = if time.nanos % 1_000_000 != 0 { ms + 1 } else { ms };
        let end = window_end_ms(ms, DELAY_SECONDS.with(|d| d.get()));
        // Count, memory and triggers pick the window within the duration window.
        let seq = match &data {
            DataModel::Message(m) => CLOSING.with(|c| match c.borrow_mut().as_mut() {
                Some(c) => c.assign(end, &to_msg(m), &HostState),
                None => Ok(0),
            }),
            _ => Ok(0),
        }
        .map_err(|e| {
            wgs_common::log(Level::Error, "dataflow/window", &e);
            wgs_common::error(&e)
        })?;
        Ok(HybridLogicalClock {
            timestamp: Timespec { secs: end / 1000, nanos: ((end % 1000) * 1_000_000) as u32 },
            counter: seq,
            ..timestamp
        })
    }
}

impl accumulate::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        let Some(text) = required("dataflow/accumulate", &configuration, "rules") else { return false };
        match AccumulateRules::compile(text) {
            Ok(r) => {
                RULES.with(|c| *c.borrow_mut() = Some(r));
                true
            }
            Err(e) => init_failed("dataflow/accumulate", &format!("rules: {e}")),
        }
    }

    fn process(staged: DataModel, inputs: Vec<DataModel>) -> Result<DataModel, Error> {
        let DataModel::Message(mut staged) = staged else {
            return Err(wgs_common::error("window: unexpected staged value"));
        };
        RULES.with(|c| {
            let rules = c.borrow();
            let rules = rules.as_ref().ok_or_else(|| wgs_common::error("not initialised"))?;
            let key = (staged.timestamp.timestamp.secs, staged.timestamp.timestamp.nanos, staged.timestamp.counter);
            let fresh = wgs_common::bytes_of(&staged.payload).is_empty();
            OPEN.with(|open| {
                let mut open = open.borrow_mut();
                if fresh || !open.contains_key(&key) {
                    open.insert(key, rules.new_state());
                    while open.len() > MAX_OPEN_WINDOWS {
                        let oldest = *open.keys().next().unwrap();
                        open.remove(&oldest);
                    }
                }
                let state = open.get_mut(&key).unwrap();
                for input in &inputs {
                    let DataModel::Message(m) = input else {
                        wgs_common::log(Level::Error, "dataflow/accumulate", "skipped an input that is not a message");
                        continue;
                    };
                    if let Err(e) = rules.add(state, &wgs_common::bytes_of(&m.payload)) {
                        wgs_common::log(Level::Error, "dataflow/accumulate", &format!("skipped a message: {e}"));
                        continue;
                    }
                    staged.topic = BufferOrBytes::Bytes(wgs_common::bytes_of(&m.topic));
                }
                let (json, errors) = rules.result(state);
                for e in errors {
                    wgs_common::log(Level::Error, "dataflow/accumulate", &e);
                }
                staged.payload = BufferOrBytes::Bytes(json.to_string().into_bytes());
                staged.content_type = Some(BufferOrString::String("application/json".into()));
                staged.properties = MessageProperties { user_properties: Vec::new() };
                Ok(DataModel::Message(staged))
            })
        })
    }
}

export!(Module);
