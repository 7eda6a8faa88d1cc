//! A small FIT activity writer: enough of the protocol for the sandbox's generated device files
//! (file_id, device_info, event, record, lap, session, activity), checked by decoding its output
//! with [`super::decode`]. No maintained Rust crate writes FIT activity files, so this is ours:
//! little-endian definitions, one local type per message kind, header and file CRCs.
//!
//! The summaries (laps, session) are computed here from the samples, as a head unit does, so a
//! file always agrees with its own records.

use chrono::{DateTime, Utc};

use super::{FIT_EPOCH_UNIX, Sample, crc16};

/// FIT sport codes the sandbox uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sport {
    /// `generic` (0).
    Generic,
    /// `running` (1).
    Running,
    /// `cycling` (2).
    Cycling,
    /// `swimming` (5).
    Swimming,
    /// `training` (10): strength and other gym work.
    Training,
}

impl Sport {
    fn code(self) -> u8 {
        match self {
            Sport::Generic => 0,
            Sport::Running => 1,
            Sport::Cycling => 2,
            Sport::Swimming => 5,
            Sport::Training => 10,
        }
    }
}

/// The recording device written into `file_id` and `device_info`.
#[derive(Debug, Clone, PartialEq)]
pub struct Device {
    /// FIT manufacturer code (255 = `development`).
    pub manufacturer: u16,
    /// Product code.
    pub product: u16,
    /// Serial number (non-zero).
    pub serial: u32,
    /// Product name.
    pub product_name: String,
    /// Software version × 100 (e.g. 1234 = 12.34).
    pub software_version: u16,
}

/// What to write: samples one per second (an all-`None` sample is a pause: no record is written
/// and the timer is stopped), and laps as index ranges into `samples`.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityFile {
    /// Sport.
    pub sport: Sport,
    /// FIT sub-sport code (0 generic, 7 road, 6 indoor cycling, 17 lap swimming, …).
    pub sub_sport: u8,
    /// Samples, one per second; their `time` is written as the record timestamp.
    pub samples: Vec<Sample>,
    /// Laps: `(first sample index, end index exclusive)`, in order, covering the samples.
    pub laps: Vec<(usize, usize)>,
    /// The device.
    pub device: Device,
    /// The FTP to write in the session (watts).
    pub threshold_power_w: Option<u16>,
}

/// Encodes an activity as a FIT file (protocol 2.0, 14-byte header with CRC, file CRC).
/// An activity without samples gives a valid file with only the file id.
pub fn encode(a: &ActivityFile) -> Vec<u8> {
    let mut w = Writer::default();
    let created = a.samples.first().map_or(0, |s| fit_time(s.time));
    w.message(
        0,
        0,
        &[
            (0, V::Enum(Some(4))), // type: activity
            (1, V::U16(Some(a.device.manufacturer))),
            (2, V::U16(Some(a.device.product))),
            (3, V::U32z(Some(a.device.serial))),
            (4, V::U32(Some(created))),
        ],
    );
    w.message(
        1,
        23,
        &[
            (253, V::U32(Some(created))),
            (0, V::U8(Some(0))), // device_index: creator
            (2, V::U16(Some(a.device.manufacturer))),
            (3, V::U32z(Some(a.device.serial))),
            (4, V::U16(Some(a.device.product))),
            (5, V::U16(Some(a.device.software_version))),
            (27, V::Str(a.device.product_name.clone(), 20)),
        ],
    );
    let mut recording = false;
    let mut last_time = created;
    for s in &a.samples {
        let t = fit_time(s.time);
        if !s.is_recorded() {
            if recording {
                event(&mut w, last_time, 4); // timer stop_all: a pause starts
                recording = false;
            }
            continue;
        }
        if !recording {
            event(&mut w, t, 0); // timer start
            recording = true;
        }
        record(&mut w, t, s);
        last_time = t;
    }
    if recording {
        event(&mut w, last_time, 4);
    }
    for (i, &(from, to)) in a.laps.iter().enumerate() {
        let part = a.samples.get(from..to.min(a.samples.len())).unwrap_or(&[]);
        let sum = Summary::of(part);
        w.message(
            5,
            19,
            &[
                (253, V::U32(Some(sum.end))),
                (254, V::U16(Some(i as u16))),
                (0, V::Enum(Some(9))), // event: lap
                (1, V::Enum(Some(1))), // event_type: stop
                (2, V::U32(Some(sum.start))),
                (7, V::U32(Some(sum.elapsed_ms))),
                (8, V::U32(Some(sum.timer_ms))),
                (9, V::U32(sum.distance_cm)),
                (15, V::U8(sum.avg_hr)),
                (16, V::U8(sum.max_hr)),
                (17, V::U8(sum.avg_cadence)),
                (19, V::U16(sum.avg_power)),
                (20, V::U16(sum.max_power)),
                (24, V::Enum(Some(1))), // lap_trigger: time
                (25, V::Enum(Some(a.sport.code()))),
            ],
        );
    }
    let sum = Summary::of(&a.samples);
    w.message(
        6,
        18,
        &[
            (253, V::U32(Some(sum.end))),
            (254, V::U16(Some(0))),
            (0, V::Enum(Some(8))), // event: session
            (1, V::Enum(Some(1))), // event_type: stop
            (2, V::U32(Some(sum.start))),
            (5, V::Enum(Some(a.sport.code()))),
            (6, V::Enum(Some(a.sub_sport))),
            (7, V::U32(Some(sum.elapsed_ms))),
            (8, V::U32(Some(sum.timer_ms))),
            (9, V::U32(sum.distance_cm)),
            (14, V::U16(sum.avg_speed_mm_s)),
            (16, V::U8(sum.avg_hr)),
            (17, V::U8(sum.max_hr)),
            (18, V::U8(sum.avg_cadence)),
            (20, V::U16(sum.avg_power)),
            (21, V::U16(sum.max_power)),
            (22, V::U16(sum.ascent_m)),
            (25, V::U16(Some(0))),
            (26, V::U16(Some(a.laps.len() as u16))),
            (45, V::U16(a.threshold_power_w)),
        ],
    );
    w.message(
        7,
        34,
        &[
            (253, V::U32(Some(sum.end))),
            (0, V::U32(Some(sum.timer_ms))),
            (1, V::U16(Some(1))),
            (2, V::Enum(Some(0))),  // type: manual
            (3, V::Enum(Some(26))), // event: activity
            (4, V::Enum(Some(1))),  // event_type: stop
        ],
    );
    w.finish()
}

