//! The preview options JSON, read by hand.
//!
//! The options are one flat object the page writes (`JSON.stringify` of a few numbers and
//! strings), read on every keystroke. serde's derived reader over serde_json's parser was the
//! keystroke module's only use of that parser once structure JSON moved to the files module:
//! with its error formatting (which prints floats through `core::fmt`) ~35 KB of wasm against
//! the 300 KB budget (issue 11). This reader takes exactly JSON's syntax for such an object and
//! keeps the derived reader's rules: camelCase keys, an unknown or repeated key is an error
//! naming it, `null` means "not given".

use super::{PreviewError, PreviewOptions};
use crate::chart::Theme;

/// The keys [`read`] knows, for the unknown-key message.
const KEYS: &str = "sport, ftpW, lthrBpm, maxHrBpm, thresholdSpeedMps, units, theme, width, height";

/// Reads `{"key": value, ...}` into [`PreviewOptions`] (the caller handles empty text).
pub(super) fn read(json: &str) -> Result<PreviewOptions, PreviewError> {
    let mut r = Reader {
        s: json.as_bytes(),
        text: json,
        at: 0,
    };
    let mut out = PreviewOptions::default();
    let mut seen = 0u16;
    r.expect(b'{')?;
    if !r.eat(b'}') {
        loop {
            let key = r.string()?;
            r.expect(b':')?;
            let value = r.value()?;
            let (bit, result) = match key.as_str() {
                "sport" => (0, value.string(&key).map(|v| out.sport = v)),
                "ftpW" => (1, value.number(&key).map(|v| out.ftp_w = v)),
                "lthrBpm" => (2, value.number(&key).map(|v| out.lthr_bpm = v)),
                "maxHrBpm" => (3, value.number(&key).map(|v| out.max_hr_bpm = v)),
                "thresholdSpeedMps" => (4, value.number(&key).map(|v| out.threshold_speed_mps = v)),
                "theme" => (5, theme(&key, &value).map(|v| out.theme = v)),
                "width" => (6, value.size(&key).map(|v| out.width = v)),
                "height" => (7, value.size(&key).map(|v| out.height = v)),
                "units" => (8, imperial(&key, &value).map(|v| out.imperial = v)),
                _ => {
                    return Err(error(format!(
                        "unknown field `{key}`; expected one of {KEYS}"
                    )));
                }
            };
            result?;
            if seen & (1 << bit) != 0 {
                return Err(error(format!("duplicate field `{key}`")));
            }
            seen |= 1 << bit;
            if r.eat(b'}') {
                break;
            }
            r.expect(b',')?;
        }
    }
    r.skip_space();
    if r.at < r.s.len() {
        return Err(r.syntax("trailing characters"));
    }
    Ok(out)
}

/// One option's value (objects and arrays are never an option's value).
enum Value {
    Null,
    Bool,
    Number(f64),
    Str(String),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool => "a boolean",
            Value::Number(_) => "a number",
            Value::Str(_) => "a string",
        }
    }

    fn string(self, key: &str) -> Result<Option<String>, PreviewError> {
        match self {
            Value::Null => Ok(None),
            Value::Str(s) => Ok(Some(s)),
            other => Err(wrong(key, "a string", &other)),
        }
    }

    fn number(self, key: &str) -> Result<Option<f64>, PreviewError> {
        match self {
            Value::Null => Ok(None),
            Value::Number(x) => Ok(Some(x)),
            other => Err(wrong(key, "a number", &other)),
        }
    }

    /// A chart size: a whole number of pixels that fits a `u32` (the chart checks its range).
    fn size(self, key: &str) -> Result<Option<u32>, PreviewError> {
        match self.number(key)? {
            None => Ok(None),
            Some(x) if x >= 0.0 && x <= f64::from(u32::MAX) && x == x.trunc() => Ok(Some(x as u32)),
            Some(_) => Err(error(format!("{key}: expected a whole number of pixels"))),
        }
    }
}

