//! Running statistics of one input over a window's messages, in O(1) state:
//! shared by the accumulate aggregations (`window.rs`) and the trigger
//! running functions (`trigger.rs`).

use crate::value::Value;

/// Counts every present value; sums and ranges only the numeric ones.
/// Min and max keep the value itself, so an Int stays an Int.
#[derive(Clone, Debug, Default)]
pub struct RunningStats {
    /// Values that were not Empty.
    pub present: u64,
    pub first: Option<Value>,
    pub last: Option<Value>,
    /// Sum and count of the numeric values only.
    pub sum: f64,
    pub numeric: u64,
    pub min: Option<Value>,
    pub max: Option<Value>,
}

impl RunningStats {
    /// Adds one value; Empty (a missing field or null) changes nothing.
    pub fn add(&mut self, v: &Value) {
        if matches!(v, Value::Empty) {
            return;
        }
        self.present += 1;
        self.first.get_or_insert_with(|| v.clone());
        self.last = Some(v.clone());
        if let Some(n) = v.as_f64() {
            self.sum += n;
            self.numeric += 1;
            // The first value wins a tie: the comparisons are strict.
            if self.min.as_ref().is_none_or(|m| n < m.as_f64().unwrap()) {
                self.min = Some(v.clone());
            }
            if self.max.as_ref().is_none_or(|m| n > m.as_f64().unwrap()) {
                self.max = Some(v.clone());
            }
        }
    }

    /// The mean of the numeric values; None before the first one.
    pub fn average(&self) -> Option<f64> {
        (self.numeric > 0).then(|| self.sum / self.numeric as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(values: &[Value]) -> RunningStats {
        let mut s = RunningStats::default();
        values.iter().for_each(|v| s.add(v));
        s
    }

    fn show(v: &Option<Value>) -> Option<String> {
        v.as_ref().map(|v| format!("{} {}", v.type_name(), v.display()))
    }

    #[test]
    fn starts_empty() {
        let s = RunningStats::default();
        assert_eq!((s.present, s.numeric, s.sum), (0, 0, 0.0));
        assert!(s.first.is_none() && s.last.is_none() && s.min.is_none() && s.max.is_none());
        assert_eq!(s.average(), None);
    }

    #[test]
    fn numbers_keep_their_type_in_min_and_max() {
        let s = stats(&[Value::Int(4), Value::Float(1.5), Value::Int(9), Value::Int(2)]);
        assert_eq!((s.present, s.numeric, s.sum), (4, 4, 16.5));
        assert_eq!(s.average(), Some(4.125));
        assert_eq!(show(&s.min), Some("float 1.5".into()));
        assert_eq!(show(&s.max), Some("int 9".into()));
        assert_eq!(show(&s.first), Some("int 4".into()));
        assert_eq!(show(&s.last), Some("int 2".into()));
    }

    #[test]
    fn empty_values_are_skipped() {
        let s = stats(&[Value::Empty, Value::Int(3), Value::Empty]);
        assert_eq!((s.present, s.numeric), (1, 1));
        assert_eq!(show(&s.first), Some("int 3".into()));
        assert_eq!(show(&s.last), Some("int 3".into()));
    }

    #[test]
    fn other_values_count_but_are_not_summed_or_ranged() {
        let s = stats(&[Value::Str("a".into()), Value::Int(5), Value::Bool(true)]);
        assert_eq!((s.present, s.numeric, s.sum), (3, 1, 5.0));
        assert_eq!(show(&s.first), Some("string a".into()));
        assert_eq!(show(&s.last), Some("boolean true".into()));
        assert_eq!(show(&s.min), Some("int 5".into()));
        assert_eq!(show(&s.max), Some("int 5".into()));
        let words = stats(&[Value::Str("a".into())]);
        assert!(words.min.is_none() && words.max.is_none());
        assert_eq!(words.average(), None);
    }

    #[test]
    fn ties_keep_the_first_value() {
        let s = stats(&[Value::Int(2), Value::Float(2.0), Value::Float(7.0), Value::Int(7)]);
        assert_eq!(show(&s.min), Some("int 2".into()));
        assert_eq!(show(&s.max), Some("float 7.0".into()));
    }
}
