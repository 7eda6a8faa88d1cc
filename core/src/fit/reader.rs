//! The FIT protocol, as far as [`super::decode`] needs it: file framing (header, header CRC,
//! file CRC, several files back to back), definition messages (local type, byte order, global
//! message number, field sizes and base types, developer fields), data messages (normal and
//! compressed-timestamp headers) and the base types' invalid values.
//!
//! It knows nothing of the profile beyond field 253 (the timestamp every message may carry,
//! which compressed timestamps count from): the caller names the global messages it wants and
//! gets their fields as read. Fields of other messages, developer fields and unknown fields are
//! skipped by their size, so a file from a newer profile or with developer data reads the same.
//! Every slice access is checked: a damaged file is an error, never a panic.

use super::{FitError, crc16};

/// The field number of a message's timestamp (`date_time`, seconds since the FIT epoch).
pub(super) const TIMESTAMP: u8 = 253;

/// One field's value as read. Invalid values (the base type's "no value": `0xFF`, `0x7FFF`,
/// `0xFFFFFFFF`, 0 for the `z` types, a non-finite float) never get here: the field is absent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Value<'a> {
    /// An integer of any width and sign (a `uint64` above `i64::MAX` is a `Float`).
    Int(i64),
    /// A `float32`/`float64`, or a huge `uint64`.
    Float(f64),
    /// A string field's bytes up to its first NUL (not yet checked as UTF-8).
    Text(&'a [u8]),
    /// A field whose size is not one value of its base type (an array, or a size that does not
    /// divide): the bytes as they are, for the few fields read bit by bit.
    Bytes(&'a [u8]),
}

/// One data message of a kind the caller asked for.
#[derive(Debug)]
pub(super) struct Message<'m, 'a> {
    /// The global message number (20 = record, 19 = lap, ...).
    pub(super) global: u16,
    /// Which of several chained files (0 for the first) the message is in.
    pub(super) file: usize,
    /// The message's time in FIT seconds: its own field 253, else the one its compressed
    /// header gives.
    pub(super) timestamp: Option<i64>,
    fields: &'m [(u8, Value<'a>)],
}

impl<'a> Message<'_, 'a> {
    /// The value of field `number`, if the message has a valid one. A definition that lists a
    /// field twice gives the later one.
    pub(super) fn get(&self, number: u8) -> Option<Value<'a>> {
        self.fields
            .iter()
            .rev()
            .find(|(n, _)| *n == number)
            .map(|(_, v)| *v)
    }
}

/// A field in a definition message.
#[derive(Debug, Clone, Copy)]
struct FieldDef {
    number: u8,
    size: u8,
    base: u8,
}

/// A definition message: the layout of the data messages of one local type.
#[derive(Debug, Clone)]
struct Definition {
    big_endian: bool,
    global: u16,
    fields: Vec<FieldDef>,
    /// Bytes of a data message after its header (fields plus developer fields).
    size: usize,
}

/// Reads every FIT file in `fit` (one, or several back to back) and calls `on` with each data
/// message whose global number is in `wanted`, in file order.
///
/// # Errors
/// [`FitError::Truncated`], [`FitError::NotFit`], [`FitError::BadCrc`] (header or data, the
/// data CRC checked before any message is read) and [`FitError::Corrupt`] for messages that do
/// not parse (a data message before its definition, a message running past the data).
pub(super) fn read<'a>(
    fit: &'a [u8],
    wanted: &[u16],
    mut on: impl FnMut(&Message<'_, 'a>),
) -> Result<(), FitError> {
    let mut at = 0;
    let mut file = 0;
    let mut fields = Vec::new();
    while at < fit.len() {
        let (data, next) = frame(fit, at)?;
        messages(data, file, wanted, &mut fields, &mut on)?;
        at = next;
        file += 1;
    }
    Ok(())
}

