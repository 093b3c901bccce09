//! The schema of `validateSchema`: `schemaRef` (`aio-sr://<namespace>/<name>:<version>`,
//! set from the incoming connection by a DataflowGraph) read from the host's schema registry.

use crate::wasm_graph::processor::schema_registry;
use crate::wasm_graph::processor::schema_types::{SchemaError, SchemaFormat};
use dataflow_expr::Schema;

/// `aio-sr://ns/name:ver` → (`ns/name`, `ver`).
fn parse(r: &str) -> Result<(String, String), String> {
    let rest = r.strip_prefix("aio-sr://").ok_or_else(|| format!("schemaRef \"{r}\" is not aio-sr://<namespace>/<name>:<version>"))?;
    let (id, version) = rest.rsplit_once(':').ok_or_else(|| format!("schemaRef \"{r}\" has no :<version>"))?;
    if id.is_empty() || version.is_empty() || !id.contains('/') {
        return Err(format!("schemaRef \"{r}\" is not aio-sr://<namespace>/<name>:<version>"));
    }
    Ok((id.to_string(), version.to_string()))
}

fn reason(e: SchemaError) -> String {
    match e {
        SchemaError::NotFound => "not found in the schema registry".into(),
        SchemaError::NotAvailable => "the schema registry is not available".into(),
        SchemaError::Timeout => "the schema registry timed out".into(),
        SchemaError::Request(m) | SchemaError::Internal(m) => m,
    }
}

pub fn load(schema_ref: Option<&str>) -> Result<Schema, String> {
    let r = schema_ref.filter(|r| !r.trim().is_empty()).ok_or("no schema: give the incoming connection a schemaRef (aio-sr://<namespace>/<name>:<version>)")?;
    let (id, version) = parse(r.trim())?;
    let s = schema_registry::get(&id, &version, (10, 0)).map_err(|e| format!("schema {r}: {}", reason(e)))?;
    if !matches!(s.format, SchemaFormat::Json) {
        return Err(format!("schema {r} is not a JSON schema"));
    }
    Schema::compile(&s.schema_content).map_err(|e| format!("schema {r}: {e}"))
}

/// Why a payload does not conform (`None`: it does).
pub fn violation(schema: &Schema, payload: &[u8]) -> Option<String> {
    schema.validate_payload(payload).err()
}
