//! The field path an error names, e.g. `steps[1].steps[0].duration_seconds`.

use super::super::CompileError;
use std::fmt::Write as _;

/// A lazily rendered field path: building one costs nothing unless an error is reported.
#[derive(Clone, Copy)]
pub(super) enum FieldPath<'a> {
    Root,
    Key(&'a FieldPath<'a>, &'static str),
    /// A key taken from the input (an unknown key): quoted when it is not a plain identifier.
    Field(&'a FieldPath<'a>, &'a str),
    Idx(&'a FieldPath<'a>, usize),
}

impl<'a> FieldPath<'a> {
    pub(super) fn key(&'a self, k: &'static str) -> FieldPath<'a> {
        FieldPath::Key(self, k)
    }
    pub(super) fn idx(&'a self, i: usize) -> FieldPath<'a> {
        FieldPath::Idx(self, i)
    }
    pub(super) fn field(&'a self, k: &'a str) -> FieldPath<'a> {
        FieldPath::Field(self, k)
    }
    fn write(&self, out: &mut String) {
        match self {
            FieldPath::Root => {}
            FieldPath::Key(parent, k) => {
                parent.write(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            FieldPath::Field(parent, k) => {
                parent.write(out);
                let plain = !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if plain {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                } else {
                    // `steps[0]["two words"]`: JSON string syntax, so any key reads back.
                    let _ = write!(
                        out,
                        "[{}]",
                        serde_json::Value::String(k.chars().take(60).collect())
                    );
                }
            }
            FieldPath::Idx(parent, i) => {
                parent.write(out);
                let _ = write!(out, "[{i}]");
            }
        }
    }
    fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        if out.is_empty() {
            out.push_str("(root)");
        }
        out
    }
    pub(super) fn err<T>(&self, message: impl Into<String>) -> Result<T, CompileError> {
        Err(CompileError::new(self.render(), message))
    }
}
