//! `window` sample module: a delay that moves every item to the end of its
//! 10-second window, so downstream accumulates form tumbling windows.

wgs_common::operator_bindings!(
    r#"
        package wgs:window;
        world window {
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            import wasm-graph:processor/state-store@1.1.0;
            export wasm-graph:processor/delay@1.1.0;
        }
    "#,
    "wgs:window/window"
);

use exports::wasm_graph::processor::delay;
use wgs_common::hybrid_logical_clock::{HybridLogicalClock, Timespec};
use wgs_common::types::{DataModel, Error, ModuleConfiguration};
use wgs_common::{count, log_configuration};

struct Module;

/// Fixed window length, as in the reference sample (not configurable).
const WINDOW_MS: u128 = 10_000;
const NANOS_PER_MS: u128 = 1_000_000;
const NANOS_PER_SEC: u128 = 1_000_000_000;

/// Rounds `time` up to the next window boundary; a time already on a boundary
/// is kept as is (sub-millisecond nanos included).
fn window_end(time: Timespec) -> Timespec {
    // u128 so that huge `secs` values cannot overflow.
    let nanos = time.secs as u128 * NANOS_PER_SEC + time.nanos as u128;
    let ms = nanos / NANOS_PER_MS;
    let rem = ms % WINDOW_MS;
    if rem == 0 {
        return time;
    }
    // Add the gap on the full-precision value, then drop the sub-millisecond part.
    let end_ms = (nanos + (WINDOW_MS - rem) * NANOS_PER_MS) / NANOS_PER_MS;
    Timespec {
        secs: (end_ms / 1000) as u64,
        nanos: ((end_ms % 1000) * NANOS_PER_MS) as u32,
    }
}

impl delay::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration("module-window/delay", &configuration);
        true
    }

    fn process(data: DataModel, timestamp: HybridLogicalClock) -> Result<HybridLogicalClock, Error> {
        // The item's own time decides its window; raw bytes carry none, so use the HLC.
        let time = match &data {
            DataModel::Message(m) => m.timestamp.timestamp,
            DataModel::Snapshot(s) => s.timestamp.timestamp,
            DataModel::BufferOrBytes(_) => timestamp.timestamp,
        };
        count("requests", &[("module", "module-window/delay")]);
        Ok(HybridLogicalClock { timestamp: window_end(time), counter: 0, ..timestamp })
    }
}

export!(Module);
