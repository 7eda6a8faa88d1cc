//! The byte form an [`ActivityCache`](super::source::ActivityCache) stores [`ActivityData`] in.
//!
//! Layout: the magic `PLC`, a [`FORMAT_VERSION`] byte, then a gzip stream of
//! - the record without its streams (laps, summary, notes, key, and the mean-max curves derived
//!   from the streams, [`ActivityData::curves`]) as JSON, prefixed by its length (u32 little
//!   endian), because those are small and change shape over time;
//! - the sample rate (f64 LE) and, for each of the six channels in a fixed order, the sample
//!   count (u32 LE), a width byte (4 or 8) and that many f32 or f64 LE values, NaN standing
//!   for a missing sample.
//!
//! A channel is written as f32 when every one of its values survives the trip through f32
//! exactly (watts, bpm and rpm are integers), which halves it before gzip, and as f64
//! otherwise (speed, altitude and distance come from scaled integers that f32 cannot hold):
//! the format is lossless, so an analysis served from the cache gives the very figures the
//! fetched data gave (version 1 wrote f32 throughout and a lap's distance could move by a
//! metre). The curves' values go through JSON losslessly (serde_json's `float_roundtrip`).
//!
//! Version 3 added the curves; a version-2 entry has the same layout without them and still
//! decodes (curves `None`: the fetcher computes them on that first read and writes the entry
//! back). Version 4 has version 3's layout; it marks device-file entries whose summary names
//! Garmin, Dynastream, Tacx and Favero devices by product ("Garmin Edge 1040" where version 3
//! said "Garmin"), so a version 2 or 3 entry of a device file is a miss and the file is read
//! again once; an older entry of platform streams (Intervals.icu names its devices itself)
//! still decodes. Version 1 (lossy f32), any other version or any damage makes [`decode`]
//! return `None`: to a cache, an entry it cannot read is a miss to refetch, never an error for
//! the call.

use std::io::{Read, Write};

use super::Streams;
use super::source::{ActivityData, Origin};

/// Bumped whenever the layout changes, so an old entry reads as a miss instead of being misread.
pub const FORMAT_VERSION: u8 = 4;

/// The oldest version [`decode`] still reads: 2, the same layout before curves were cached.
const OLDEST_READABLE: u8 = 2;

/// The oldest version whose device-file entries [`decode`] still reads: 4, the first whose
/// summaries name the devices of the makers the FIT profile lists products for.
const OLDEST_DEVICE_FILE: u8 = 4;

const MAGIC: &[u8; 3] = b"PLC";

/// The channels in the order they are written; adding one needs a new [`FORMAT_VERSION`].
fn channels(s: &Streams) -> [&Vec<Option<f64>>; 6] {
    [
        &s.power_w,
        &s.heart_rate_bpm,
        &s.cadence_rpm,
        &s.speed_mps,
        &s.altitude_m,
        &s.distance_m,
    ]
}

fn channels_mut(s: &mut Streams) -> [&mut Vec<Option<f64>>; 6] {
    [
        &mut s.power_w,
        &mut s.heart_rate_bpm,
        &mut s.cadence_rpm,
        &mut s.speed_mps,
        &mut s.altitude_m,
        &mut s.distance_m,
    ]
}

/// Encodes `data` for a cache entry. `None` only if the record cannot be written as JSON
/// (which a well-formed [`ActivityData`] always can); a cache then simply does not store it.
pub fn encode(data: &ActivityData) -> Option<Vec<u8>> {
    let mut meta = data.clone();
    meta.streams = Streams {
        sample_rate_s: data.streams.sample_rate_s,
        ..Streams::default()
    };
    let json = serde_json::to_vec(&meta).ok()?;
    let mut raw = Vec::with_capacity(json.len() + 16 + data.streams.len() * 6 * 4);
    raw.extend_from_slice(&u32::try_from(json.len()).ok()?.to_le_bytes());
    raw.extend_from_slice(&json);
    raw.extend_from_slice(&data.streams.sample_rate_s.to_le_bytes());
    for ch in channels(&data.streams) {
        raw.extend_from_slice(&u32::try_from(ch.len()).ok()?.to_le_bytes());
        // A missing sample and a non-finite one are both "no reading".
        let value = |v: &Option<f64>| v.filter(|x| x.is_finite());
        let narrow = ch
            .iter()
            .filter_map(value)
            .all(|x| f64::from(x as f32) == x);
        if narrow {
            raw.push(4);
            for v in ch {
                let x = value(v).map_or(f32::NAN, |x| x as f32);
                raw.extend_from_slice(&x.to_le_bytes());
            }
        } else {
            raw.push(8);
            for v in ch {
                raw.extend_from_slice(&value(v).unwrap_or(f64::NAN).to_le_bytes());
            }
        }
    }
    let mut out = Vec::with_capacity(raw.len() / 3 + 8);
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_VERSION);
    let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::default());
    gz.write_all(&raw).ok()?;
    gz.finish().ok()
}

