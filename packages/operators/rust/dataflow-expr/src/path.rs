//! Field paths (reference §2.5), metadata fields (§2.6) and rule inputs with
//! `? $last` / `?? default` (§2.1).

use crate::parse::parse_literal;
use crate::value::Value;
use serde_json::{Map, Value as Json};

/// A payload path: segments, and the index of the one `*` segment if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    pub segs: Vec<String>,
    pub wildcard: Option<usize>,
}

impl Path {
    pub fn parse(src: &str) -> Result<Path, String> {
        let chars: Vec<char> = src.chars().collect();
        if chars.is_empty() {
            return Err("empty field path".into());
        }
        let mut segs = Vec::new();
        let mut wildcard = None;
        let mut i = 0;
        loop {
            let mut seg = String::new();
            let quoted = matches!(chars.get(i), Some('"') | Some('\''));
            if quoted {
                let q = chars[i];
                i += 1;
                while i < chars.len() && chars[i] != q {
                    seg.push(chars[i]);
                    i += 1;
                }
                if i >= chars.len() {
                    return Err(format!("unterminated quoted segment in \"{src}\""));
                }
                i += 1;
                if i < chars.len() && chars[i] != '.' {
                    return Err(format!("a quoted segment must end at \".\" in \"{src}\""));
                }
            } else {
                while i < chars.len() && chars[i] != '.' {
                    seg.push(chars[i]);
                    i += 1;
                }
                if seg.is_empty() {
                    return Err(format!("empty segment in field path \"{src}\""));
                }
                if seg == "*" {
                    if wildcard.is_some() {
                        return Err(format!("at most one \"*\" per path (\"{src}\")"));
                    }
                    wildcard = Some(segs.len());
                } else if seg.contains('*') {
                    return Err(format!("\"*\" must be a whole segment (\"{seg}\" in \"{src}\")"));
                }
            }
            segs.push(seg);
            if i >= chars.len() {
                break;
            }
            i += 1; // the dot
            if i >= chars.len() {
                return Err(format!("field path \"{src}\" ends with \".\""));
            }
        }
        Ok(Path { segs, wildcard })
    }

    pub fn key(&self) -> String {
        self.segs.join("\u{1}")
    }

    /// The path with its `*` replaced by the captured segments.
    pub fn substitute(&self, capture: &[String]) -> Vec<String> {
        match self.wildcard {
            None => self.segs.clone(),
            Some(w) => {
                let mut out = self.segs[..w].to_vec();
                out.extend_from_slice(capture);
                out.extend_from_slice(&self.segs[w + 1..]);
                out
            }
        }
    }
}

