//! Payload shapes of the reference samples (externally tagged JSON objects).
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    C,
    F,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct Temperature {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub count: u64,
    #[serde(default)]
    pub max: f64,
    #[serde(default)]
    pub min: f64,
    #[serde(default)]
    pub average: f64,
    #[serde(default)]
    pub last: f64,
    pub unit: Unit,
    #[serde(default)]
    pub overtemp: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct Humidity {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value: Option<f64>,
    #[serde(default)]
    pub count: u64,
    #[serde(default)]
    pub max: f64,
    #[serde(default)]
    pub min: f64,
    #[serde(default)]
    pub average: f64,
    #[serde(default)]
    pub last: f64,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct Object {
    pub result: String,
}

#[derive(Serialize, Deserialize, Debug, Clone, Default)]
pub struct SensorData {
    #[serde(default)]
    pub temperature: Vec<Temperature>,
    #[serde(default)]
    pub humidity: Vec<Humidity>,
    #[serde(default)]
    pub object: Vec<Object>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(rename_all = "snake_case")]
pub enum Measurement {
    Temperature(Temperature),
    Humidity(Humidity),
    Object(Object),
    SensorData(SensorData),
}

impl Measurement {
    pub fn parse(bytes: &[u8]) -> Result<Measurement, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    pub fn to_vec(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("measurement serializes")
    }
}

/// Running min/max/sum over f64 values, shared by the accumulate operators.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    pub count: u64,
    pub sum: f64,
    pub max: f64,
    pub min: f64,
    pub last: f64,
}

impl Stats {
    pub fn empty() -> Stats {
        Stats { count: 0, sum: 0.0, max: f64::MIN, min: f64::MAX, last: 0.0 }
    }

    /// Resumes from a previously emitted aggregate (sum recovered from the average).
    pub fn resume(count: u64, average: f64, max: f64, min: f64, last: f64) -> Stats {
        Stats { count, sum: average * count as f64, max, min, last }
    }

    pub fn add(&mut self, value: f64) {
        self.sum += value;
        self.count += 1;
        if value > self.max {
            self.max = value;
        }
        if value < self.min {
            self.min = value;
        }
    }

    pub fn average(&self) -> f64 {
        self.sum / self.count as f64
    }
}
