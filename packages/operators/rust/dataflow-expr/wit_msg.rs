// Included by the dataflow-* operator crates (it needs their bindings' types):
// WIT message <-> dataflow_expr::Msg, and the state all of them keep.

use wgs_common::types::{BufferOrBytes, BufferOrString, Message, MessageProperties};

#[allow(dead_code)]
fn to_msg(m: &Message) -> dataflow_expr::Msg {
    dataflow_expr::Msg {
        topic: String::from_utf8_lossy(&wgs_common::bytes_of(&m.topic)).into_owned(),
        content_type: m.content_type.as_ref().map(wgs_common::string_of),
        user_properties: m
            .properties
            .user_properties
            .iter()
            .map(|(k, v)| (wgs_common::string_of(k), wgs_common::string_of(v)))
            .collect(),
        payload: wgs_common::bytes_of(&m.payload),
    }
}

#[allow(dead_code)]
fn from_msg(original: Message, m: dataflow_expr::Msg) -> Message {
    Message {
        topic: BufferOrBytes::Bytes(m.topic.into_bytes()),
        content_type: m.content_type.map(BufferOrString::String),
        payload: BufferOrBytes::Bytes(m.payload),
        properties: MessageProperties {
            user_properties: m.user_properties.into_iter().map(|(k, v)| (BufferOrString::String(k), BufferOrString::String(v))).collect(),
        },
        ..original
    }
}

/// The configuration value of `key`, or a logged init failure.
fn required<'a>(context: &str, c: &'a wgs_common::types::ModuleConfiguration, key: &str) -> Option<&'a str> {
    let v = wgs_common::property(&c.properties, key);
    if v.is_none() {
        wgs_common::log(wgs_common::logger::Level::Error, context, &format!("configuration \"{key}\" is required"));
    }
    v
}

fn init_failed(context: &str, message: &str) -> bool {
    wgs_common::log(wgs_common::logger::Level::Error, context, message);
    false
}

/// The host's state store, for enrichment datasets (one `get` per key and message).
#[allow(dead_code)]
struct HostState;

impl dataflow_expr::StateRead for HostState {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, String> {
        wgs_common::state_store::get(key.as_bytes(), None).map(|r| r.response).map_err(|e| format!("{e:?}"))
    }
}