/// Reads a path; digit segments index arrays.
pub fn get<'a>(root: &'a Json, segs: &[String]) -> Option<&'a Json> {
    let mut v = root;
    for s in segs {
        v = match v {
            Json::Object(m) => m.get(s)?,
            Json::Array(a) => a.get(s.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(v)
}

/// Writes a path, creating (or replacing non-object) parents.
pub fn set(root: &mut Json, segs: &[String], value: Json) {
    let mut v = root;
    for (i, s) in segs.iter().enumerate() {
        if !v.is_object() {
            *v = Json::Object(Map::new());
        }
        let m = v.as_object_mut().unwrap();
        if i + 1 == segs.len() {
            m.insert(s.clone(), value);
            return;
        }
        v = m.entry(s.clone()).or_insert_with(|| Json::Object(Map::new()));
    }
    *v = value;
}

/// Removes a path if present.
pub fn remove(root: &mut Json, segs: &[String]) {
    let Some((last, parents)) = segs.split_last() else { return };
    let mut v = root;
    for s in parents {
        v = match v {
            Json::Object(m) => match m.get_mut(s) { Some(x) => x, None => return },
            _ => return,
        };
    }
    if let Json::Object(m) = v {
        m.remove(last);
    }
}

/// Every capture of a wildcard path in a payload (`*` = one or more segments):
/// with nothing after the `*`, each key below the prefix; otherwise every key
/// path below the prefix under which the rest of the path exists.
pub fn captures(root: &Json, path: &Path) -> Vec<Vec<String>> {
    let w = path.wildcard.expect("wildcard path");
    let Some(base) = get(root, &path.segs[..w]) else { return vec![] };
    let suffix = &path.segs[w + 1..];
    let mut out = Vec::new();
    if suffix.is_empty() {
        if let Json::Object(m) = base {
            out.extend(m.keys().map(|k| vec![k.clone()]));
        }
        return out;
    }
    fn walk(v: &Json, prefix: &mut Vec<String>, suffix: &[String], out: &mut Vec<Vec<String>>, depth: usize) {
        let Json::Object(m) = v else { return };
        if depth > 16 {
            return;
        }
        for (k, child) in m {
            prefix.push(k.clone());
            if get(child, suffix).is_some() {
                out.push(prefix.clone());
            }
            walk(child, prefix, suffix, out, depth + 1);
            prefix.pop();
        }
    }
    walk(base, &mut Vec::new(), suffix, &mut out, 0);
    out
}

/// A metadata field (`$metadata.…`).
#[derive(Clone, Debug, PartialEq)]
pub enum Meta {
    Topic,
    UserProperty(String),
    ContentType,
}

fn unquote(s: &str) -> &str {
    let t = s.trim();
    if t.len() >= 2 && ((t.starts_with('"') && t.ends_with('"')) || (t.starts_with('\'') && t.ends_with('\''))) {
        &t[1..t.len() - 1]
    } else {
        t
    }
}

impl Meta {
    pub fn parse(src: &str) -> Result<Meta, String> {
        let rest = src.strip_prefix("$metadata.").ok_or_else(|| format!("\"{src}\" is not a metadata field"))?;
        if rest == "topic" {
            return Ok(Meta::Topic);
        }
        if rest == "system_property.content_type" {
            return Ok(Meta::ContentType);
        }
        for prefix in ["user_property.", "header."] {
            if let Some(key) = rest.strip_prefix(prefix) {
                let key = unquote(key);
                if key.is_empty() {
                    return Err(format!("\"{src}\" names no key"));
                }
                return Ok(Meta::UserProperty(key.to_string()));
            }
        }
        Err(format!("unsupported metadata field \"{src}\" (topic, user_property.<key>, header.<key>, system_property.content_type)"))
    }
}

#[derive(Clone, Debug)]
pub enum Source {
    Payload(Path),
    Meta(Meta),
    /// `$context(<alias>).<path>`: a field of the dataset record matched for the message.
    Context(String, Vec<String>),
}

/// One entry of a rule's `inputs`.
#[derive(Clone, Debug)]
pub struct Input {
    pub source: Source,
    pub last: bool,
    pub default: Option<Value>,
    pub text: String,
}

/// Finds `needle` outside quotes.
fn find_unquoted(s: &str, needle: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut seg_start = true;
    for (i, c) in s.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && seg_start => quote = Some(c),
            None if s[i..].starts_with(needle) => return Some(i),
            None => {}
        }
        seg_start = c == '.';
    }
    None
}

impl Input {
    pub fn parse(src: &str) -> Result<Input, String> {
        let mut text = src.trim();
        let mut default = None;
        if let Some(at) = find_unquoted(text, "??") {
            default = Some(parse_literal(&text[at + 2..]).map_err(|e| format!("input \"{src}\": {e}"))?);
            text = text[..at].trim_end();
        }
        let mut last = false;
        let lower = text.to_ascii_lowercase();
        if lower.ends_with("$last") {
            let before = text[..text.len() - 5].trim_end();
            if let Some(b) = before.strip_suffix('?') {
                last = true;
                text = b.trim_end();
            }
        }
        let source = if text.starts_with("$context") {
            parse_context(text).map_err(|e| format!("input \"{src}\": {e}"))?
        } else if text.starts_with("$metadata") {
            Source::Meta(Meta::parse(text)?)
        } else if text.starts_with('$') {
            return Err(format!("input \"{src}\": unknown reference (inputs are field paths or $metadata.…)"));
        } else {
            Source::Payload(Path::parse(text).map_err(|e| format!("input \"{src}\": {e}"))?)
        };
        Ok(Input { source, last, default, text: src.to_string() })
    }

    pub fn wildcard(&self) -> bool {
        matches!(&self.source, Source::Payload(p) if p.wildcard.is_some())
    }
}

/// `$context(<alias>)` or `$context(<alias>).<path>`.
fn parse_context(text: &str) -> Result<Source, String> {
    let rest = text.strip_prefix("$context(").ok_or("enrichment inputs are $context(<alias>).<field>")?;
    let close = rest.find(')').ok_or("\")\" missing after the dataset alias")?;
    let alias = rest[..close].trim();
    if alias.is_empty() {
        return Err("empty dataset alias".into());
    }
    let after = &rest[close + 1..];
    let segs = match after.strip_prefix('.') {
        Some(p) => {
            let path = Path::parse(p)?;
            if path.wildcard.is_some() {
                return Err("wildcards are not allowed in $context inputs".into());
            }
            path.segs
        }
        None if after.is_empty() => Vec::new(),
        None => return Err(format!("unexpected \"{after}\" after $context({alias})")),
    };
    Ok(Source::Context(alias.to_string(), segs))
}