/// Checks the file header at `at` (signature, size, announced length, header CRC) and the file
/// CRC, and returns the data section and where the next chained file would start.
fn frame(fit: &[u8], at: usize) -> Result<(&[u8], usize), FitError> {
    let rest = fit.get(at..).unwrap_or_default();
    let header_len = rest.first().copied().unwrap_or(0);
    let looks_like_fit =
        rest.get(8..12) == Some(b".FIT".as_slice()) && matches!(header_len, 12 | 14);
    if at > 0 && !looks_like_fit {
        // After a complete file only another file may follow.
        return Err(FitError::Corrupt(format!(
            "{} bytes after the end of the FIT data are not another FIT file",
            rest.len()
        )));
    }
    if rest.len() < 12 {
        return Err(FitError::Truncated {
            expected: 12,
            actual: rest.len() as u64,
        });
    }
    if !looks_like_fit {
        return Err(FitError::NotFit(
            "no `.FIT` signature in the file header".into(),
        ));
    }
    let data_len = u32::from_le_bytes(array(rest, 4));
    let header_len = usize::from(header_len);
    let data_end = header_len as u64 + u64::from(data_len);
    let expected = data_end + 2;
    if (rest.len() as u64) < expected {
        return Err(FitError::Truncated {
            expected: at as u64 + expected,
            actual: fit.len() as u64,
        });
    }
    if header_len == 14 {
        let stored = u16::from_le_bytes(array(rest, 12));
        let computed = crc16(0, rest.get(..12).unwrap_or_default());
        // 0 means "no header CRC" in the FIT protocol.
        if stored != 0 && stored != computed {
            return Err(FitError::BadCrc {
                part: "header",
                stored,
                computed,
            });
        }
    }
    // `expected` fits in `rest`, so these are in range.
    let data_end = data_end as usize;
    let stored = u16::from_le_bytes(array(rest, data_end));
    // The file CRC covers the header too (a correct header CRC leaves the running CRC at 0,
    // so this is the same whether the header has one or not).
    let computed = crc16(0, rest.get(..data_end).unwrap_or_default());
    if stored != computed {
        return Err(FitError::BadCrc {
            part: "data",
            stored,
            computed,
        });
    }
    let data = rest.get(header_len..data_end).unwrap_or_default();
    Ok((data, at + data_end + 2))
}

/// `N` bytes of `bytes` from `at`, zeros where there are none (callers check lengths first).
fn array<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    bytes
        .get(at..at + N)
        .and_then(|b| <[u8; N]>::try_from(b).ok())
        .unwrap_or([0; N])
}

fn past_end() -> FitError {
    FitError::Corrupt("a message runs past the end of the data (truncated or damaged)".into())
}

/// Walks one file's data section.
fn messages<'a>(
    data: &'a [u8],
    file: usize,
    wanted: &[u16],
    fields: &mut Vec<(u8, Value<'a>)>,
    on: &mut impl FnMut(&Message<'_, 'a>),
) -> Result<(), FitError> {
    // Definitions and the timestamp base belong to one file: a chained file starts afresh.
    let mut definitions: [Option<Definition>; 16] = Default::default();
    let mut last_time: i64 = 0;
    let mut at = 0;
    while let Some(&header) = data.get(at) {
        at += 1;
        let (local, time_offset) = if header & 0x80 != 0 {
            // Compressed timestamp header: local type in bits 5-6, seconds in bits 0-4.
            ((header >> 5) & 0x03, Some(header & 0x1F))
        } else if header & 0x40 != 0 {
            let (definition, len) = definition(data.get(at..).unwrap_or_default(), header)?;
            at += len;
            if let Some(slot) = definitions.get_mut(usize::from(header & 0x0F)) {
                *slot = Some(definition);
            }
            continue;
        } else {
            (header & 0x0F, None)
        };
        let Some(Some(def)) = definitions.get(usize::from(local)) else {
            return Err(FitError::Corrupt(format!(
                "a data message of local type {local} comes before any definition of it"
            )));
        };
        let body = data.get(at..at + def.size).ok_or_else(past_end)?;
        at += def.size;
        let want = wanted.contains(&def.global);
        fields.clear();
        let mut own_time = None;
        let mut from = 0;
        for f in &def.fields {
            let to = from + usize::from(f.size);
            let bytes = body.get(from..to).unwrap_or_default();
            from = to;
            if !want && f.number != TIMESTAMP {
                continue;
            }
            let Some(v) = value(bytes, f.base, def.big_endian) else {
                continue;
            };
            if f.number == TIMESTAMP {
                own_time = Some(v);
            }
            if want {
                fields.push((f.number, v));
            }
        }
        // Developer fields (after the regular ones) are skipped: `def.size` covers them.
        let mut timestamp = None;
        if let Some(v) = own_time {
            // Any message's full timestamp is the base the next compressed ones count from.
            last_time = match v {
                Value::Int(t) => t,
                _ => 0,
            };
            timestamp = matches!(v, Value::Int(_)).then_some(last_time);
        }
        if let Some(offset) = time_offset {
            last_time = roll(last_time, offset);
            timestamp = timestamp.or(Some(last_time));
        }
        if want {
            on(&Message {
                global: def.global,
                file,
                timestamp,
                fields,
            });
        }
    }
    Ok(())
}