fn event(w: &mut Writer, t: u32, event_type: u8) {
    w.message(
        2,
        21,
        &[
            (253, V::U32(Some(t))),
            (0, V::Enum(Some(0))), // event: timer
            (1, V::Enum(Some(event_type))),
        ],
    );
}

fn record(w: &mut Writer, t: u32, s: &Sample) {
    let semi = |d: Option<f64>| d.map(|d| (d * 2_147_483_648.0 / 180.0).round() as i32);
    w.message(
        3,
        20,
        &[
            (253, V::U32(Some(t))),
            (0, V::S32(semi(s.lat_deg))),
            (1, V::S32(semi(s.lon_deg))),
            (3, V::U8(s.heart_rate_bpm.map(sat_u8))),
            (4, V::U8(s.cadence_rpm.map(sat_u8))),
            (5, V::U32(s.distance_m.map(|d| scaled(d, 100.0, 0.0)))),
            (
                7,
                V::U16(s.power_w.map(|p| p.round().clamp(0.0, 65_534.0) as u16)),
            ),
            (73, V::U32(s.speed_mps.map(|v| scaled(v, 1000.0, 0.0)))),
            (78, V::U32(s.altitude_m.map(|a| scaled(a, 5.0, 500.0)))),
        ],
    );
}

fn sat_u8(x: f64) -> u8 {
    x.round().clamp(0.0, 254.0) as u8
}

fn scaled(x: f64, scale: f64, offset: f64) -> u32 {
    ((x + offset) * scale)
        .round()
        .clamp(0.0, f64::from(u32::MAX - 1)) as u32
}

fn fit_time(t: DateTime<Utc>) -> u32 {
    u32::try_from(t.timestamp() - FIT_EPOCH_UNIX).unwrap_or(0)
}

/// Totals over a run of samples, in FIT units.
struct Summary {
    start: u32,
    end: u32,
    elapsed_ms: u32,
    timer_ms: u32,
    distance_cm: Option<u32>,
    avg_speed_mm_s: Option<u16>,
    avg_hr: Option<u8>,
    max_hr: Option<u8>,
    avg_cadence: Option<u8>,
    avg_power: Option<u16>,
    max_power: Option<u16>,
    ascent_m: Option<u16>,
}

