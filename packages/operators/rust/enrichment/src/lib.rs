//! `enrichment` sample module: map that unwraps a `sensor_data` record, flags
//! over-temperature and wetness, and keeps those flags in the state store.

wgs_common::operator_bindings!(
    r#"
        package wgs:enrichment;
        world enrichment {
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            import wasm-graph:processor/state-store@1.1.0;
            export wasm-graph:processor/%map@1.1.0;
        }
    "#,
    "wgs:enrichment/enrichment"
);

use exports::wasm_graph::processor::map;
use wgs_common::logger::Level;
use wgs_common::measurement::{Humidity, Measurement, Temperature};
use wgs_common::state_store;
use wgs_common::state_store_types::{Duration, SetConditions, SetOptions, StateStoreError};
use wgs_common::types::{BufferOrBytes, DataModel, Error, Message, ModuleConfiguration};
use wgs_common::{bytes_of, count, error, log, log_configuration, parse_measurement};

struct Module;

const CONTEXT: &str = "module-enrichment/map";
const LOCK_KEY: &[u8] = b"lock";
const LOCK_OWNER: &[u8] = b"module2";
const LOCK_RETRIES: u32 = 3;

fn unconditional() -> SetOptions {
    SetOptions { conditions: SetConditions::Unconditional, expires: None }
}

/// State-store failures are reported but never fail the message.
fn report<T>(what: &str, result: Result<T, StateStoreError>) -> Option<T> {
    result.map_err(|e| log(Level::Error, CONTEXT, &format!("state store {what} failed: {e:?}"))).ok()
}

fn set(key: &str, value: &str) {
    report(&format!("set {key}"), state_store::set(key.as_bytes(), value.as_bytes(), None, None, unconditional()));
}

/// Increments `overtemp_count` while holding `lock`; the lock's version is the
/// fencing token, so a write after the lock expired is rejected by the store.
fn increment_overtemp_count() {
    for _ in 0..=LOCK_RETRIES {
        let options = SetOptions {
            conditions: SetConditions::OnlyIfEqualOrDoesNotExist,
            // Expiry frees the lock should this instance die while holding it.
            expires: Some(Duration { seconds: 10, nanos: 0 }),
        };
        let Some(lock) = report("set lock", state_store::set(LOCK_KEY, LOCK_OWNER, None, None, options)) else {
            return;
        };
        if !lock.response {
            continue; // held by someone else: retry
        }
        let current = report("get overtemp_count", state_store::get(b"overtemp_count", None))
            .and_then(|r| r.response)
            .and_then(|v| String::from_utf8_lossy(&v).trim().parse::<u64>().ok())
            .unwrap_or(0);
        let next = (current + 1).to_string();
        report(
            "set overtemp_count",
            state_store::set(b"overtemp_count", next.as_bytes(), None, lock.version.as_ref(), unconditional()),
        );
        report("vdel lock", state_store::vdel(LOCK_KEY, LOCK_OWNER, None, None));
        return;
    }
    log(Level::Warn, CONTEXT, "overtemp_count not incremented: lock busy");
}

fn enrich_temperature(t: &mut Temperature) {
    if t.max > 100.0 {
        t.overtemp = true;
        set("overtemp", "true");
        increment_overtemp_count();
    } else if t.min < 0.0 {
        t.overtemp = false;
        set("overtemp", "false");
    } else {
        // Neither extreme: keep the flag another reading raised earlier.
        let stored = report("get overtemp", state_store::get(b"overtemp", None)).and_then(|r| r.response);
        if stored.as_deref() == Some(b"true".as_slice()) {
            t.overtemp = true;
        }
    }
    t.value = None;
}

fn enrich_humidity(h: &Humidity) {
    if h.max > 80.0 {
        set("wet_flag", &format!("{}", h.max));
    } else if h.min < 80.0 {
        report("del wet_flag", state_store::del(b"wet_flag", None, None));
    }
}

impl map::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration(CONTEXT, &configuration);
        true
    }

    fn process(input: DataModel) -> Result<DataModel, Error> {
        let DataModel::Message(message) = input else {
            return Err(error("Unexpected input type."));
        };
        let Measurement::SensorData(mut data) = parse_measurement(&bytes_of(&message.payload))? else {
            return Err(error("Unexpected measurement type."));
        };
        data.temperature.iter_mut().for_each(enrich_temperature);
        data.humidity.iter().for_each(enrich_humidity);
        // The inner record only: downstream sinks expect no `sensor_data` wrapper.
        let payload = serde_json::to_vec(&data).map_err(|e| error(&format!("Failed to serialize: {e}")))?;
        count("requests", &[("module", CONTEXT)]);
        Ok(DataModel::Message(Message {
            timestamp: message.timestamp,
            topic: BufferOrBytes::Bytes(b"sensors".to_vec()),
            content_type: None,
            payload: BufferOrBytes::Bytes(payload),
            properties: message.properties,
            schema: None,
        }))
    }
}

export!(Module);
