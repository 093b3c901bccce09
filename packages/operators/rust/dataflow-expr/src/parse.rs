//! Lexer and Pratt parser of the expression language (reference §2.3).
//!
//! Precedence, tightest first: prefix `!` and `-`, `^` (right-associative),
//! `* / %`, `+ -`, `< > <= >=`, `== !=`, `&&`, `||`; all binary levels but `^`
//! are left-associative. Expressions are parsed once, at init.

use crate::func::{lookup, Agg, Func};
use crate::value::Value;
use regex::Regex;
use std::rc::Rc;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BinOp { Or, And, Eq, Ne, Lt, Gt, Le, Ge, Add, Sub, Mul, Div, Rem, Pow }

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum UnOp { Not, Neg }

#[derive(Debug)]
pub enum Expr {
    Lit(Value),
    Var(usize),
    Tuple(Vec<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// A function call; `regex` holds the pattern compiled at parse time when it is a literal.
    Call { func: Func, args: Vec<Expr>, regex: Option<Rc<Regex>> },
    /// An aggregation over the window (accumulate rules only): function and 1-based input.
    Agg(Agg, usize),
}

/// Where an expression is used: accumulate rules allow (and require) aggregations;
/// window triggers allow the running functions (`running_sum`, `first`, `prev`, …).
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Mode { Row, Accumulate, Trigger }

#[derive(Clone, Debug, PartialEq)]
enum Tok { Int(i64), Float(f64), Str(String), Var(usize), Ident(String), LParen, RParen, Comma, Op(&'static str) }

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() { i += 1; continue; }
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() { i += 1; }
            let mut float = false;
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                float = true;
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() { i += 1; }
            }
            if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
                let mut j = i + 1;
                if j < chars.len() && (chars[j] == '+' || chars[j] == '-') { j += 1; }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    float = true;
                    i = j;
                    while i < chars.len() && chars[i].is_ascii_digit() { i += 1; }
                }
            }
            let text: String = chars[start..i].iter().collect();
            if i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '.') {
                return Err(format!("malformed number at column {}", start + 1));
            }
            out.push(if float {
                Tok::Float(text.parse().map_err(|_| format!("malformed number \"{text}\""))?)
            } else {
                Tok::Int(text.parse().map_err(|_| format!("integer {text} is out of the 64-bit range"))?)
            });
            continue;
        }
        if c == '"' || c == '\'' {
            let quote = c;
            i += 1;
            let mut s = String::new();
            loop {
                let Some(&d) = chars.get(i) else { return Err("unterminated string literal".into()) };
                i += 1;
                if d == quote { break; }
                if d != '\\' { s.push(d); continue; }
                let Some(&e) = chars.get(i) else { return Err("unterminated string literal".into()) };
                i += 1;
                match e {
                    '"' | '\'' | '\\' | '/' => s.push(e),
                    'n' => s.push('\n'),
                    't' => s.push('\t'),
                    'r' => s.push('\r'),
                    'u' => {
                        let hex: String = chars.get(i..i + 4).map(|h| h.iter().collect()).unwrap_or_default();
                        let code = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32)
                            .ok_or_else(|| format!("bad \\u escape \"\\u{hex}\""))?;
                        s.push(code);
                        i += 4;
                    }
                    // Other escapes stay as written, so regular expressions read naturally ("\d+").
                    other => {
                        s.push('\\');
                        s.push(other);
                    }
                }
            }
            out.push(Tok::Str(s));
            continue;
        }
        if c == '$' {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') { i += 1; }
            let name: String = chars[start + 1..i].iter().collect();
            match name.parse::<usize>() {
                Ok(n) if n >= 1 => out.push(Tok::Var(n)),
                _ => return Err(format!("\"${name}\" is not a positional variable ($1, $2, …); field paths and $metadata belong in \"inputs\"")),
            }
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            let start = i;
            loop {
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') { i += 1; }
                if i + 2 < chars.len() + 1 && chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
                    i += 2;
                    continue;
                }
                break;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
            continue;
        }
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let op2 = ["&&", "||", "==", "!=", "<=", ">="].into_iter().find(|o| *o == two);
        if let Some(op) = op2 {
            out.push(Tok::Op(op));
            i += 2;
            continue;
        }
        let tok = match c {
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ',' => Tok::Comma,
            '!' => Tok::Op("!"), '^' => Tok::Op("^"), '*' => Tok::Op("*"), '/' => Tok::Op("/"), '%' => Tok::Op("%"),
            '+' => Tok::Op("+"), '-' => Tok::Op("-"), '<' => Tok::Op("<"), '>' => Tok::Op(">"),
            '&' | '|' => return Err(format!("\"{c}\" is not an operator; use \"{c}{c}\"")),
            '=' => return Err("\"=\" is not an operator; use \"==\"".into()),
            other => return Err(format!("unexpected character \"{other}\" at column {}", i + 1)),
        };
        out.push(tok);
        i += 1;
    }
    Ok(out)
}

