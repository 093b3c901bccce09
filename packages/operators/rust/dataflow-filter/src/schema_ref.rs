//! The schema of `validateSchema`: `schemaRef` (`aio-sr://<namespace>/<name>:<version>`,
//! set from the incoming connection by a DataflowGraph) read from the host's schema registry.

use crate::wasm_graph::processor::schema_registry;
use crate::wasm_graph::processor::schema_types::{SchemaError, SchemaFormat};
use dataflow_expr::Schema;

/// `aio-sr://ns/name:ver` → (`ns/name`, `ver`); `aio-sr://name:ver` (no namespace, as the
/// reference also allows) → (`name`, `ver`), which the registry looks up by name.
fn parse(r: &str) -> Result<(String, String), String> {
    let bad = || format!("schemaRef \"{r}\" is not aio-sr://<namespace>/<name>:<version> (or aio-sr://<name>:<version>)");
    let rest = r.strip_prefix("aio-sr://").ok_or_else(bad)?;
    let (id, version) = rest.rsplit_once(':').ok_or_else(|| format!("schemaRef \"{r}\" has no :<version>"))?;
    let part = |s: &str| !s.is_empty() && !s.contains(|c: char| c == '/' || c == ':' || c.is_whitespace());
    let id_ok = match id.split_once('/') {
        Some((ns, name)) => part(ns) && part(name),
        None => part(id),
    };
    if !id_ok || !part(version) {
        return Err(bad());
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