/// Decodes a cache entry; `None` for another format version, a truncated or corrupt entry, or
/// anything else that is not exactly what [`encode`] wrote.
pub fn decode(bytes: &[u8]) -> Option<ActivityData> {
    let body = bytes.strip_prefix(MAGIC.as_slice())?;
    let (&version, gz) = body.split_first()?;
    if !(OLDEST_READABLE..=FORMAT_VERSION).contains(&version) {
        return None;
    }
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(gz)
        .read_to_end(&mut raw)
        .ok()?;
    let mut r = Reader { buf: &raw };
    let json_len = r.u32()? as usize;
    let mut data: ActivityData = serde_json::from_slice(r.take(json_len)?).ok()?;
    if version < OLDEST_DEVICE_FILE && data.origin == Origin::DeviceFile {
        return None;
    }
    data.streams.sample_rate_s = f64::from_le_bytes(r.take(8)?.try_into().ok()?);
    for ch in channels_mut(&mut data.streams) {
        let n = r.u32()? as usize;
        let width = usize::from(*r.take(1)?.first()?);
        let values = r.take(n.checked_mul(width)?)?;
        *ch = match width {
            4 => values
                .chunks_exact(4)
                .map(|b| {
                    let x = f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
                    (!x.is_nan()).then_some(f64::from(x))
                })
                .collect(),
            8 => values
                .chunks_exact(8)
                .map(|b| {
                    let x = f64::from_le_bytes(b.try_into().unwrap_or([0xff; 8]));
                    (!x.is_nan()).then_some(x)
                })
                .collect(),
            _ => return None,
        };
    }
    // Trailing bytes mean this is not what encode wrote.
    r.buf.is_empty().then_some(data)
}