impl Summary {
    fn of(part: &[Sample]) -> Self {
        let start = part.first().map_or(0, |s| fit_time(s.time));
        let end = part.last().map_or(start, |s| fit_time(s.time));
        let recorded = part.iter().filter(|s| s.is_recorded()).count() as u32;
        let mean = |f: fn(&Sample) -> Option<f64>| {
            let v: Vec<f64> = part.iter().filter_map(f).collect();
            (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
        };
        let max = |f: fn(&Sample) -> Option<f64>| part.iter().filter_map(f).reduce(f64::max);
        let first_d = part.iter().find_map(|s| s.distance_m);
        let last_d = part.iter().rev().find_map(|s| s.distance_m);
        let ascent: f64 = part
            .iter()
            .filter_map(|s| s.altitude_m)
            .collect::<Vec<_>>()
            .windows(2)
            .map(|w| (w[1] - w[0]).max(0.0))
            .sum();
        let distance = match (first_d, last_d) {
            // A lap's distance runs from the previous second's total; near enough for a lap
            // that starts at 0 or continues a recording.
            (Some(a), Some(b)) => {
                Some(b - a + part.first().and_then(|s| s.speed_mps).unwrap_or(0.0))
            }
            _ => None,
        };
        let timer_s = f64::from(recorded);
        Self {
            start,
            end,
            elapsed_ms: (end - start + 1) * 1000,
            timer_ms: recorded * 1000,
            distance_cm: distance.map(|d| scaled(d, 100.0, 0.0)),
            avg_speed_mm_s: distance
                .filter(|_| timer_s > 0.0)
                .map(|d| (d / timer_s * 1000.0).round().clamp(0.0, 65_534.0) as u16),
            avg_hr: mean(|s| s.heart_rate_bpm).map(sat_u8),
            max_hr: max(|s| s.heart_rate_bpm).map(sat_u8),
            avg_cadence: mean(|s| s.cadence_rpm).map(sat_u8),
            avg_power: mean(|s| s.power_w).map(|p| p.round() as u16),
            max_power: max(|s| s.power_w).map(|p| p.round() as u16),
            ascent_m: part
                .iter()
                .any(|s| s.altitude_m.is_some())
                .then(|| ascent.round().clamp(0.0, 65_534.0) as u16),
        }
    }
}

/// A field value; `None` writes the base type's invalid value. Crate-visible so the FIT
/// workout writer (`structure::export`) shares the message framing.
pub(crate) enum V {
    Enum(Option<u8>),
    U8(Option<u8>),
    U16(Option<u16>),
    U32(Option<u32>),
    U32z(Option<u32>),
    S32(Option<i32>),
    /// A string in a fixed-size, NUL-padded field.
    Str(String, u8),
}

impl V {
    fn size_and_type(&self) -> (u8, u8) {
        match self {
            V::Enum(_) => (1, 0x00),
            V::U8(_) => (1, 0x02),
            V::U16(_) => (2, 0x84),
            V::U32(_) => (4, 0x86),
            V::U32z(_) => (4, 0x8C),
            V::S32(_) => (4, 0x85),
            V::Str(_, n) => (*n, 0x07),
        }
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            V::Enum(v) | V::U8(v) => out.push(v.unwrap_or(0xFF)),
            V::U16(v) => out.extend(v.unwrap_or(0xFFFF).to_le_bytes()),
            V::U32(v) => out.extend(v.unwrap_or(u32::MAX).to_le_bytes()),
            V::U32z(v) => out.extend(v.unwrap_or(0).to_le_bytes()),
            V::S32(v) => out.extend(v.unwrap_or(i32::MAX).to_le_bytes()),
            V::Str(s, n) => {
                let n = usize::from(*n);
                let mut b: Vec<u8> = s.bytes().take(n.saturating_sub(1)).collect();
                b.resize(n, 0);
                out.extend(b);
            }
        }
    }
}

/// A message layout: global number and `(field number, size, base type)` per field.
type Layout = (u16, Vec<(u8, u8, u8)>);

/// Message bytes plus which definition each local type currently has.
#[derive(Default)]
pub(crate) struct Writer {
    data: Vec<u8>,
    defined: [Option<Layout>; 16],
}

impl Writer {
    /// Writes one data message as local type `local` (0–15) of global message `global`,
    /// preceded by a definition when that local type's layout changes.
    pub(crate) fn message(&mut self, local: u8, global: u16, fields: &[(u8, V)]) {
        let local = local & 0x0F;
        let layout: Vec<(u8, u8, u8)> = fields
            .iter()
            .map(|(n, v)| {
                let (size, ty) = v.size_and_type();
                (*n, size, ty)
            })
            .collect();
        let slot = self.defined.get_mut(usize::from(local));
        let current = (global, layout);
        if let Some(slot) = slot
            && slot.as_ref() != Some(&current)
        {
            self.data.push(0x40 | local);
            self.data.push(0); // reserved
            self.data.push(0); // little-endian
            self.data.extend(global.to_le_bytes());
            self.data.push(current.1.len() as u8);
            for (n, size, ty) in &current.1 {
                self.data.extend([*n, *size, *ty]);
            }
            *slot = Some(current);
        }
        self.data.push(local);
        for (_, v) in fields {
            v.write(&mut self.data);
        }
    }

    pub(crate) fn finish(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.data.len() + 16);
        out.push(14);
        out.push(0x20); // protocol 2.0
        out.extend(2132u16.to_le_bytes()); // profile 21.32
        out.extend((self.data.len() as u32).to_le_bytes());
        out.extend(b".FIT");
        let header_crc = crc16(0, &out);
        out.extend(header_crc.to_le_bytes());
        out.extend(self.data);
        let crc = crc16(0, &out);
        out.extend(crc.to_le_bytes());
        out
    }
}
