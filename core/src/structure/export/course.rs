//! `.erg` and `.mrc` course files: `[COURSE HEADER]`, `[COURSE DATA]` as `minutes value`
//! points, and the step names in `[COURSE TEXT]`. Writing and reading (rules in the parent
//! module's docs).

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::{
    ExportError, ExportOptions, ImportFormat, Imported, num, require_time_and_ftp, segments,
};
use crate::structure::Structure;
use crate::structure::icu_text::TextError;

/// What the data column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Units {
    /// Watts (`.erg`; needs the FTP).
    Watts,
    /// % FTP (`.mrc`).
    Percent,
}

/// Writes the course file.
pub(super) fn write(
    s: &Structure,
    opts: &ExportOptions,
    units: Units,
) -> Result<String, ExportError> {
    let format = match units {
        Units::Watts => "an .erg file",
        Units::Percent => "an .mrc file",
    };
    require_time_and_ftp(s, format)?;
    let ftp = match units {
        Units::Watts => Some(opts.ftp_w.filter(|f| f.is_finite() && *f > 0.0).ok_or_else(|| {
            ExportError::new(
                "ftpW",
                "an .erg file is in watts, so it needs the athlete's FTP; set the FTP (or export an .mrc, which is in % FTP)",
            )
        })?),
        Units::Percent => None,
    };
    let value = |pct: f64| match ftp {
        Some(f) => num((pct * f / 100.0).round(), 0),
        None => num(pct, 1),
    };
    let mut out = String::from("[COURSE HEADER]\nVERSION = 2\nUNITS = ENGLISH\n");
    let _ = writeln!(
        out,
        "DESCRIPTION = {}",
        one_line(opts.description.as_deref().unwrap_or(opts.name()))
    );
    let _ = writeln!(out, "FILE NAME = {}", one_line(opts.name()));
    if let Some(f) = ftp {
        let _ = writeln!(out, "FTP = {}", num(f, 0));
    }
    out.push_str(match units {
        Units::Watts => "MINUTES WATTS\n",
        Units::Percent => "MINUTES PERCENT\n",
    });
    out.push_str("[END COURSE HEADER]\n[COURSE DATA]\n");
    let mut t = 0.0;
    let mut texts = String::new();
    for seg in segments(s) {
        // A step with no target (free ride) is written at 0: course files have no "open".
        let (a, z) = (seg.start.unwrap_or(0.0), seg.end.unwrap_or(0.0));
        let _ = writeln!(out, "{:.2}\t{}", t / 60.0, value(a));
        if let Some(name) = seg.name.as_deref().filter(|n| !n.trim().is_empty()) {
            let _ = writeln!(
                texts,
                "{}\t{}\t{}",
                num(t, 0),
                one_line(name),
                num(seg.seconds.min(10.0), 0)
            );
        }
        t += seg.seconds;
        let _ = writeln!(out, "{:.2}\t{}", t / 60.0, value(z));
    }
    out.push_str("[END COURSE DATA]\n");
    if !texts.is_empty() {
        out.push_str("[COURSE TEXT]\n");
        out.push_str(&texts);
        out.push_str("[END COURSE TEXT]\n");
    }
    Ok(out)
}

