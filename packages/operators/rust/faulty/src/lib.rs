//! `faulty` test module: a map that misbehaves on request, used by the
//! runtime's failure-isolation tests. The message payload picks the fault:
//! "loop" spins forever, "trap" traps, "error" returns an error, "alloc"
//! allocates until memory runs out; anything else passes through unchanged.

wgs_common::operator_bindings!(
    r#"
        package wgs:faulty;
        world faulty {
            import wasm-graph:processor/state-store@1.1.0;
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            export wasm-graph:processor/%map@1.1.0;
        }
    "#,
    "wgs:faulty/faulty"
);

use std::hint::black_box;

use exports::wasm_graph::processor::map;
use wgs_common::types::{DataModel, Error, ModuleConfiguration};
use wgs_common::{bytes_of, count, error, log_configuration, property};

struct Module;

/// Never returns; `black_box` keeps the optimizer from proving the loop dead.
fn spin() -> ! {
    let mut counter = 0u64;
    loop {
        counter = black_box(counter.wrapping_add(1));
    }
}

/// Grows the heap in 1 MiB steps until allocation fails, which aborts (traps).
fn exhaust_memory() -> ! {
    let mut hoard: Vec<Vec<u8>> = Vec::new();
    loop {
        // Non-zero fill so the pages are really written, not lazily zeroed.
        hoard.push(black_box(vec![0xA5u8; 1 << 20]));
        black_box(&hoard);
    }
}

impl map::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration("module-faulty/map", &configuration);
        // Lets tests exercise an init that refuses to start.
        property(&configuration.properties, "fail_init") != Some("true")
    }

    fn process(input: DataModel) -> Result<DataModel, Error> {
        count("requests", &[("module", "module-faulty/map")]);
        let DataModel::Message(message) = &input else {
            return Ok(input);
        };
        match String::from_utf8_lossy(&bytes_of(&message.payload)).as_ref() {
            "loop" => spin(),
            // panic = "abort" in the release profile, so this is a wasm trap.
            "trap" => panic!("faulty: requested trap"),
            "error" => Err(error("faulty: requested error")),
            "alloc" => exhaust_memory(),
            _ => Ok(input),
        }
    }
}

export!(Module);
