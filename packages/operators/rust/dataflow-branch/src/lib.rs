//! Built-in branch transform (`azureiotoperations/graph-dataflow-branch`):
//! its one rule sends each message to the True or the False arm (reference §3.3).

wgs_common::operator_bindings!(
    r#"
        package wgs:dataflow-branch;
        world dataflow-branch {
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            import wasm-graph:processor/state-store@1.1.0;
            export wasm-graph:processor/branch@1.1.0;
        }
    "#,
    "wgs:dataflow-branch/dataflow-branch"
);

include!("../../dataflow-expr/wit_msg.rs");

use dataflow_expr::BranchRule;
use exports::wasm_graph::processor::branch;
use std::cell::RefCell;
use wgs_common::hybrid_logical_clock::HybridLogicalClock;
use wgs_common::types::{DataModel, Error, ModuleConfiguration};

const CONTEXT: &str = "dataflow/branch";

thread_local! {
    static RULE: RefCell<Option<BranchRule>> = const { RefCell::new(None) };
}

struct Module;

impl branch::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        let Some(text) = required(CONTEXT, &configuration, "rules") else { return false };
        match BranchRule::compile(text) {
            Ok(r) => {
                RULE.with(|c| *c.borrow_mut() = Some(r));
                true
            }
            Err(e) => init_failed(CONTEXT, &format!("rules: {e}")),
        }
    }

    fn process(_timestamp: HybridLogicalClock, message: DataModel) -> Result<bool, Error> {
        let DataModel::Message(m) = message else {
            return Err(wgs_common::error("branch rules apply to messages only"));
        };
        RULE.with(|c| match c.borrow().as_ref() {
            Some(r) => r.choose(&to_msg(&m), &HostState),
            None => Err("not initialised".into()),
        })
        .map_err(|e| {
            wgs_common::log(wgs_common::logger::Level::Error, CONTEXT, &e);
            wgs_common::error(&e)
        })
    }
}

export!(Module);
