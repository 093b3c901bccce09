//! Window 1.1.0 closing conditions besides the duration (reference §1.3, §3.5):
//! `count`, `memory` and `triggers`, checked per message in that order
//! (memory, count, trigger); the first that fires closes the window.
//!
//! Windows stay inside their duration window: a window closed early is
//! followed by the next one of the same duration window, numbered `seq`
//! (the delay puts it in the HLC counter, so each is its own epoch).

use crate::dataset::StateRead;
use crate::rules::Msg;
use crate::trigger::{Boundary, Triggers};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CountJson {
    #[serde(rename = "type")]
    kind: String,
    max_message_count: u64,
    #[serde(default)]
    boundary_message: Option<Boundary>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct MemoryJson {
    #[serde(rename = "type")]
    kind: String,
    max_buffer_bytes: u64,
    #[serde(default)]
    boundary_message: Option<Boundary>,
}

/// A limit and where the message that reaches it goes (default: in the closing window).
#[derive(Clone, Copy, Debug)]
struct Limit {
    max: u64,
    boundary: Boundary,
}

fn limit(kind: &str, want: &str, max: u64, boundary: Option<Boundary>, name: &str) -> Result<Limit, String> {
    if kind != want {
        return Err(format!("{name} type \"{kind}\" is not supported ({want})"));
    }
    if max == 0 {
        return Err(format!("{name}: the limit must be greater than 0"));
    }
    Ok(Limit { max, boundary: boundary.unwrap_or(Boundary::Current) })
}

/// The window being filled.
#[derive(Clone, Copy, Debug, Default)]
struct Open {
    end: u64,
    seq: u64,
    messages: u64,
    bytes: u64,
}

pub struct Closing {
    count: Option<Limit>,
    memory: Option<Limit>,
    triggers: Option<Triggers>,
    open: Open,
}

impl Closing {
    /// The `count`, `memory` and `triggers` configuration values (each optional).
    pub fn compile(count: Option<&str>, memory: Option<&str>, triggers: Option<&str>) -> Result<Closing, String> {
        let count = match count {
            Some(t) => {
                let j: CountJson = serde_json::from_str(t).map_err(|e| format!("count is not valid: {e}"))?;
                Some(limit(&j.kind, "messageCount", j.max_message_count, j.boundary_message, "count")?)
            }
            None => None,
        };
        let memory = match memory {
            Some(t) => {
                let j: MemoryJson = serde_json::from_str(t).map_err(|e| format!("memory is not valid: {e}"))?;
                Some(limit(&j.kind, "bufferSize", j.max_buffer_bytes, j.boundary_message, "memory")?)
            }
            None => None,
        };
        let triggers = triggers.map(Triggers::compile).transpose()?;
        Ok(Closing { count, memory, triggers, open: Open::default() })
    }

    /// True when only the duration closes windows (1.0.0 behaviour).
    pub fn is_empty(&self) -> bool {
        self.count.is_none() && self.memory.is_none() && self.triggers.is_none()
    }

    /// The window number (within the duration window ending at `end`) a message joins.
    pub fn assign(&mut self, end: u64, msg: &Msg, store: &dyn StateRead) -> Result<u64, String> {
        if self.is_empty() || end < self.open.end {
            return Ok(0); // a late message forms its own window, as in 1.0.0
        }
        if end > self.open.end {
            self.open = Open { end, ..Open::default() };
            self.reset_triggers();
        }
        let bound = self.triggers.as_ref().map(|t| t.bind(msg, store)).transpose()?;
        let len = msg.payload.len() as u64;
        let o = self.open;
        let mut fired = None;
        if let Some(m) = self.memory.filter(|m| o.bytes + len >= m.max) {
            fired = Some(m.boundary);
        } else if let Some(c) = self.count.filter(|c| o.messages + 1 >= c.max) {
            fired = Some(c.boundary);
        } else if let (Some(t), Some(b)) = (&self.triggers, &bound) {
            fired = t.fires(b)?;
        }
        // A messageInNext close of an empty window would emit nothing: suppressed.
        if fired == Some(Boundary::Next) && o.messages == 0 {
            fired = None;
        }
        if fired == Some(Boundary::Next) {
            self.next_window();
        }
        let seq = self.open.seq;
        self.open.messages += 1;
        self.open.bytes += len;
        if let (Some(t), Some(b)) = (&self.triggers, &bound) {
            t.add(b);
        }
        if fired == Some(Boundary::Current) {
            self.next_window();
        }
        Ok(seq)
    }

    fn next_window(&mut self) {
        self.open = Open { end: self.open.end, seq: self.open.seq + 1, ..Open::default() };
        self.reset_triggers();
    }

    fn reset_triggers(&self) {
        if let Some(t) = &self.triggers {
            t.reset();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::NoState;

    fn msg(payload: &str) -> Msg {
        Msg { payload: payload.as_bytes().to_vec(), ..Msg::default() }
    }

    fn seqs(c: &mut Closing, payloads: &[&str]) -> Vec<u64> {
        payloads.iter().map(|p| c.assign(10_000, &msg(p), &NoState).unwrap()).collect()
    }

    #[test]
    fn count_current_and_next() {
        let mut c = Closing::compile(Some(r#"{"type":"messageCount","maxMessageCount":2}"#), None, None).unwrap();
        assert_eq!(seqs(&mut c, &["{}"; 5]), vec![0, 0, 1, 1, 2]);
        let mut n = Closing::compile(Some(r#"{"type":"messageCount","maxMessageCount":2,"boundaryMessage":"messageInNext"}"#), None, None).unwrap();
        assert_eq!(seqs(&mut n, &["{}"; 4]), vec![0, 1, 2, 3]);
    }

    #[test]
    fn memory_before_count_and_new_duration_window() {
        let mut c = Closing::compile(Some(r#"{"type":"messageCount","maxMessageCount":10}"#), Some(r#"{"type":"bufferSize","maxBufferBytes":6,"boundaryMessage":"messageInNext"}"#), None).unwrap();
        assert_eq!(seqs(&mut c, &["{}", "{}", "{}", "{}"]), vec![0, 0, 1, 1]);
        assert_eq!(c.assign(20_000, &msg("{}"), &NoState).unwrap(), 0);
        assert_eq!(c.assign(10_000, &msg("{}"), &NoState).unwrap(), 0); // late
    }

    #[test]
    fn triggers_with_running_functions() {
        let t = r#"{"type":"expression","rules":[{"inputs":["v"],"trigger":"running_sum($1) + $1 >= 10","boundaryMessage":"messageInCurrent"},{"inputs":["v"],"trigger":"changed($1) && prev($1) == 1","boundaryMessage":"messageInNext"}]}"#;
        let mut c = Closing::compile(None, None, Some(t)).unwrap();
        let got = seqs(&mut c, &[r#"{"v":4}"#, r#"{"v":6}"#, r#"{"v":1}"#, r#"{"v":2}"#, r#"{"v":2}"#]);
        assert_eq!(got, vec![0, 0, 1, 2, 2]);
    }

    #[test]
    fn refusals() {
        assert!(Closing::compile(Some(r#"{"type":"messageCount","maxMessageCount":0}"#), None, None).is_err());
        assert!(Closing::compile(None, Some(r#"{"type":"bytes","maxBufferBytes":1}"#), None).is_err());
        assert!(Closing::compile(None, None, Some(r#"{"type":"expression","rules":[{"inputs":["v"],"trigger":"average($1) > 1"}]}"#)).is_err());
        assert!(Closing::compile(None, None, Some(r#"{"type":"expression","rules":[]}"#)).is_err());
    }
}