fn theme(key: &str, value: &Value) -> Result<Theme, PreviewError> {
    match value {
        Value::Null => Ok(Theme::default()),
        Value::Str(s) if s == "light" => Ok(Theme::Light),
        Value::Str(s) if s == "dark" => Ok(Theme::Dark),
        Value::Str(s) => Err(error(format!(
            "{key}: unknown theme `{s}`; use light or dark"
        ))),
        other => Err(wrong(key, "\"light\" or \"dark\"", other)),
    }
}

/// `"metric"` (or `null`) and `"imperial"`, as TrainingPeaks' settings name them.
fn imperial(key: &str, value: &Value) -> Result<bool, PreviewError> {
    match value {
        Value::Null => Ok(false),
        Value::Str(s) if s == "metric" => Ok(false),
        Value::Str(s) if s == "imperial" => Ok(true),
        Value::Str(s) => Err(error(format!(
            "{key}: unknown units `{s}`; use metric or imperial"
        ))),
        other => Err(wrong(key, "\"metric\" or \"imperial\"", other)),
    }
}

#[cold]
fn wrong(key: &str, expected: &str, got: &Value) -> PreviewError {
    error(format!("{key}: expected {expected}, got {}", got.kind()))
}

/// An options error, as [`super::preview_options`] reports them.
#[cold]
fn error(message: String) -> PreviewError {
    PreviewError {
        line: None,
        column: None,
        path: Some("options".into()),
        message: format!("options: {message}"),
    }
}

