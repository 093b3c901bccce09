//! `snapshot` sample module: branch (image path vs. the rest), map (classify
//! a 224×224 rgb24 frame) and accumulate (distinct classification results).

wgs_common::operator_bindings!(
    r#"
        package wgs:snapshot;
        world snapshot {
            import wasm-graph:processor/state-store@1.1.0;
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            export wasm-graph:processor/branch@1.1.0;
            export wasm-graph:processor/%map@1.1.0;
            export wasm-graph:processor/accumulate@1.1.0;
        }
    "#,
    "wgs:snapshot/snapshot"
);

use std::sync::Mutex;

use exports::wasm_graph::processor::{accumulate, branch, map};
use wgs_common::hybrid_logical_clock::HybridLogicalClock;
use wgs_common::measurement::{Measurement, Object};
use wgs_common::types::{BufferOrBytes, DataModel, Error, ModuleConfiguration};
use wgs_common::{bytes_of, count, error, log_configuration, parse_measurement, property};

struct Module;

/// Topic that carries images; set by branch init (one instance per operation).
static SNAPSHOT_TOPIC: Mutex<Option<Vec<u8>>> = Mutex::new(None);

/// Channels whose means differ by at most this much count as grey.
const GREY_TOLERANCE: f64 = 10.0;
const SEPARATOR: &str = "; ";

impl branch::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration("module-snapshot/branch", &configuration);
        let topic = property(&configuration.properties, "snapshot_topic").map(|t| t.as_bytes().to_vec());
        *SNAPSHOT_TOPIC.lock().unwrap_or_else(|e| e.into_inner()) = topic;
        true
    }

    /// `true` (arm "True") routes to the image path.
    fn process(_timestamp: HybridLogicalClock, input: DataModel) -> Result<bool, Error> {
        let image = match &input {
            DataModel::Message(m) => {
                let topic = SNAPSHOT_TOPIC.lock().unwrap_or_else(|e| e.into_inner());
                topic.as_deref().is_some_and(|t| t == bytes_of(&m.topic).as_slice())
            }
            DataModel::Snapshot(_) => true,
            DataModel::BufferOrBytes(_) => return Err(error("Unexpected input type.")),
        };
        count("requests", &[("module", "module-snapshot/branch")]);
        Ok(image)
    }
}

/// Stand-in classifier. The reference sample runs MobileNet v2 through wasi-nn;
/// no inference host is available here, so until wasi-nn is supported this
/// labels the frame by its dominant colour and says so in the label.
fn classify(frame: &[u8]) -> Result<String, Error> {
    let pixels = frame.len() / 3;
    if pixels == 0 {
        return Err(error("Empty frame."));
    }
    let mut sums = [0u64; 3];
    for px in frame.chunks_exact(3) {
        for (sum, &v) in sums.iter_mut().zip(px) {
            *sum += v as u64;
        }
    }
    let [r, g, b] = sums.map(|s| s as f64 / pixels as f64);
    let (hi, lo) = (r.max(g).max(b), r.min(g).min(b));
    let colour = if hi - lo <= GREY_TOLERANCE {
        "grey"
    } else if hi == r {
        "mostly red"
    } else if hi == g {
        "mostly green"
    } else {
        "mostly blue"
    };
    Ok(format!(
        "stand-in classifier: {colour}, mean rgb({}, {}, {})",
        r.round(),
        g.round(),
        b.round()
    ))
}

impl map::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration("module-snapshot/map", &configuration);
        true
    }

    fn process(input: DataModel) -> Result<DataModel, Error> {
        let DataModel::Snapshot(mut snapshot) = input else {
            return Err(error("Unexpected input type."));
        };
        let result = classify(&bytes_of(&snapshot.frame))?;
        snapshot.frame = BufferOrBytes::Bytes(Measurement::Object(Object { result }).to_vec());
        count("requests", &[("module", "module-snapshot/map")]);
        Ok(DataModel::Snapshot(snapshot))
    }
}

impl accumulate::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration("module-snapshot/accumulate", &configuration);
        true
    }

    fn process(staged: DataModel, inputs: Vec<DataModel>) -> Result<DataModel, Error> {
        let DataModel::Message(mut staged) = staged else {
            return Err(error("Unexpected input type."));
        };
        // Results gathered earlier in this window seed the list (an empty or
        // non-object staged payload starts an empty one).
        let mut results: Vec<String> = match Measurement::parse(&bytes_of(&staged.payload)) {
            Ok(Measurement::Object(o)) => {
                o.result.split(SEPARATOR).filter(|r| !r.is_empty()).map(str::to_string).collect()
            }
            _ => Vec::new(),
        };
        for input in &inputs {
            let DataModel::Snapshot(snapshot) = input else {
                return Err(error("Unexpected input type."));
            };
            let Measurement::Object(o) = parse_measurement(&bytes_of(&snapshot.frame))? else {
                return Err(error("Unexpected measurement type."));
            };
            if !results.contains(&o.result) {
                results.push(o.result);
            }
        }
        let result = results.join(SEPARATOR);
        staged.payload = BufferOrBytes::Bytes(Measurement::Object(Object { result }).to_vec());
        count("requests", &[("module", "module-snapshot/accumulate")]);
        Ok(DataModel::Message(staged))
    }
}

export!(Module);
