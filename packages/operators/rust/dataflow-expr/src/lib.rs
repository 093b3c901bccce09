//! The expression language and rule engines of the built-in transforms
//! (map, filter, branch, window), after the reference's
//! aio-builtin-transforms.md §2–3. No WIT here: the `dataflow-*` operator
//! crates convert messages and call into this crate.

pub mod closing;
pub mod dataset;
pub mod func;
pub mod parse;
pub mod path;
pub mod rules;
pub mod schema;
pub mod stats;
pub mod trigger;
pub mod value;
pub mod window;

pub use closing::Closing;
pub use dataset::{NoState, StateRead};
pub use rules::{BranchRule, FilterRules, MapRules, Msg};
pub use schema::Schema;
pub use value::Value;
pub use window::{parse_delay, window_end_ms, AccumulateRules, WindowState};
