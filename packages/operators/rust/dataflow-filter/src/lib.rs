//! Built-in filter transform (`azureiotoperations/graph-dataflow-filter`):
//! a message is dropped when any rule is true (reference §3.2). With
//! `validateSchema: true`, a payload that does not conform to the incoming
//! connection's schema (`schemaRef`, read from the schema registry at init)
//! is dropped first.

// The only module importing the schema registry: its interfaces are generated here.
wgs_common::operator_bindings!(
    r#"
        package wgs:dataflow-filter;
        world dataflow-filter {
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            import wasm-graph:processor/state-store@1.1.0;
            import wasm-graph:processor/schema-registry@1.1.0;
            export wasm-graph:processor/filter@1.1.0;
        }
    "#,
    "wgs:dataflow-filter/dataflow-filter",
    with: {
        "wasm-graph:processor/schema-types@1.1.0": generate,
        "wasm-graph:processor/schema-registry@1.1.0": generate,
    }
);

include!("../../dataflow-expr/wit_msg.rs");

mod schema_ref;

use dataflow_expr::{FilterRules, Schema};
use exports::wasm_graph::processor::filter;
use std::cell::RefCell;
use wgs_common::logger::Level;
use wgs_common::types::{DataModel, Error, ModuleConfiguration};

const CONTEXT: &str = "dataflow/filter";

thread_local! {
    static RULES: RefCell<Option<FilterRules>> = const { RefCell::new(None) };
    static SCHEMA: RefCell<Option<Schema>> = const { RefCell::new(None) };
}

struct Module;

impl filter::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        let Some(text) = required(CONTEXT, &configuration, "rules") else { return false };
        let rules = match FilterRules::compile(text) {
            Ok(r) => r,
            Err(e) => return init_failed(CONTEXT, &format!("rules: {e}")),
        };
        if rules.validate_schema {
            match schema_ref::load(wgs_common::property(&configuration.properties, "schemaRef")) {
                Ok(s) => SCHEMA.with(|c| *c.borrow_mut() = Some(s)),
                Err(e) => return init_failed(CONTEXT, &format!("validateSchema: {e}")),
            }
        }
        RULES.with(|c| *c.borrow_mut() = Some(rules));
        true
    }

    fn process(message: DataModel) -> Result<bool, Error> {
        let DataModel::Message(m) = message else {
            return Err(wgs_common::error("filter rules apply to messages only"));
        };
        let msg = to_msg(&m);
        // Schema validation runs before the rules; a non-conforming payload is dropped, not an error.
        if let Some(reason) = SCHEMA.with(|c| c.borrow().as_ref().and_then(|s| schema_ref::violation(s, &msg.payload))) {
            wgs_common::log(Level::Info, CONTEXT, &format!("dropped: the payload does not conform to the schema: {reason}"));
            return Ok(false);
        }
        RULES
            .with(|c| match c.borrow().as_ref() {
                Some(r) => r.keep(&msg, &HostState),
                None => Err("not initialised".into()),
            })
            .map_err(|e| {
                wgs_common::log(Level::Error, CONTEXT, &e);
                wgs_common::error(&e)
            })
    }
}

export!(Module);