struct Reader<'a> {
    s: &'a [u8],
    text: &'a str,
    at: usize,
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.at) {
            self.at += 1;
        }
    }

    /// Skips blanks, then takes `b` if it is next.
    fn eat(&mut self, b: u8) -> bool {
        self.skip_space();
        let hit = self.s.get(self.at) == Some(&b);
        if hit {
            self.at += 1;
        }
        hit
    }

    fn expect(&mut self, b: u8) -> Result<(), PreviewError> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(self.syntax(&format!("expected `{}`", char::from(b))))
        }
    }

    #[cold]
    fn syntax(&self, what: &str) -> PreviewError {
        error(format!(
            "not a JSON object of options: {what} at character {}",
            self.at + 1
        ))
    }

    fn value(&mut self) -> Result<Value, PreviewError> {
        self.skip_space();
        let rest = &self.s[self.at..];
        for (word, v) in [
            ("null", Value::Null),
            ("true", Value::Bool),
            ("false", Value::Bool),
        ] {
            if rest.starts_with(word.as_bytes()) {
                self.at += word.len();
                return Ok(v);
            }
        }
        match rest.first() {
            Some(b'"') => self.string().map(Value::Str),
            Some(b'-' | b'0'..=b'9') => {
                let len = rest
                    .iter()
                    .position(|b| !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
                    .unwrap_or(rest.len());
                let token = &self.text[self.at..self.at + len];
                match crate::decimal::parse(token).filter(|x| x.is_finite()) {
                    Some(x) => {
                        self.at += len;
                        Ok(Value::Number(x))
                    }
                    None => Err(self.syntax(&format!("bad number `{token}`"))),
                }
            }
            _ => Err(self.syntax("expected a string, a number, true, false or null")),
        }
    }

    /// A JSON string (the reader is at its opening quote, perhaps after blanks).
    fn string(&mut self) -> Result<String, PreviewError> {
        self.expect(b'"')?;
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(&b) = self.s.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // Cut at ASCII bytes only, so the slice is on character boundaries.
            out.push_str(&self.text[start..self.at]);
            match self.s.get(self.at) {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(_) => return Err(self.syntax("control character in a string")),
                None => return Err(self.syntax("unterminated string")),
            }
        }
    }

    /// The character of an escape (the reader is past its backslash).
    fn escape(&mut self) -> Result<char, PreviewError> {
        let b = self.s.get(self.at).copied();
        self.at += 1;
        Ok(match b {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let hi = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    // A surrogate pair: the low half must follow as its own escape.
                    if self.s.get(self.at..self.at + 2) != Some(b"\\u") {
                        return Err(self.syntax("lone surrogate in a string"));
                    }
                    self.at += 2;
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(self.syntax("lone surrogate in a string"));
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else {
                    hi
                };
                return char::from_u32(code)
                    .ok_or_else(|| self.syntax("lone surrogate in a string"));
            }
            _ => return Err(self.syntax("bad escape in a string")),
        })
    }

    fn hex4(&mut self) -> Result<u32, PreviewError> {
        let mut v = 0;
        for _ in 0..4 {
            let d = self
                .s
                .get(self.at)
                .and_then(|b| char::from(*b).to_digit(16))
                .ok_or_else(|| self.syntax("bad \\u escape in a string"))?;
            v = v * 16 + d;
            self.at += 1;
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_the_page_writes() {
        let o = read(
            r#" { "sport": "run", "ftpW": 250, "lthrBpm": 171.5, "maxHrBpm": null,
                "thresholdSpeedMps": 3.3333333333333335, "theme": "dark", "width": 640,
                "height": 2.6e2, "units": "imperial" } "#,
        )
        .unwrap();
        assert_eq!(o.sport.as_deref(), Some("run"));
        assert_eq!(o.ftp_w, Some(250.0));
        assert_eq!(o.lthr_bpm, Some(171.5));
        assert_eq!(o.max_hr_bpm, None);
        assert_eq!(o.threshold_speed_mps, Some(1000.0 / 300.0));
        assert_eq!(o.theme, Theme::Dark);
        assert_eq!((o.width, o.height), (Some(640), Some(260)));
        assert!(o.imperial);
        assert!(!read(r#"{"units":"metric"}"#).unwrap().imperial);
        let empty = read("{}").unwrap();
        assert_eq!((empty.sport, empty.theme), (None, Theme::Light));
        let escaped = read(r#"{"sport":"r\u0075n\"\\\/\n\ud83d\udeb4"}"#).unwrap();
        assert_eq!(escaped.sport.as_deref(), Some("run\"\\/\n🚴"));
    }

    #[test]
    fn every_mistake_names_the_field_or_the_place() {
        for (json, says) in [
            (r#"{"ftpW":250,"ftp":1}"#, "unknown field `ftp`"),
            (r#"{"ftpW":250,"ftpW":260}"#, "duplicate field `ftpW`"),
            (r#"{"ftpW":"250"}"#, "ftpW: expected a number, got a string"),
            (r#"{"sport":1}"#, "sport: expected a string, got a number"),
            (r#"{"theme":"blue"}"#, "theme: unknown theme `blue`"),
            (r#"{"theme":true}"#, "theme: expected"),
            (
                r#"{"units":"miles"}"#,
                "units: unknown units `miles`; use metric or imperial",
            ),
            (
                r#"{"units":1}"#,
                "units: expected \"metric\" or \"imperial\", got a number",
            ),
            (
                r#"{"units":null,"units":"metric"}"#,
                "duplicate field `units`",
            ),
            (r#"{"width":-1}"#, "width: expected a whole number"),
            (r#"{"height":10.5}"#, "height: expected a whole number"),
            (r#"{"ftpW":[250]}"#, "at character 9"),
            (r#"{"ftpW":1e999}"#, "bad number `1e999`"),
            (r#"{"ftpW":25x}"#, "expected `,`"),
            (r#"{"ftpW":250"#, "expected `,`"),
            (r#"{"ftpW":250} x"#, "trailing characters"),
            (r#"{"sport":"run"#, "unterminated string"),
            (r#"{"sport":"\q"}"#, "bad escape"),
            (r#"{"sport":"\ud83d"}"#, "lone surrogate"),
            (r#"[]"#, "expected `{`"),
            (r#"{ftpW:250}"#, "expected `\"`"),
        ] {
            let e = read(json).map(|_| ()).unwrap_err();
            assert!(e.message.contains(says), "{json}: {}", e.message);
            assert_eq!(e.path.as_deref(), Some("options"), "{json}");
        }
    }
}