/// Tabs and line breaks would break the file's columns and lines.
fn one_line(s: &str) -> String {
    s.split(['\t', '\r', '\n'])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `.mrc` when the units line says `PERCENT`, else `.erg`.
pub(super) fn detect_units(text: &str) -> ImportFormat {
    let percent = text
        .lines()
        .take_while(|l| !l.trim().eq_ignore_ascii_case("[END COURSE HEADER]"))
        .any(|l| {
            let u = l.to_ascii_uppercase();
            u.starts_with("MINUTES") && u.contains("PERCENT")
        });
    if percent {
        ImportFormat::Mrc
    } else {
        ImportFormat::Erg
    }
}

fn err(line: usize, message: impl Into<String>) -> TextError {
    TextError {
        line,
        col: 1,
        message: message.into(),
    }
}

/// Reads a course file into the friendly structure JSON: each pair of points one step (flat)
/// or ramp (sloped), a jump at one instant a boundary, names from `[COURSE TEXT]`.
pub(super) fn read(
    text: &str,
    format: ImportFormat,
    ftp_w: Option<f64>,
) -> Result<Imported, TextError> {
    #[derive(PartialEq)]
    enum Part {
        Header,
        Between,
        Data,
        Text,
    }
    let mut part = Part::Between;
    let mut header_ftp = None;
    let mut description = None;
    let mut name = None;
    let mut points: Vec<(usize, f64, f64)> = Vec::new();
    let mut texts: Vec<(f64, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim().trim_start_matches('\u{feff}');
        if l.is_empty() || l.starts_with(';') {
            continue;
        }
        let upper = l.to_ascii_uppercase();
        match upper.as_str() {
            "[COURSE HEADER]" => part = Part::Header,
            "[COURSE DATA]" => part = Part::Data,
            "[COURSE TEXT]" => part = Part::Text,
            "[END COURSE HEADER]" | "[END COURSE DATA]" | "[END COURSE TEXT]" => {
                part = Part::Between;
            }
            _ => match part {
                Part::Header => {
                    if let Some((k, v)) = l.split_once('=') {
                        let (k, v) = (k.trim().to_ascii_uppercase(), v.trim());
                        match k.as_str() {
                            "FTP" => {
                                header_ftp =
                                    Some(v.parse::<f64>().ok().filter(|f| *f > 0.0).ok_or_else(
                                        || err(line, format!("FTP = {v}: not a positive number")),
                                    )?);
                            }
                            "DESCRIPTION" if !v.is_empty() => description = Some(v.to_string()),
                            "FILE NAME" if !v.is_empty() => name = Some(v.to_string()),
                            _ => {}
                        }
                    } else if upper.starts_with("MINUTES") {
                        let ok = match format {
                            ImportFormat::Mrc => upper.contains("PERCENT"),
                            _ => upper.contains("WATTS"),
                        };
                        if !ok {
                            return Err(err(
                                line,
                                format!(
                                    "`{l}`: expected MINUTES WATTS (.erg) or MINUTES PERCENT (.mrc)"
                                ),
                            ));
                        }
                    }
                }
                Part::Data => {
                    let mut cols = l.split_whitespace();
                    let mut next = |what: &str| -> Result<f64, TextError> {
                        let c = cols.next().ok_or_else(|| {
                            err(line, format!("`{l}`: expected minutes and a value"))
                        })?;
                        c.parse::<f64>()
                            .ok()
                            .filter(|x| x.is_finite() && *x >= 0.0)
                            .ok_or_else(|| {
                                err(line, format!("`{c}`: the {what} must be a number ≥ 0"))
                            })
                    };
                    let (m, v) = (next("minutes")?, next("value")?);
                    if let Some(&(pl, pm, _)) = points.last()
                        && m < pm
                    {
                        return Err(err(
                            line,
                            format!("time goes backwards: {m} minutes after {pm} (line {pl})"),
                        ));
                    }
                    points.push((line, m, v));
                }
                Part::Text => {
                    let mut cols = l.split('\t');
                    let at = cols.next().and_then(|c| c.trim().parse::<f64>().ok());
                    let msg = cols.next().map(str::trim).filter(|m| !m.is_empty());
                    if let (Some(at), Some(msg)) = (at, msg) {
                        texts.push((at, msg.to_string()));
                    }
                }
                Part::Between => {
                    return Err(err(
                        line,
                        format!("`{l}` is outside any [COURSE …] section"),
                    ));
                }
            },
        }
    }
    let to_pct = match format {
        ImportFormat::Mrc => None,
        _ => Some(header_ftp.or(ftp_w).ok_or_else(|| {
            err(
                1,
                "this .erg file is in watts and has no `FTP =` line: set the FTP to read it as % FTP",
            )
        })?),
    };
    let pct = |v: f64| {
        let p = match to_pct {
            Some(f) => v / f * 100.0,
            None => v,
        };
        (p * 100.0).round() / 100.0
    };
    let mut steps = Vec::new();
    for w in points.windows(2) {
        let (&(_, m0, v0), &(_, m1, v1)) = (&w[0], &w[1]);
        let (s0, s1) = ((m0 * 60.0).round(), (m1 * 60.0).round());
        if s1 <= s0 {
            continue; // a jump at one instant, or less than half a second
        }
        let mut obj = Map::new();
        let (a, z) = (pct(v0), pct(v1));
        if a == z {
            obj.insert("intensity_min".into(), num_value(a));
            obj.insert("intensity_max".into(), num_value(a));
        } else {
            obj.insert("type".into(), "ramp".into());
            obj.insert("intensity_start".into(), num_value(a));
            obj.insert("intensity_end".into(), num_value(z));
        }
        obj.insert("duration_seconds".into(), num_value(s1 - s0));
        obj.insert("intensityClass".into(), "active".into());
        if let Some((_, msg)) = texts.iter().find(|(at, _)| at.round() == s0) {
            obj.insert("name".into(), msg.as_str().into());
        }
        steps.push(Value::Object(obj));
    }
    if steps.is_empty() {
        let line = points.first().map_or(1, |p| p.0);
        return Err(err(
            line,
            "[COURSE DATA] needs at least two points, a length apart",
        ));
    }
    Ok(Imported {
        format,
        structure: json!({"primaryIntensityMetric": "percentOfFtp", "steps": steps}),
        name,
        description,
    })
}

fn num_value(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}
