//! Built-in functions (reference §2.4) and the evaluator.

use crate::parse::{BinOp, Expr, UnOp};
use crate::value::Value;
use regex::Regex;
use std::cmp::Ordering;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Agg {
    Average, Sum, Min, Max, Count, First, Last,
    /// Window-trigger running functions (1.1.0); `RunCount` with input 0 counts every message.
    RunSum, RunAvg, RunMin, RunMax, RunCount, Changed, Prev,
}

impl Agg {
    pub fn from_name(name: &str) -> Option<Agg> {
        Some(match name {
            "average" => Agg::Average,
            "sum" => Agg::Sum,
            "min" => Agg::Min,
            "max" => Agg::Max,
            "count" => Agg::Count,
            "first" => Agg::First,
            "last" => Agg::Last,
            _ => return None,
        })
    }

    /// The functions window triggers may call (`first` means the same as in accumulate).
    pub fn from_trigger_name(name: &str) -> Option<Agg> {
        Some(match name {
            "running_sum" => Agg::RunSum,
            "running_avg" => Agg::RunAvg,
            "running_min" => Agg::RunMin,
            "running_max" => Agg::RunMax,
            "running_count" => Agg::RunCount,
            "first" => Agg::First,
            "changed" => Agg::Changed,
            "prev" => Agg::Prev,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Func {
    Unit(&'static str, f64, bool, f64), // name, factor, divide, offset applied as documented below
    CToF, FToC, Scale, RoundN, Floor, Ceil, Round,
    Abs, Sqrt, Cbrt, Ln, Log2, Log10, Log, Exp, Exp2, Pow, Sin, Cos, Tan, Asin, Acos, Atan, Atan2, Hypot,
    Len, Lower, Upper, Trim, From, Substring, RegexMatches, RegexReplace,
    If, Min, Max, Contains, ContainsAny, TypeOf,
}

pub fn lookup(name: &str) -> Option<Func> {
    use Func::*;
    Some(match name {
        "cToF" => CToF,
        "fToC" => FToC,
        "psiToBar" => Unit("psiToBar", 0.0689476, false, 0.0),
        "barToPsi" => Unit("barToPsi", 0.0689476, true, 0.0),
        "inToCm" => Unit("inToCm", 2.54, false, 0.0),
        "cmToIn" => Unit("cmToIn", 2.54, true, 0.0),
        "ftToM" => Unit("ftToM", 0.3048, false, 0.0),
        "mToFt" => Unit("mToFt", 0.3048, true, 0.0),
        "lbToKg" => Unit("lbToKg", 0.453592, false, 0.0),
        "kgToLb" => Unit("kgToLb", 0.453592, true, 0.0),
        "galToL" => Unit("galToL", 3.78541, false, 0.0),
        "lToGal" => Unit("lToGal", 3.78541, true, 0.0),
        "scale" => Scale,
        "round_n" => RoundN,
        "floor" => Floor,
        "ceil" => Ceil,
        "round" => Round,
        "math::abs" => Abs,
        "math::sqrt" => Sqrt,
        "math::cbrt" => Cbrt,
        "math::ln" => Ln,
        "math::log2" => Log2,
        "math::log10" => Log10,
        "math::log" => Log,
        "math::exp" => Exp,
        "math::exp2" => Exp2,
        "math::pow" => Pow,
        "math::sin" => Sin,
        "math::cos" => Cos,
        "math::tan" => Tan,
        "math::asin" => Asin,
        "math::acos" => Acos,
        "math::atan" => Atan,
        "math::atan2" => Atan2,
        "math::hypot" => Hypot,
        "len" => Len,
        "str::to_lowercase" => Lower,
        "str::to_uppercase" => Upper,
        "str::trim" => Trim,
        "str::from" => From,
        "str::substring" => Substring,
        "str::regex_matches" => RegexMatches,
        "str::regex_replace" => RegexReplace,
        "if" => If,
        "min" => Min,
        "max" => Max,
        "contains" => Contains,
        "contains_any" => ContainsAny,
        "typeof" => TypeOf,
        _ => return None,
    })
}

impl Func {
    pub fn arity(self) -> (usize, usize) {
        use Func::*;
        match self {
            Scale => (5, 5),
            RoundN | Log | Pow | Atan2 | Hypot | RegexMatches | Contains | ContainsAny => (2, 2),
            Substring => (2, 3),
            RegexReplace | If => (3, 3),
            Min | Max => (1, usize::MAX),
            _ => (1, 1),
        }
    }

    pub fn regex_arg(self) -> bool {
        matches!(self, Func::RegexMatches | Func::RegexReplace)
    }

    fn name(self) -> &'static str {
        use Func::*;
        match self {
            Unit(n, ..) => n,
            CToF => "cToF", FToC => "fToC", Scale => "scale", RoundN => "round_n", Floor => "floor", Ceil => "ceil", Round => "round",
            Abs => "math::abs", Sqrt => "math::sqrt", Cbrt => "math::cbrt", Ln => "math::ln", Log2 => "math::log2", Log10 => "math::log10",
            Log => "math::log", Exp => "math::exp", Exp2 => "math::exp2", Pow => "math::pow", Sin => "math::sin", Cos => "math::cos",
            Tan => "math::tan", Asin => "math::asin", Acos => "math::acos", Atan => "math::atan", Atan2 => "math::atan2", Hypot => "math::hypot",
            Len => "len", Lower => "str::to_lowercase", Upper => "str::to_uppercase", Trim => "str::trim", From => "str::from",
            Substring => "str::substring", RegexMatches => "str::regex_matches", RegexReplace => "str::regex_replace",
            If => "if", Min => "min", Max => "max", Contains => "contains", ContainsAny => "contains_any", TypeOf => "typeof",
        }
    }
}

/// Supplies aggregation results while evaluating accumulate expressions.
pub trait Aggregates {
    fn aggregate(&self, agg: Agg, input: usize) -> Result<Value, String>;
}

pub struct NoAggregates;
impl Aggregates for NoAggregates {
    fn aggregate(&self, _: Agg, _: usize) -> Result<Value, String> {
        Err("aggregations exist only in window accumulate rules".into())
    }
}

fn num(f: Func, v: &Value) -> Result<f64, String> {
    v.as_f64().ok_or_else(|| format!("{}() needs a number, got {} {}", f.name(), v.type_name(), short(v)))
}

fn short(v: &Value) -> String {
    let s = match v {
        Value::Str(s) => format!("\"{s}\""),
        Value::Json(_) => "(object)".into(),
        other => other.display(),
    };
    if s.chars().count() > 40 { format!("{}…", s.chars().take(40).collect::<String>()) } else { s }
}

fn type_error(op: &str, a: &Value, b: &Value) -> String {
    format!("cannot apply \"{op}\" to {} {} and {} {}", a.type_name(), short(a), b.type_name(), short(b))
}

fn int_overflow(op: &str) -> String {
    format!("integer overflow in \"{op}\"")
}

pub fn eval(e: &Expr, vars: &[Value], aggs: &dyn Aggregates) -> Result<Value, String> {
    match e {
        Expr::Lit(v) => Ok(v.clone()),
        Expr::Var(n) => vars.get(n - 1).cloned().ok_or_else(|| format!("${n} has no input")),
        Expr::Tuple(items) => Ok(Value::Tuple(items.iter().map(|i| eval(i, vars, aggs)).collect::<Result<_, _>>()?)),
        Expr::Agg(agg, n) => aggs.aggregate(*agg, *n),
        Expr::Unary(op, a) => {
            let a = eval(a, vars, aggs)?;
            match (op, &a) {
                (UnOp::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
                (UnOp::Neg, Value::Int(i)) => i.checked_neg().map(Value::Int).ok_or_else(|| int_overflow("-")),
                (UnOp::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
                (UnOp::Not, _) => Err(format!("\"!\" needs a boolean, got {} {}", a.type_name(), short(&a))),
                (UnOp::Neg, _) => Err(format!("\"-\" needs a number, got {} {}", a.type_name(), short(&a))),
            }
        }
        Expr::Binary(op, a, b) => binary(*op, a, b, vars, aggs),
        Expr::Call { func, args, regex } => call(*func, args, regex.as_deref(), vars, aggs),
    }
}

fn boolean(op: &str, v: Value) -> Result<bool, String> {
    match v {
        Value::Bool(b) => Ok(b),
        other => Err(format!("\"{op}\" needs booleans, got {} {}", other.type_name(), short(&other))),
    }
}

fn binary(op: BinOp, a: &Expr, b: &Expr, vars: &[Value], aggs: &dyn Aggregates) -> Result<Value, String> {
    // && and || short-circuit.
    if op == BinOp::And {
        return Ok(Value::Bool(boolean("&&", eval(a, vars, aggs)?)? && boolean("&&", eval(b, vars, aggs)?)?));
    }
    if op == BinOp::Or {
        return Ok(Value::Bool(boolean("||", eval(a, vars, aggs)?)? || boolean("||", eval(b, vars, aggs)?)?));
    }
    let x = eval(a, vars, aggs)?;
    let y = eval(b, vars, aggs)?;
    use BinOp::*;
    use Value::*;
    let sym = match op { Eq => "==", Ne => "!=", Lt => "<", Gt => ">", Le => "<=", Ge => ">=", Add => "+", Sub => "-", Mul => "*", Div => "/", Rem => "%", Pow => "^", And | Or => unreachable!() };
    match op {
        Eq => Ok(Bool(x.equals(&y))),
        Ne => Ok(Bool(!x.equals(&y))),
        Lt | Gt | Le | Ge => {
            let ord = match (&x, &y) {
                (Int(p), Int(q)) => p.cmp(q),
                (Str(p), Str(q)) => p.cmp(q),
                (p, q) if p.is_number() && q.is_number() => match p.as_f64().unwrap().partial_cmp(&q.as_f64().unwrap()) {
                    Some(o) => o,
                    None => return Ok(Bool(false)), // NaN compares false
                },
                _ => return Err(type_error(sym, &x, &y)),
            };
            Ok(Bool(match op { Lt => ord == Ordering::Less, Gt => ord == Ordering::Greater, Le => ord != Ordering::Greater, _ => ord != Ordering::Less }))
        }
        Add if matches!(x, Str(_)) || matches!(y, Str(_)) => {
            let ok = |v: &Value| matches!(v, Str(_) | Int(_) | Float(_) | Bool(_));
            if !ok(&x) || !ok(&y) { return Err(type_error(sym, &x, &y)); }
            Ok(Str(format!("{}{}", x.display(), y.display())))
        }
        _ => {
            if !x.is_number() || !y.is_number() { return Err(type_error(sym, &x, &y)); }
            if op == Pow { return Ok(Float(x.as_f64().unwrap().powf(y.as_f64().unwrap()))); }
            if let (Int(p), Int(q)) = (&x, &y) {
                let (p, q) = (*p, *q);
                if matches!(op, Div | Rem) && q == 0 { return Err(format!("integer division by zero in \"{sym}\"")); }
                let r = match op { Add => p.checked_add(q), Sub => p.checked_sub(q), Mul => p.checked_mul(q), Div => p.checked_div(q), _ => p.checked_rem(q) };
                return r.map(Int).ok_or_else(|| int_overflow(sym));
            }
            let (p, q) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            Ok(Float(match op { Add => p + q, Sub => p - q, Mul => p * q, Div => p / q, _ => p % q }))
        }
    }
}

fn call(f: Func, args: &[Expr], re: Option<&Regex>, vars: &[Value], aggs: &dyn Aggregates) -> Result<Value, String> {
    use Func::*;
    use Value::*;
    if f == If {
        return match eval(&args[0], vars, aggs)? {
            Bool(true) => eval(&args[1], vars, aggs),
            Bool(false) => eval(&args[2], vars, aggs),
            other => Err(format!("if() needs a boolean condition, got {} {}", other.type_name(), short(&other))),
        };
    }
    let v: Vec<Value> = args.iter().map(|a| eval(a, vars, aggs)).collect::<Result<_, _>>()?;
    let float = |x: f64| Ok(Float(x));
    let s = |i: usize| -> Result<&str, String> {
        match &v[i] {
            Str(s) => Ok(s.as_str()),
            other => Err(format!("{}() needs a string, got {} {}", f.name(), other.type_name(), short(other))),
        }
    };
    match f {
        CToF => float(num(f, &v[0])? * 9.0 / 5.0 + 32.0),
        FToC => float((num(f, &v[0])? - 32.0) * 5.0 / 9.0),
        Unit(_, factor, divide, _) => float(if divide { num(f, &v[0])? / factor } else { num(f, &v[0])? * factor }),
        Scale => {
            let n: Vec<f64> = v.iter().map(|x| num(f, x)).collect::<Result<_, _>>()?;
            if n[1] == n[2] { return Err("scale(): the source range is empty (srcLo == srcHi)".into()); }
            float(n[3] + (n[0] - n[1]) * (n[4] - n[3]) / (n[2] - n[1]))
        }
        RoundN => {
            let x = num(f, &v[0])?;
            let d = match v[1] { Int(d) if (0..=15).contains(&d) => d, _ => return Err(format!("round_n(): decimals must be an integer from 0 to 15, got {}", short(&v[1]))) };
            let m = 10f64.powi(d as i32);
            float((x * m).round() / m)
        }
        Floor | Ceil | Round => match v[0] {
            Int(i) => Ok(Int(i)),
            _ => { let x = num(f, &v[0])?; float(match f { Floor => x.floor(), Ceil => x.ceil(), _ => x.round() }) }
        },
        Abs => match v[0] {
            Int(i) => i.checked_abs().map(Int).ok_or_else(|| int_overflow("math::abs")),
            _ => float(num(f, &v[0])?.abs()),
        },
        Sqrt => float(num(f, &v[0])?.sqrt()),
        Cbrt => float(num(f, &v[0])?.cbrt()),
        Ln => float(num(f, &v[0])?.ln()),
        Log2 => float(num(f, &v[0])?.log2()),
        Log10 => float(num(f, &v[0])?.log10()),
        Log => float(num(f, &v[0])?.ln() / num(f, &v[1])?.ln()),
        Exp => float(num(f, &v[0])?.exp()),
        Exp2 => float(num(f, &v[0])?.exp2()),
        Pow => float(num(f, &v[0])?.powf(num(f, &v[1])?)),
        Sin => float(num(f, &v[0])?.sin()),
        Cos => float(num(f, &v[0])?.cos()),
        Tan => float(num(f, &v[0])?.tan()),
        Asin => float(num(f, &v[0])?.asin()),
        Acos => float(num(f, &v[0])?.acos()),
        Atan => float(num(f, &v[0])?.atan()),
        Atan2 => float(num(f, &v[0])?.atan2(num(f, &v[1])?)),
        Hypot => float(num(f, &v[0])?.hypot(num(f, &v[1])?)),
        Len => match &v[0] {
            Str(x) => Ok(Int(x.chars().count() as i64)),
            Tuple(t) => Ok(Int(t.len() as i64)),
            other => Err(format!("len() needs a string or a tuple, got {} {}", other.type_name(), short(other))),
        },
        Lower => Ok(Str(s(0)?.to_lowercase())),
        Upper => Ok(Str(s(0)?.to_uppercase())),
        Trim => Ok(Str(s(0)?.trim().to_string())),
        From => Ok(Str(v[0].display())),
        Substring => {
            let text: Vec<char> = s(0)?.chars().collect();
            let idx = |x: &Value| match x { Int(i) if *i >= 0 => Ok(*i as usize), other => Err(format!("str::substring(): indexes must be non-negative integers, got {}", short(other))) };
            let start = idx(&v[1])?;
            let end = if v.len() > 2 { idx(&v[2])? } else { text.len() };
            if start > end || end > text.len() {
                return Err(format!("str::substring(): range {start}..{end} is outside the {} characters of the string", text.len()));
            }
            Ok(Str(text[start..end].iter().collect()))
        }
        RegexMatches | RegexReplace => {
            let compiled;
            let re = match re {
                Some(r) => r,
                None => { compiled = Regex::new(s(1)?).map_err(|e| format!("{}(): invalid regular expression: {e}", f.name()))?; &compiled }
            };
            let text = s(0)?;
            if f == RegexMatches { Ok(Bool(re.is_match(text))) } else { Ok(Str(re.replace_all(text, s(2)?).into_owned())) }
        }
        Min | Max => {
            let items: Vec<Value> = match v.as_slice() { [Tuple(t)] => t.clone(), _ => v.clone() };
            if items.is_empty() { return Err(format!("{}() of nothing", f.name())); }
            let mut best: Option<Value> = None;
            for x in items {
                let n = num(f, &x)?;
                let better = match &best { None => true, Some(b) => { let m = b.as_f64().unwrap(); if f == Min { n < m } else { n > m } } };
                if better { best = Some(x); }
            }
            Ok(best.unwrap())
        }
        Contains => match (&v[0], &v[1]) {
            (Tuple(t), x) => Ok(Bool(t.iter().any(|i| i.equals(x)))),
            (Str(hay), Str(needle)) => Ok(Bool(hay.contains(needle.as_str()))),
            (other, _) => Err(format!("contains() needs a tuple (or a string), got {} {}", other.type_name(), short(other))),
        },
        ContainsAny => match (&v[0], &v[1]) {
            (Tuple(t), Tuple(c)) => Ok(Bool(c.iter().any(|x| t.iter().any(|i| i.equals(x))))),
            (a, b) => Err(format!("contains_any() needs two tuples, got {} and {}", a.type_name(), b.type_name())),
        },
        TypeOf => Ok(Str(v[0].type_name().to_string())),
        If => unreachable!(),
    }
}