/// A cursor over the decompressed payload; every read is bounds-checked.
struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.buf.len() {
            return None;
        }
        let (head, tail) = self.buf.split_at(n);
        self.buf = tail;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::source::{CacheKey, DeviceSummary, Segment, SourcePlatform};

    fn sample(n: usize) -> ActivityData {
        let power = (0..n)
            .map(|i| (i % 97 != 5).then_some(150.0 + (i % 300) as f64))
            .collect();
        let speed = (0..n)
            .map(|i| Some(8.25 + (i % 8) as f64 * 0.125))
            .collect();
        ActivityData {
            key: CacheKey {
                platform: SourcePlatform::TrainingPeaks,
                athlete: "123".into(),
                activity: "456".into(),
                file_id: Some("789".into()),
            },
            origin: Origin::DeviceFile,
            file_name: Some("ride.fit".into()),
            start: Some("2026-03-01T08:00:00Z".into()),
            streams: Streams {
                sample_rate_s: 1.0,
                power_w: power,
                heart_rate_bpm: (0..n).map(|i| Some(120.0 + (i % 40) as f64)).collect(),
                speed_mps: speed,
                ..Streams::default()
            },
            segments: vec![Segment {
                label: "Lap 1".into(),
                start_index: 0,
                end_index: n.saturating_sub(1),
                distance_m: Some(1234.5),
                avg_power_w: Some(201.0),
                avg_heart_rate_bpm: None,
            }],
            summary: DeviceSummary {
                sport: Some("cycling".into()),
                tss: Some(88.2),
                ..DeviceSummary::default()
            },
            notes: vec!["no altitude".into()],
            curves: None,
        }
    }

    #[test]
    fn round_trip_keeps_everything_and_is_small() {
        let data = sample(4 * 3600);
        let bytes = encode(&data).expect("encodes");
        assert_eq!(decode(&bytes), Some(data.clone()));
        let json = serde_json::to_vec(&data).expect("json");
        assert!(
            bytes.len() * 10 < json.len(),
            "{} bytes encoded vs {} as JSON",
            bytes.len(),
            json.len()
        );
    }

    #[test]
    fn values_f32_cannot_hold_come_back_exactly() {
        let mut data = sample(1000);
        // Centimetre distances over 20 km, as a FIT file gives: not representable in f32.
        data.streams.distance_m = (0..1000)
            .map(|i| Some(20_000.0 + i as f64 * 8.37))
            .collect();
        data.streams.altitude_m = (0..1000)
            .map(|i| (i != 3).then_some(0.1 * i as f64))
            .collect();
        let back = decode(&encode(&data).expect("encodes")).expect("decodes");
        assert_eq!(back.streams.distance_m, data.streams.distance_m);
        assert_eq!(back.streams.altitude_m, data.streams.altitude_m);
        assert_eq!(back, data);
    }

    #[test]
    fn empty_streams_round_trip() {
        let mut data = sample(0);
        data.origin = Origin::PlatformStreams;
        data.key.file_id = None;
        assert_eq!(decode(&encode(&data).expect("encodes")), Some(data));
    }

    #[test]
    fn another_version_is_a_miss() {
        let mut bytes = encode(&sample(100)).expect("encodes");
        bytes[3] = FORMAT_VERSION.wrapping_add(1);
        assert_eq!(decode(&bytes), None);
        bytes[3] = 0;
        assert_eq!(decode(&bytes), None);
        // Version 1 wrote f32 throughout: lossy, so refetched rather than read.
        bytes[3] = 1;
        assert_eq!(decode(&bytes), None);
    }

    #[test]
    fn curves_round_trip_losslessly_and_add_little() {
        let bare = sample(4 * 3600);
        let mut data = bare.clone();
        assert!(data.derive_curves());
        let curves = data.curves.clone().expect("derived");
        let power = curves.power_w.as_ref().expect("power curve");
        assert!(curves.heart_rate_bpm.is_some() && curves.speed_mps.is_some());
        // Means over long windows are not short decimals: a lossy trip would show.
        assert!(power.points.iter().any(|p| p.value.fract() != 0.0));
        let bytes = encode(&data).expect("encodes");
        let back = decode(&bytes).expect("decodes");
        assert_eq!(back.curves, Some(curves));
        assert_eq!(back, data);
        let before = encode(&bare).expect("encodes").len();
        assert!(
            bytes.len() < before + 4096,
            "{before} bytes without curves, {} with",
            bytes.len()
        );
    }

    /// A version-2 entry as the version-2 encoder wrote it: this layout with no `curves` in
    /// the record.
    fn version_2_entry(data: &ActivityData) -> Vec<u8> {
        let bytes = encode(data).expect("encodes");
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(&bytes[4..])
            .read_to_end(&mut raw)
            .expect("gzip");
        let json_len = u32::from_le_bytes(raw[..4].try_into().expect("4 bytes")) as usize;
        let mut record: serde_json::Value =
            serde_json::from_slice(&raw[4..4 + json_len]).expect("json");
        assert!(
            record
                .as_object_mut()
                .expect("object")
                .remove("curves")
                .is_some()
        );
        let json = serde_json::to_vec(&record).expect("json");
        let mut old = (json.len() as u32).to_le_bytes().to_vec();
        old.extend_from_slice(&json);
        old.extend_from_slice(&raw[4 + json_len..]);
        let mut out = b"PLC\x02".to_vec();
        let mut gz = flate2::write::GzEncoder::new(&mut out, flate2::Compression::default());
        gz.write_all(&old).expect("gzip");
        gz.finish().expect("gzip");
        out
    }

    #[test]
    fn a_version_2_entry_still_decodes_without_curves() {
        let mut data = sample(3000);
        data.origin = Origin::PlatformStreams;
        let old = version_2_entry(&data);
        let back = decode(&old).expect("a version-2 entry decodes");
        assert_eq!(back.curves, None);
        assert_eq!(back, data);
        // And its curves, derived on that read, are the fresh data's.
        let mut upgraded = back;
        assert!(upgraded.derive_curves() && data.derive_curves());
        assert_eq!(upgraded, data);
    }

    #[test]
    fn a_device_file_entry_before_version_4_is_read_again() {
        let mut data = sample(600);
        data.summary.device = Some("Garmin".into());
        assert_eq!(data.origin, Origin::DeviceFile);
        let mut v3 = encode(&data).expect("encodes");
        v3[3] = 3;
        assert_eq!(
            decode(&v3),
            None,
            "version 3 named Garmin devices by maker only"
        );
        assert_eq!(decode(&version_2_entry(&data)), None);
        // The same layout from a platform's streams still reads.
        data.origin = Origin::PlatformStreams;
        let mut v3 = encode(&data).expect("encodes");
        v3[3] = 3;
        assert_eq!(decode(&v3), Some(data.clone()));
        assert_eq!(decode(&encode(&data).expect("encodes")), Some(data));
    }

    #[test]
    fn damaged_entries_are_misses() {
        let bytes = encode(&sample(500)).expect("encodes");
        assert_eq!(decode(&[]), None);
        assert_eq!(decode(b"PLC"), None);
        assert_eq!(decode(&bytes[..bytes.len() / 2]), None);
        assert_eq!(decode(b"{\"key\":1}"), None);
        let mut flipped = bytes.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0xff;
        assert_eq!(decode(&flipped), None);
    }
}