/// The full time a compressed header's 5-bit offset stands for: the last full time with its
/// low five bits replaced, plus 32 s when the offset is lower than those bits (they rolled over).
fn roll(last: i64, offset: u8) -> i64 {
    let offset = i64::from(offset & 0x1F);
    let time = (last & !0x1F).saturating_add(offset);
    if offset < last & 0x1F {
        time.saturating_add(32)
    } else {
        time
    }
}

/// Parses a definition message's content (after its header byte); returns it and its length.
fn definition(bytes: &[u8], header: u8) -> Result<(Definition, usize), FitError> {
    let fixed = bytes.get(..5).ok_or_else(past_end)?;
    // Byte 0 is reserved; byte 1 the architecture (1 = big-endian).
    let big_endian = fixed.get(1) == Some(&1);
    let number = array(fixed, 2);
    let global = if big_endian {
        u16::from_be_bytes(number)
    } else {
        u16::from_le_bytes(number)
    };
    let count = usize::from(fixed.get(4).copied().unwrap_or(0));
    let mut len = 5 + 3 * count;
    let fields: Vec<FieldDef> = bytes
        .get(5..len)
        .ok_or_else(past_end)?
        .chunks_exact(3)
        .map(|c| FieldDef {
            number: c[0],
            size: c[1],
            base: c[2],
        })
        .collect();
    let mut size: usize = fields.iter().map(|f| usize::from(f.size)).sum();
    if header & 0x20 != 0 {
        // Developer fields: (field number, size, developer data index); only sizes matter.
        let count = usize::from(*bytes.get(len).ok_or_else(past_end)?);
        let defs = bytes
            .get(len + 1..len + 1 + 3 * count)
            .ok_or_else(past_end)?;
        size += defs
            .chunks_exact(3)
            .map(|c| usize::from(c[1]))
            .sum::<usize>();
        len += 1 + 3 * count;
    }
    Ok((
        Definition {
            big_endian,
            global,
            fields,
            size,
        },
        len,
    ))
}

/// Reads one field's bytes as its base type (`base & 0x1F` is the type number; the high bit
/// only says the type has a byte order). `None` for the type's invalid value.
fn value(bytes: &[u8], base: u8, big_endian: bool) -> Option<Value<'_>> {
    let kind = base & 0x1F;
    if kind == 7 {
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        return Some(Value::Text(bytes.get(..end).unwrap_or_default()));
    }
    let width = match kind {
        3 | 4 | 11 => 2,
        5 | 6 | 8 | 12 => 4,
        9 | 14..=16 => 8,
        _ => 1,
    };
    if bytes.len() != width {
        // A size that does not divide by the type's reads as bytes; one byte is a value.
        if !bytes.len().is_multiple_of(width)
            && let [b] = bytes
        {
            return (*b != 0xFF).then_some(Value::Int(i64::from(*b)));
        }
        // An array (or an empty field): kept as bytes unless every byte is "no value".
        return bytes
            .iter()
            .any(|&b| b != 0xFF)
            .then_some(Value::Bytes(bytes));
    }
    let u = if big_endian {
        bytes.iter().fold(0u64, |a, &b| a << 8 | u64::from(b))
    } else {
        bytes.iter().rev().fold(0u64, |a, &b| a << 8 | u64::from(b))
    };
    // The `as` casts below reinterpret the bits read at the type's own width.
    let int = |valid: bool, v: i64| valid.then_some(Value::Int(v));
    match kind {
        1 => int(u != 0x7F, i64::from(u as u8 as i8)),
        3 => int(u != 0x7FFF, i64::from(u as u16 as i16)),
        4 => int(u != 0xFFFF, u as i64),
        5 => int(u != 0x7FFF_FFFF, i64::from(u as u32 as i32)),
        6 => int(u != 0xFFFF_FFFF, u as i64),
        8 => {
            let f = f64::from(f32::from_bits(u as u32));
            f.is_finite().then_some(Value::Float(f))
        }
        9 => {
            let f = f64::from_bits(u);
            f.is_finite().then_some(Value::Float(f))
        }
        10..=12 => int(u != 0, u as i64),
        14 => int(u != 0x7FFF_FFFF_FFFF_FFFF, u as i64),
        15 | 16 => {
            let invalid = if kind == 15 { u64::MAX } else { 0 };
            (u != invalid).then(|| i64::try_from(u).map_or(Value::Float(u as f64), Value::Int))
        }
        // enum, uint8, byte and unknown one-byte types.
        _ => int(u != 0xFF, u as i64),
    }
}

