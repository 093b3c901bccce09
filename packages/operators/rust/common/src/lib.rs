//! Shared by all sample operators: host import bindings, the measurement
//! payload types of the reference samples, and small helpers.

wit_bindgen::generate!({
    path: "../../../../wit",
    inline: r#"
        package wgs:common;
        world imports {
            import wasm-graph:processor/types@1.1.0;
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            import wasm-graph:processor/state-store@1.1.0;
        }
    "#,
    world: "wgs:common/imports",
    pub_export_macro: true,
    generate_all,
});

pub mod measurement;

pub use wasm_graph::processor::{hybrid_logical_clock, logger, metrics, state_store, state_store_types, types};
use types::{BufferOrBytes, BufferOrString, DataModel, Message};

/// Copies the bytes out of a host buffer or returns the inline bytes.
pub fn bytes_of(value: &BufferOrBytes) -> Vec<u8> {
    match value {
        BufferOrBytes::Buffer(b) => b.read(),
        BufferOrBytes::Bytes(b) => b.clone(),
    }
}

pub fn string_of(value: &BufferOrString) -> String {
    match value {
        BufferOrString::Buffer(b) => String::from_utf8_lossy(&b.read()).into_owned(),
        BufferOrString::String(s) => s.clone(),
    }
}

pub fn log(level: logger::Level, context: &str, message: &str) {
    logger::log(level, context, message);
}

/// Adds one to a counter; metric failures never fail the operator.
pub fn count(name: &str, labels: &[(&str, &str)]) {
    let labels = labels
        .iter()
        .map(|(k, v)| metrics::Label { key: (*k).to_string(), value: (*v).to_string() })
        .collect::<Vec<_>>();
    let _ = metrics::add_to_counter(name, metrics::CounterValue::U64(1), Some(&labels));
}

pub fn error(message: &str) -> types::Error {
    types::Error { message: message.to_string() }
}

/// The message inside a data model, or an error naming the operator's expectation.
pub fn expect_message(input: &DataModel) -> Result<&Message, types::Error> {
    match input {
        DataModel::Message(m) => Ok(m),
        _ => Err(error("Unexpected input type")),
    }
}

/// Value of a configuration property, by key.
pub fn property<'a>(properties: &'a [(String, String)], key: &str) -> Option<&'a str> {
    properties.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// Logs every configuration property, as the reference samples do on init.
pub fn log_configuration(context: &str, configuration: &types::ModuleConfiguration) {
    for (k, v) in &configuration.properties {
        log(logger::Level::Info, context, &format!("configuration {k}={v}"));
    }
    for s in &configuration.module_schemas {
        log(logger::Level::Info, context, &format!("schema {} ({})", s.name, s.content_type));
    }
}

/// Parses a measurement payload; a parse failure becomes an operator error.
pub fn parse_measurement(bytes: &[u8]) -> Result<measurement::Measurement, types::Error> {
    measurement::Measurement::parse(bytes).map_err(|e| error(&format!("Failed to parse payload as JSON: {e}")))
}

/**
 * Generates an operator module's bindings: `$inline` is the module's WIT world
 * (importing logger, metrics and state-store, exporting operator interfaces),
 * `$world` its name. The host interfaces and types are shared from this crate,
 * so helpers here work on every module's values. A module importing more
 * adds `with: { "<interface>": generate, ... }` for those interfaces.
 */
#[macro_export]
macro_rules! operator_bindings {
    ($inline:literal, $world:literal $(, with: { $($with:tt)* })? $(,)?) => {
        wit_bindgen::generate!({
            path: "../../../../wit",
            inline: $inline,
            world: $world,
            with: {
                "wasm-graph:processor/types@1.1.0": wgs_common::types,
                "wasm-graph:processor/hybrid-logical-clock@1.1.0": wgs_common::hybrid_logical_clock,
                "wasm-graph:processor/logger@1.1.0": wgs_common::logger,
                "wasm-graph:processor/metrics@1.1.0": wgs_common::metrics,
                "wasm-graph:processor/state-store@1.1.0": wgs_common::state_store,
                "wasm-graph:processor/state-store-types@1.1.0": wgs_common::state_store_types,
                $($($with)*)?
            },
        });
    };
}