fn binary(tok: &Tok) -> Option<(BinOp, u8, bool)> {
    // (operator, binding power, right-associative)
    let Tok::Op(op) = tok else { return None };
    Some(match *op {
        "||" => (BinOp::Or, 1, false),
        "&&" => (BinOp::And, 2, false),
        "==" => (BinOp::Eq, 3, false),
        "!=" => (BinOp::Ne, 3, false),
        "<" => (BinOp::Lt, 4, false),
        ">" => (BinOp::Gt, 4, false),
        "<=" => (BinOp::Le, 4, false),
        ">=" => (BinOp::Ge, 4, false),
        "+" => (BinOp::Add, 5, false),
        "-" => (BinOp::Sub, 5, false),
        "*" => (BinOp::Mul, 6, false),
        "/" => (BinOp::Div, 6, false),
        "%" => (BinOp::Rem, 6, false),
        "^" => (BinOp::Pow, 7, true),
        _ => return None,
    })
}

const PREFIX_BP: u8 = 8;

struct Parser { toks: Vec<Tok>, pos: usize, mode: Mode }

impl Parser {
    fn peek(&self) -> Option<&Tok> { self.toks.get(self.pos) }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn expect(&mut self, t: Tok, what: &str) -> Result<(), String> {
        match self.next() {
            Some(got) if got == t => Ok(()),
            Some(got) => Err(format!("expected {what}, found {}", describe(&got))),
            None => Err(format!("expected {what}, found the end of the expression")),
        }
    }

