//! `humidity` sample module: accumulate (count/min/max/average/last) over
//! humidity readings, the counterpart of temperature's accumulate.

wgs_common::operator_bindings!(
    r#"
        package wgs:humidity;
        world humidity {
            import wasm-graph:processor/state-store@1.1.0;
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            export wasm-graph:processor/accumulate@1.1.0;
        }
    "#,
    "wgs:humidity/humidity"
);

use exports::wasm_graph::processor::accumulate;
use wgs_common::measurement::{Measurement, Stats};
use wgs_common::types::{BufferOrBytes, DataModel, Error, ModuleConfiguration};
use wgs_common::{bytes_of, count, error, log_configuration, parse_measurement};

struct Module;

impl accumulate::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration("module-humidity/accumulate", &configuration);
        true
    }

    fn process(staged: DataModel, inputs: Vec<DataModel>) -> Result<DataModel, Error> {
        let DataModel::Message(mut staged) = staged else {
            return Err(error("Unexpected input type."));
        };
        // An empty staged payload starts a new window; otherwise resume its aggregate.
        let staged_payload = bytes_of(&staged.payload);
        let mut stats = if staged_payload.is_empty() {
            Stats::empty()
        } else {
            match parse_measurement(&staged_payload)? {
                Measurement::Humidity(h) => Stats::resume(h.count, h.average, h.max, h.min, h.last),
                _ => return Err(error("Unexpected measurement type.")),
            }
        };
        let mut last_secs = 0u64;
        for input in &inputs {
            let DataModel::Message(message) = input else {
                return Err(error("Unexpected input type."));
            };
            let Measurement::Humidity(h) = parse_measurement(&bytes_of(&message.payload))? else {
                return Err(error("Unexpected measurement type."));
            };
            let value = h.value.ok_or_else(|| error("humidity without value"))?;
            stats.add(value);
            // "last" = latest by whole seconds; ties go to the later item in the batch.
            let secs = message.timestamp.timestamp.secs;
            if secs >= last_secs {
                last_secs = secs;
                stats.last = value;
            }
            staged.timestamp.timestamp = message.timestamp.timestamp;
            staged.topic = BufferOrBytes::Bytes(bytes_of(&message.topic));
        }
        // Display formatting on purpose: the reference emits e.g. `"max":85` here.
        let payload = format!(
            "{{\"humidity\":{{\"count\":{},\"max\":{},\"min\":{},\"average\":{},\"last\":{}}}}}",
            stats.count, stats.max, stats.min, stats.average(), stats.last
        );
        staged.payload = BufferOrBytes::Bytes(payload.into_bytes());
        count("requests", &[("module", "module-humidity/accumulate")]);
        Ok(DataModel::Message(staged))
    }
}

export!(Module);