#[cfg(test)]
mod tests {
    use super::{Value, roll, value};

    #[test]
    fn compressed_offsets_roll_over_every_32_seconds() {
        assert_eq!(roll(1000, 11), 1003); // 1000 = 31 * 32 + 8
        assert_eq!(roll(1000, 8), 1000);
        // An offset of 2 is below 8, so the 5-bit counter wrapped.
        assert_eq!(roll(1000, 2), 1000 - 8 + 32 + 2);
        assert_eq!(roll(i64::MAX, 0), i64::MAX); // saturates, no overflow panic
    }

    #[test]
    fn base_types_read_in_both_byte_orders_with_their_invalid_values() {
        assert_eq!(value(&[0x34, 0x12], 0x84, false), Some(Value::Int(0x1234)));
        assert_eq!(value(&[0x12, 0x34], 0x84, true), Some(Value::Int(0x1234)));
        assert_eq!(value(&[0xFF, 0xFF], 0x84, false), None);
        assert_eq!(value(&[0xFE, 0xFF], 0x83, false), Some(Value::Int(-2)));
        assert_eq!(value(&[0xFF, 0x7F], 0x83, false), None);
        assert_eq!(
            value(&[0, 0, 0, 0x80], 0x85, false),
            Some(Value::Int(-(1 << 31)))
        );
        assert_eq!(value(&[0xFF, 0xFF, 0xFF, 0x7F], 0x85, false), None);
        assert_eq!(value(&[0; 4], 0x8C, false), None); // uint32z
        assert_eq!(value(&[0xFF; 4], 0x88, false), None); // float32 NaN
        assert_eq!(
            value(&[0, 0, 0x80, 0x3F], 0x88, false),
            Some(Value::Float(1.0))
        );
        assert_eq!(value(&[0xFF], 0x00, false), None);
        assert_eq!(value(&[0x7F], 0x01, false), None);
        assert_eq!(
            value(&[0xFF; 8], 0x8F, false),
            None,
            "uint64's invalid value"
        );
        assert_eq!(
            value(
                &[0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
                0x8F,
                false
            ),
            Some(Value::Float(u64::MAX as f64 - 1.0))
        );
        assert_eq!(value(b"Edge\0xx", 0x07, false), Some(Value::Text(b"Edge")));
    }

    #[test]
    fn odd_sizes_are_bytes_or_one_value() {
        // A uint16 field one byte long: that byte.
        assert_eq!(value(&[0x42], 0x84, false), Some(Value::Int(0x42)));
        assert_eq!(value(&[0xFF], 0x84, false), None);
        // Two uint16s: an array, not a number.
        assert_eq!(
            value(&[1, 0, 2, 0], 0x84, false),
            Some(Value::Bytes(&[1, 0, 2, 0]))
        );
        assert_eq!(value(&[0xFF; 3], 0x0D, false), None);
        assert_eq!(value(&[], 0x84, false), None);
    }
}