    fn expr(&mut self, min_bp: u8) -> Result<Expr, String> {
        let mut lhs = self.prefix()?;
        while let Some((op, bp, right)) = self.peek().and_then(binary) {
            if bp < min_bp { break; }
            self.pos += 1;
            let rhs = self.expr(if right { bp } else { bp + 1 })?;
            lhs = Expr::Binary(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn prefix(&mut self) -> Result<Expr, String> {
        let Some(tok) = self.next() else { return Err("the expression ends too early".into()) };
        Ok(match tok {
            Tok::Int(i) => Expr::Lit(Value::Int(i)),
            Tok::Float(f) => Expr::Lit(Value::Float(f)),
            Tok::Str(s) => Expr::Lit(Value::Str(s)),
            Tok::Var(n) => Expr::Var(n),
            Tok::Op("!") => Expr::Unary(UnOp::Not, Box::new(self.expr(PREFIX_BP)?)),
            Tok::Op("-") => match self.expr(PREFIX_BP)? {
                Expr::Lit(Value::Int(i)) => Expr::Lit(Value::Int(-i)),
                Expr::Lit(Value::Float(f)) => Expr::Lit(Value::Float(-f)),
                e => Expr::Unary(UnOp::Neg, Box::new(e)),
            },
            Tok::LParen => {
                if self.peek() == Some(&Tok::RParen) {
                    self.pos += 1;
                    return Ok(Expr::Lit(Value::Empty));
                }
                let first = self.expr(0)?;
                if self.peek() != Some(&Tok::Comma) {
                    self.expect(Tok::RParen, "\")\"")?;
                    return Ok(first);
                }
                let mut items = vec![first];
                while self.peek() == Some(&Tok::Comma) {
                    self.pos += 1;
                    items.push(self.expr(0)?);
                }
                self.expect(Tok::RParen, "\")\"")?;
                Expr::Tuple(items)
            }
            Tok::Ident(name) => match name.as_str() {
                "true" => Expr::Lit(Value::Bool(true)),
                "false" => Expr::Lit(Value::Bool(false)),
                "and" | "or" | "not" => return Err(format!("\"{name}\" is not an operator; use \"&&\", \"||\" or \"!\"")),
                _ => self.call(name)?,
            },
            other => return Err(format!("unexpected {}", describe(&other))),
        })
    }

    fn call(&mut self, name: String) -> Result<Expr, String> {
        if self.peek() != Some(&Tok::LParen) {
            return Err(format!("unknown name \"{name}\" (functions are called with parentheses)"));
        }
        self.pos += 1;
        let mut args = Vec::new();
        if self.peek() == Some(&Tok::RParen) {
            self.pos += 1;
        } else {
            loop {
                args.push(self.expr(0)?);
                match self.next() {
                    Some(Tok::Comma) => continue,
                    Some(Tok::RParen) => break,
                    Some(t) => return Err(format!("expected \",\" or \")\" in the arguments of {name}, found {}", describe(&t))),
                    None => return Err(format!("unclosed arguments of {name}")),
                }
            }
        }
        if self.mode == Mode::Trigger {
            if let Some(agg) = Agg::from_trigger_name(&name) {
                return match (agg, args.as_slice()) {
                    (Agg::RunCount, []) => Ok(Expr::Agg(agg, 0)),
                    (_, [Expr::Var(n)]) => Ok(Expr::Agg(agg, *n)),
                    _ => Err(format!("{name}() takes exactly one positional variable, like {name}($1)")),
                };
            }
        }
        if self.mode == Mode::Accumulate {
            if let Some(agg) = Agg::from_name(&name) {
                return match args.as_slice() {
                    [Expr::Var(n)] => Ok(Expr::Agg(agg, *n)),
                    _ => Err(format!("{name}() takes exactly one positional variable, like {name}($1)")),
                };
            }
        } else if Agg::from_name(&name).is_some() && !matches!(name.as_str(), "min" | "max") {
            return Err(format!("{name}() is an aggregation; it exists only in window accumulate rules"));
        }
        let func = lookup(&name).ok_or_else(|| format!("unknown function \"{name}\""))?;
        let (lo, hi) = func.arity();
        if args.len() < lo || args.len() > hi {
            let want = if lo == hi { format!("{lo}") } else if hi == usize::MAX { format!("at least {lo}") } else { format!("{lo} to {hi}") };
            return Err(format!("{name}() takes {want} argument(s), got {}", args.len()));
        }
        let regex = match (func.regex_arg(), args.get(1)) {
            (true, Some(Expr::Lit(Value::Str(p)))) => Some(Rc::new(Regex::new(p).map_err(|e| format!("{name}(): invalid regular expression: {e}"))?)),
            _ => None,
        };
        Ok(Expr::Call { func, args, regex })
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Int(i) => format!("number {i}"),
        Tok::Float(f) => format!("number {f}"),
        Tok::Str(s) => format!("string \"{s}\""),
        Tok::Var(n) => format!("${n}"),
        Tok::Ident(s) => format!("\"{s}\""),
        Tok::LParen => "\"(\"".into(),
        Tok::RParen => "\")\"".into(),
        Tok::Comma => "\",\"".into(),
        Tok::Op(o) => format!("\"{o}\""),
    }
}

/// Parses an expression. `Mode::Accumulate` requires at least one aggregation
/// and forbids bare positional variables outside one.
pub fn parse(src: &str, mode: Mode) -> Result<Expr, String> {
    let toks = lex(src)?;
    if toks.is_empty() {
        return Err("empty expression".into());
    }
    let mut p = Parser { toks, pos: 0, mode };
    let e = p.expr(0)?;
    if let Some(t) = p.peek() {
        if let Tok::Ident(w) = t {
            if matches!(w.as_str(), "and" | "or" | "not") {
                return Err(format!("\"{w}\" is not an operator; use \"&&\", \"||\" or \"!\""));
            }
        }
        return Err(format!("unexpected {} after the end of the expression", describe(t)));
    }
    if mode == Mode::Accumulate {
        let mut aggs = 0;
        let mut bare = false;
        walk(&e, &mut |x| match x {
            Expr::Agg(..) => aggs += 1,
            Expr::Var(_) => bare = true,
            _ => {}
        });
        if aggs == 0 { return Err("an accumulate expression needs an aggregation (average, sum, min, max, count, first, last)".into()); }
        if bare { return Err("positional variables in accumulate expressions must be inside an aggregation".into()); }
    }
    Ok(e)
}

/// Parses a literal (an input's `?? default`): number, string, true/false, null or ().
pub fn parse_literal(src: &str) -> Result<Value, String> {
    if src.trim() == "null" {
        return Ok(Value::Empty);
    }
    match parse(src, Mode::Row) {
        Ok(Expr::Lit(v)) => Ok(v),
        _ => Err(format!("default \"{}\" is not a literal (number, string, true, false, null)", src.trim())),
    }
}

pub fn walk(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    match e {
        Expr::Tuple(items) => items.iter().for_each(|i| walk(i, f)),
        Expr::Unary(_, a) => walk(a, f),
        Expr::Binary(_, a, b) => { walk(a, f); walk(b, f); }
        Expr::Call { args, .. } => args.iter().for_each(|i| walk(i, f)),
        _ => {}
    }
}

/// The highest positional variable an expression uses (0 for none).
pub fn max_var(e: &Expr) -> usize {
    let mut m = 0;
    walk(e, &mut |x| match x {
        Expr::Var(n) | Expr::Agg(_, n) => m = m.max(*n),
        _ => {}
    });
    m
}
