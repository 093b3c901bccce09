//! `otel-enrich` sample module: map that copies configured state-store keys
//! into `otel/<key>` user properties (picked up as OpenTelemetry attributes).

wgs_common::operator_bindings!(
    r#"
        package wgs:otel-enrich;
        world otel-enrich {
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            import wasm-graph:processor/state-store@1.1.0;
            export wasm-graph:processor/%map@1.1.0;
        }
    "#,
    "wgs:otel-enrich/otel-enrich"
);

use std::sync::Mutex;

use exports::wasm_graph::processor::map;
use wgs_common::logger::Level;
use wgs_common::state_store;
use wgs_common::types::{BufferOrBytes, BufferOrString, DataModel, Error, ModuleConfiguration};
use wgs_common::{count, error, log, log_configuration, property};

struct Module;

const CONTEXT: &str = "module-otel-enrich/map";

/// Raw `enrichKeys` value; `None` = not configured (messages pass untouched).
static ENRICH_KEYS: Mutex<Option<String>> = Mutex::new(None);

impl map::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration(CONTEXT, &configuration);
        let keys = property(&configuration.properties, "enrichKeys").map(str::to_string);
        *ENRICH_KEYS.lock().unwrap_or_else(|e| e.into_inner()) = keys;
        true
    }

    fn process(input: DataModel) -> Result<DataModel, Error> {
        let DataModel::Message(mut message) = input else {
            return Err(error("Unexpected input type."));
        };
        let Some(keys) = ENRICH_KEYS.lock().unwrap_or_else(|e| e.into_inner()).clone() else {
            return Ok(DataModel::Message(message));
        };
        for key in keys.split(',').map(str::trim).filter(|k| !k.is_empty()) {
            // A missing key or a store failure only skips that attribute.
            match state_store::get(key.as_bytes(), None) {
                Ok(response) => match response.response {
                    Some(value) => message.properties.user_properties.push((
                        BufferOrString::String(format!("otel/{key}")),
                        BufferOrString::String(String::from_utf8_lossy(&value).into_owned()),
                    )),
                    None => log(Level::Warn, CONTEXT, &format!("state store key {key} not found")),
                },
                Err(e) => log(Level::Error, CONTEXT, &format!("state store get {key} failed: {e:?}")),
            }
        }
        message.topic = BufferOrBytes::Bytes(b"sensors".to_vec());
        count("requests", &[("module", CONTEXT)]);
        Ok(DataModel::Message(message))
    }
}

export!(Module);
