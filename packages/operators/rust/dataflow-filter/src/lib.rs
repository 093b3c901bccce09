//! Built-in filter transform (`azureiotoperations/graph-dataflow-filter`):
//! a message is dropped when any rule is true (reference §3.2).

wgs_common::operator_bindings!(
    r#"
        package wgs:dataflow-filter;
        world dataflow-filter {
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            import wasm-graph:processor/state-store@1.1.0;
            export wasm-graph:processor/filter@1.1.0;
        }
    "#,
    "wgs:dataflow-filter/dataflow-filter"
);

include!("../../dataflow-expr/wit_msg.rs");

use dataflow_expr::FilterRules;
use exports::wasm_graph::processor::filter;
use std::cell::RefCell;
use wgs_common::types::{DataModel, Error, ModuleConfiguration};

const CONTEXT: &str = "dataflow/filter";

thread_local! {
    static RULES: RefCell<Option<FilterRules>> = const { RefCell::new(None) };
}

struct Module;

impl filter::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        let Some(text) = required(CONTEXT, &configuration, "rules") else { return false };
        match FilterRules::compile(text) {
            Ok(r) => {
                RULES.with(|c| *c.borrow_mut() = Some(r));
                true
            }
            Err(e) => init_failed(CONTEXT, &format!("rules: {e}")),
        }
    }

    fn process(message: DataModel) -> Result<bool, Error> {
        let DataModel::Message(m) = message else {
            return Err(wgs_common::error("filter rules apply to messages only"));
        };
        RULES
            .with(|c| match c.borrow().as_ref() {
                Some(r) => r.keep(&to_msg(&m), &HostState),
                None => Err("not initialised".into()),
            })
            .map_err(|e| {
                wgs_common::log(wgs_common::logger::Level::Error, CONTEXT, &e);
                wgs_common::error(&e)
            })
    }
}

export!(Module);
