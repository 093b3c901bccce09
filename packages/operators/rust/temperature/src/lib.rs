//! `temperature` sample module: map (°F → °C), branch (temperature vs other),
//! filter (valid Celsius range) and accumulate (count/min/max/average/last).

wgs_common::operator_bindings!(
    r#"
        package wgs:temperature;
        world temperature {
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            import wasm-graph:processor/state-store@1.1.0;
            export wasm-graph:processor/%map@1.1.0;
            export wasm-graph:processor/branch@1.1.0;
            export wasm-graph:processor/filter@1.1.0;
            export wasm-graph:processor/accumulate@1.1.0;
        }
    "#,
    "wgs:temperature/temperature"
);

use std::sync::atomic::{AtomicU64, Ordering};

use exports::wasm_graph::processor::{accumulate, branch, filter, map};
use wgs_common::hybrid_logical_clock::HybridLogicalClock;
use wgs_common::logger::Level;
use wgs_common::measurement::{Measurement, Stats, Temperature, Unit};
use wgs_common::types::{BufferOrBytes, DataModel, Error, ModuleConfiguration};
use wgs_common::{bytes_of, count, error, expect_message, log_configuration, string_of};

struct Module;

// Filter bounds live in statics: one component instance serves one operation.
// Stored as f64 bits; UNSET is a NaN payload no parsed bound has (0 cannot be
// the sentinel: 0.0 is a valid bound and its bit pattern is 0).
const UNSET: u64 = u64::MAX;
static LOWER_BOUND: AtomicU64 = AtomicU64::new(UNSET);
static UPPER_BOUND: AtomicU64 = AtomicU64::new(UNSET);
const DEFAULT_LOWER: f64 = -40.0;
const DEFAULT_UPPER: f64 = 3422.0;

fn bound(slot: &AtomicU64, default: f64) -> f64 {
    match slot.load(Ordering::Relaxed) {
        UNSET => default,
        bits => f64::from_bits(bits),
    }
}

fn parse_temperature(bytes: &[u8]) -> Result<Measurement, Error> {
    Measurement::parse(bytes).map_err(|_| error("Failed to parse payload as JSON"))
}

impl map::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration("module-temperature/map", &configuration);
        true
    }

    fn process(input: DataModel) -> Result<DataModel, Error> {
        let DataModel::Message(mut message) = input else {
            return Err(error("Unexpected input type"));
        };
        let payload = bytes_of(&message.payload);
        let unit_label = match parse_temperature(&payload)? {
            Measurement::Temperature(mut t) if t.unit == Unit::F => {
                let f = t.value.ok_or_else(|| error("temperature without value"))?;
                t.value = Some((f - 32.0) * 5.0 / 9.0);
                t.unit = Unit::C;
                message.payload = BufferOrBytes::Bytes(Measurement::Temperature(t).to_vec());
                "Fahrenheit"
            }
            _ => "Celsius",
        };
        for (key, value) in message.properties.user_properties.iter_mut() {
            if string_of(key) == "test_property_key" {
                *value = wgs_common::types::BufferOrString::String("new_value".to_string());
            }
        }
        count("requests", &[("module", "module-temperature/map"), ("unit", unit_label)]);
        Ok(DataModel::Message(message))
    }
}

impl branch::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration("module-temperature/branch", &configuration);
        true
    }

    /// `true` (arm "True") for temperature readings, `false` for everything else.
    fn process(_timestamp: HybridLogicalClock, input: DataModel) -> Result<bool, Error> {
        let message = expect_message(&input)?;
        let measurement = parse_temperature(&bytes_of(&message.payload))?;
        count("requests", &[("module", "module-temperature/branch")]);
        Ok(matches!(measurement, Measurement::Temperature(_)))
    }
}

impl filter::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration("module-temperature/filter", &configuration);
        for (key, slot) in [("temperature_lower_bound", &LOWER_BOUND), ("temperature_upper_bound", &UPPER_BOUND)] {
            if let Some(raw) = wgs_common::property(&configuration.properties, key) {
                match raw.trim().parse::<f64>() {
                    Ok(v) => slot.store(v.to_bits(), Ordering::Relaxed),
                    Err(_) => wgs_common::log(Level::Error, "module-temperature/filter", &format!("{key}: not a number: {raw}")),
                }
            }
        }
        true
    }

    /// Keeps Celsius temperatures strictly inside the configured bounds.
    fn process(input: DataModel) -> Result<bool, Error> {
        let message = expect_message(&input)?;
        let keep = match parse_temperature(&bytes_of(&message.payload))? {
            Measurement::Temperature(Temperature { value: Some(v), unit: Unit::C, .. }) => {
                v > bound(&LOWER_BOUND, DEFAULT_LOWER) && v < bound(&UPPER_BOUND, DEFAULT_UPPER)
            }
            _ => false,
        };
        count("requests", &[("module", "module-temperature/filter")]);
        Ok(keep)
    }
}

impl accumulate::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration("module-temperature/accumulate", &configuration);
        true
    }

    fn process(staged: DataModel, inputs: Vec<DataModel>) -> Result<DataModel, Error> {
        let DataModel::Message(mut staged) = staged else {
            return Err(error("Unexpected staged type"));
        };
        let staged_payload = bytes_of(&staged.payload);
        let mut stats = if staged_payload.is_empty() {
            Stats::empty()
        } else {
            match parse_temperature(&staged_payload)? {
                Measurement::Temperature(t) => Stats::resume(t.count, t.average, t.max, t.min, t.last),
                _ => return Err(error("Unexpected staged measurement")),
            }
        };
        let mut unit = Unit::C;
        let mut last_secs = 0u64;
        for input in &inputs {
            let message = expect_message(input)?;
            let Measurement::Temperature(t) = parse_temperature(&bytes_of(&message.payload))? else {
                return Err(error("Unexpected measurement type."));
            };
            let value = t.value.ok_or_else(|| error("temperature without value"))?;
            stats.add(value);
            unit = t.unit;
            let secs = message.timestamp.timestamp.secs;
            if secs >= last_secs {
                last_secs = secs;
                stats.last = value;
            }
            staged.timestamp.timestamp = message.timestamp.timestamp;
            staged.topic = BufferOrBytes::Bytes(bytes_of(&message.topic));
        }
        // Display formatting on purpose: the reference emits e.g. `"max":1695` here.
        let unit = if unit == Unit::C { "C" } else { "F" };
        let payload = format!(
            "{{\"temperature\":{{\"count\":{},\"max\":{},\"min\":{},\"average\":{},\"last\":{},\"unit\":\"{}\"}}}}",
            stats.count, stats.max, stats.min, stats.average(), stats.last, unit
        );
        staged.payload = BufferOrBytes::Bytes(payload.into_bytes());
        count("requests", &[("module", "module-temperature/accumulate")]);
        Ok(DataModel::Message(staged))
    }
}

export!(Module);
