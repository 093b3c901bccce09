//! `collection` sample module: accumulate that gathers temperature, humidity
//! and object measurements of one window into a single `sensor_data` record.

wgs_common::operator_bindings!(
    r#"
        package wgs:collection;
        world collection {
            import wasm-graph:processor/state-store@1.1.0;
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            export wasm-graph:processor/accumulate@1.1.0;
        }
    "#,
    "wgs:collection/collection"
);

use exports::wasm_graph::processor::accumulate;
use wgs_common::measurement::{Measurement, SensorData};
use wgs_common::types::{BufferOrBytes, DataModel, Error, ModuleConfiguration};
use wgs_common::{bytes_of, count, error, log_configuration, parse_measurement};

struct Module;

impl accumulate::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration("module-collection/accumulate", &configuration);
        true
    }

    fn process(staged: DataModel, inputs: Vec<DataModel>) -> Result<DataModel, Error> {
        let DataModel::Message(mut staged) = staged else {
            return Err(error("Unexpected input type."));
        };
        let staged_payload = bytes_of(&staged.payload);
        let mut data = if staged_payload.is_empty() {
            SensorData::default()
        } else {
            match parse_measurement(&staged_payload)? {
                Measurement::SensorData(d) => d,
                _ => return Err(error("Unexpected type for result.")),
            }
        };
        for input in &inputs {
            // Readings arrive as messages; classified images (snapshot path) carry JSON in the frame.
            let bytes = match input {
                DataModel::Message(m) => bytes_of(&m.payload),
                DataModel::Snapshot(s) => bytes_of(&s.frame),
                DataModel::BufferOrBytes(_) => return Err(error("Unexpected input type.")),
            };
            match parse_measurement(&bytes)? {
                Measurement::Temperature(t) => data.temperature.push(t),
                Measurement::Humidity(h) => data.humidity.push(h),
                Measurement::Object(o) => data.object.push(o),
                Measurement::SensorData(_) => return Err(error("Unexpected measurement type.")),
            }
        }
        // Timestamp and topic of the staged message stay as they are.
        staged.payload = BufferOrBytes::Bytes(Measurement::SensorData(data).to_vec());
        count("requests", &[("module", "module-collection/accumulate")]);
        Ok(DataModel::Message(staged))
    }
}

export!(Module);
