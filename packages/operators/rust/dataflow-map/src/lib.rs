//! Built-in map transform (`azureiotoperations/graph-dataflow-map`): the
//! `rules` configuration (JSON) is compiled once at init; each message is
//! rebuilt from what the rules write (reference §3.1).

wgs_common::operator_bindings!(
    r#"
        package wgs:dataflow-map;
        world dataflow-map {
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            import wasm-graph:processor/state-store@1.1.0;
            export wasm-graph:processor/%map@1.1.0;
        }
    "#,
    "wgs:dataflow-map/dataflow-map"
);

include!("../../dataflow-expr/wit_msg.rs");

use dataflow_expr::MapRules;
use exports::wasm_graph::processor::map;
use std::cell::RefCell;
use wgs_common::types::{DataModel, Error, ModuleConfiguration};

const CONTEXT: &str = "dataflow/map";

thread_local! {
    static RULES: RefCell<Option<MapRules>> = const { RefCell::new(None) };
}

struct Module;

impl map::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        let Some(text) = required(CONTEXT, &configuration, "rules") else { return false };
        match MapRules::compile(text) {
            Ok(r) => {
                RULES.with(|c| *c.borrow_mut() = Some(r));
                true
            }
            Err(e) => init_failed(CONTEXT, &format!("rules: {e}")),
        }
    }

    fn process(message: DataModel) -> Result<DataModel, Error> {
        let DataModel::Message(m) = message else {
            return Err(wgs_common::error("map rules apply to messages only"));
        };
        let out = RULES.with(|c| match c.borrow().as_ref() {
            Some(r) => r.apply(&to_msg(&m), &HostState),
            None => Err("not initialised".into()),
        });
        match out {
            Ok(o) => Ok(DataModel::Message(from_msg(m, o))),
            Err(e) => {
                wgs_common::log(wgs_common::logger::Level::Error, CONTEXT, &e);
                Err(wgs_common::error(&e))
            }
        }
    }
}

export!(Module);
