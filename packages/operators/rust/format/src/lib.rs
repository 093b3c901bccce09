//! `format` sample module: map that turns an encoded image (JPEG/PNG) or raw
//! rgb24 bytes into a 224×224 rgb24 snapshot, the classifier's input shape.

wgs_common::operator_bindings!(
    r#"
        package wgs:format;
        world format {
            import wasm-graph:processor/state-store@1.1.0;
            import wasm-graph:processor/logger@1.1.0;
            import wasm-graph:processor/metrics@1.1.0;
            export wasm-graph:processor/%map@1.1.0;
        }
    "#,
    "wgs:format/format"
);

use exports::wasm_graph::processor::map;
use image::imageops::{self, FilterType};
use wgs_common::types::{BufferOrBytes, BufferOrString, DataModel, Error, ModuleConfiguration, Snapshot};
use wgs_common::{bytes_of, count, error, log_configuration, string_of};

struct Module;

const WIDTH: u32 = 224;
const HEIGHT: u32 = 224;
const FORMAT: &str = "rgb24";
const FRAME_LEN: usize = (WIDTH * HEIGHT * 3) as usize; // 150528

/// Decodes a sniffed image format and resizes it (aspect not kept) to the
/// target size; `None` when the bytes are no image `image` can read.
fn to_rgb24(bytes: &[u8]) -> Option<Vec<u8>> {
    let rgb = image::load_from_memory(bytes).ok()?.to_rgb8();
    Some(imageops::resize(&rgb, WIDTH, HEIGHT, FilterType::Lanczos3).into_raw())
}

impl map::Guest for Module {
    fn init(configuration: ModuleConfiguration) -> bool {
        log_configuration("module-format/map", &configuration);
        true
    }

    fn process(input: DataModel) -> Result<DataModel, Error> {
        let (bytes, timestamp) = match input {
            DataModel::Message(m) => (bytes_of(&m.payload), m.timestamp),
            DataModel::Snapshot(s) => {
                // Already in the target shape: nothing to do.
                if s.width == WIDTH && s.height == HEIGHT && string_of(&s.format) == FORMAT {
                    return Ok(DataModel::Snapshot(s));
                }
                (bytes_of(&s.frame), s.timestamp)
            }
            DataModel::BufferOrBytes(_) => return Err(error("Unexpected input type.")),
        };
        let frame = match to_rgb24(&bytes) {
            Some(frame) => frame,
            // Undecodable bytes of exactly the right size are taken as raw rgb24.
            None if bytes.len() == FRAME_LEN => bytes,
            None => return Err(error("Unexpected image format or size.")),
        };
        count("requests", &[("module", "module-format/map")]);
        Ok(DataModel::Snapshot(Snapshot {
            timestamp,
            format: BufferOrString::String(FORMAT.to_string()),
            width: WIDTH,
            height: HEIGHT,
            frame: BufferOrBytes::Bytes(frame),
        }))
    }
}

export!(Module);
