//! Workout file export and import (`structure::export`): each format written from one workout
//! and compared with a hand-written expected file (`core/tests/golden/export/`), the FIT file
//! decoded back with `fitparser` field by field, and the readers checked against hand-written
//! files and by round trips.

use std::path::PathBuf;

use fitparser::profile::MesgNum;
use paceline_core::structure::export::{
    self, Content, ExportKind, ExportOptions, ImportFormat, export, export_input,
};
use paceline_core::structure::icu_text::{self, Options};
use paceline_core::structure::{self, Structure};
use serde_json::{Value, json};

fn golden(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/export")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The workout every writer is checked on: a warm-up ramp, 3 × (5 min at 100 % with cadence,
/// 3 min rest at 55 %), a free-ride step and a cool-down.
fn workout() -> Structure {
    icu_text::parse(&golden("workout.txt"), &Options::default())
        .unwrap()
        .compile()
        .unwrap()
}

fn opts() -> ExportOptions {
    ExportOptions {
        name: Some("Tempo & Threshold".into()),
        ftp_w: Some(250.0),
        ..ExportOptions::default()
    }
}

fn text(kind: ExportKind, o: &ExportOptions) -> String {
    match export(&workout(), kind, o).unwrap().content {
        Content::Text(t) => t,
        Content::Binary(_) => panic!("{kind:?} gave bytes"),
    }
}

#[test]
fn zwo_matches_the_hand_written_file_and_reads_back_to_the_same_structure() {
    let out = export(&workout(), ExportKind::Zwo, &opts()).unwrap();
    assert_eq!(out.filename, "tempo-threshold.zwo");
    assert_eq!(out.mime, "application/xml");
    let Content::Text(zwo) = out.content else {
        panic!("text")
    };
    assert_eq!(zwo, golden("expected.zwo"));

    let back = export::import(&zwo, None).unwrap();
    assert_eq!(back.format, ImportFormat::Zwo);
    assert_eq!(back.name.as_deref(), Some("Tempo & Threshold"));
    // Every target in this workout is a single value, so nothing is lost on the way.
    assert_eq!(
        structure::compile_value(&back.structure).unwrap(),
        workout()
    );
}

#[test]
fn mrc_and_erg_match_the_hand_written_files() {
    assert_eq!(text(ExportKind::Mrc, &opts()), golden("expected.mrc"));
    assert_eq!(text(ExportKind::Erg, &opts()), golden("expected.erg"));
}

#[test]
fn erg_without_an_ftp_says_it_needs_one() {
    let o = ExportOptions {
        ftp_w: None,
        ..opts()
    };
    let e = export(&workout(), ExportKind::Erg, &o).unwrap_err();
    assert_eq!(e.field, "ftpW");
    assert!(e.message.contains("FTP"), "{e}");
}

#[test]
fn mrc_reads_back_and_writes_the_same_file() {
    let mrc = golden("expected.mrc");
    let imp = export::import(&mrc, None).unwrap();
    assert_eq!(imp.format, ImportFormat::Mrc);
    assert_eq!(imp.name.as_deref(), Some("Tempo & Threshold"));
    let steps = imp.structure["steps"].as_array().unwrap();
    // Unrolled: ramp, 3 × (on, off), free ride (at 0 %), cool-down.
    assert_eq!(steps.len(), 9, "{steps:?}");
    assert_eq!(
        steps[0],
        json!({"type": "ramp", "intensity_start": 50, "intensity_end": 75,
               "duration_seconds": 600, "intensityClass": "active"})
    );
    assert_eq!(
        steps[1],
        json!({"intensity_min": 100, "intensity_max": 100, "duration_seconds": 300,
               "intensityClass": "active", "name": "Threshold"})
    );
    assert_eq!(steps[7]["intensity_min"], json!(0));
    let again = export(
        &structure::compile_value(&imp.structure).unwrap(),
        ExportKind::Mrc,
        &opts(),
    )
    .unwrap();
    assert_eq!(again.content, Content::Text(mrc));
}

#[test]
fn a_hand_written_erg_reads_field_by_field() {
    let imp = export::import(&golden("import.erg"), None).unwrap();
    assert_eq!(imp.format, ImportFormat::Erg);
    assert_eq!(imp.description.as_deref(), Some("Over-unders"));
    assert_eq!(
        imp.structure,
        json!({"primaryIntensityMetric": "percentOfFtp", "steps": [
            {"type": "ramp", "intensity_start": 50, "intensity_end": 70,
             "duration_seconds": 300, "intensityClass": "active"},
            {"intensity_min": 95, "intensity_max": 95, "duration_seconds": 150,
             "intensityClass": "active", "name": "Under"},
            {"intensity_min": 105, "intensity_max": 105, "duration_seconds": 30,
             "intensityClass": "active", "name": "Over"},
            {"intensity_min": 50, "intensity_max": 50, "duration_seconds": 300,
             "intensityClass": "active"},
        ]})
    );
    // Without the header's FTP line, watts need the athlete's FTP.
    let no_ftp = golden("import.erg").replace("FTP = 300\n", "");
    let e = export::import(&no_ftp, None).unwrap_err();
    assert!(e.message.contains("FTP"), "{e}");
    let with = export::import(&no_ftp, Some(300.0)).unwrap();
    assert_eq!(with.structure, imp.structure);
}

#[test]
fn a_hand_written_zwo_reads_field_by_field() {
    let imp = export::import(&golden("import.zwo"), None).unwrap();
    assert_eq!(imp.name.as_deref(), Some("Sweet spot"));
    assert_eq!(imp.description.as_deref(), Some("2x10 at sweet spot"));
    assert_eq!(
        imp.structure,
        json!({"primaryIntensityMetric": "percentOfFtp", "steps": [
            {"type": "ramp", "intensity_start": 40, "intensity_end": 70,
             "duration_seconds": 300, "intensityClass": "warmUp",
             "cadence_min": 90, "cadence_max": 90},
            {"duration_seconds": 600, "intensity_min": 90, "intensity_max": 90,
             "intensityClass": "active", "name": "Stay seated",
             "cadence_min": 88, "cadence_max": 88},
            {"duration_seconds": 300, "intensity_min": 50, "intensity_max": 60,
             "intensityClass": "active"},
            {"type": "repetition", "reps": 4, "steps": [
                {"duration_seconds": 30, "intensity_min": 120, "intensity_max": 120,
                 "intensityClass": "active", "cadence_min": 100, "cadence_max": 100},
                {"duration_seconds": 30, "intensity_min": 50, "intensity_max": 50,
                 "intensityClass": "rest", "cadence_min": 85, "cadence_max": 85},
            ]},
            {"duration_seconds": 120, "intensityClass": "active"},
            {"type": "ramp", "intensity_start": 65, "intensity_end": 40,
             "duration_seconds": 300, "intensityClass": "coolDown"},
        ]})
    );
    let s = structure::compile_value(&imp.structure).unwrap();
    assert_eq!(
        structure::metrics(&s, None).map(|m| m.total_seconds),
        Some(1860.0)
    );
}

#[test]
fn import_errors_name_the_line() {
    let bad =
        golden("import.zwo").replace("<FreeRide Duration=\"120\"/>", "<Spin Duration=\"120\"/>");
    let e = export::import(&bad, None).unwrap_err();
    assert_eq!(e.line, 16, "{e}");
    assert!(e.message.contains("Spin"), "{e}");
    let bad = golden("import.zwo").replace("Power=\"0.90\"", "Power=\"high\"");
    let e = export::import(&bad, None).unwrap_err();
    assert_eq!(e.line, 11, "{e}");
    let bad = golden("expected.mrc").replace("15.00\t55\n", "12.00\t55\n");
    let e = export::import(&bad, None).unwrap_err();
    assert_eq!(e.line, 13, "{e}");
    assert!(e.message.contains("backwards"), "{e}");
}

#[test]
fn trainingpeaks_json_and_text_are_the_structure_and_the_printer() {
    let json_text = text(ExportKind::TrainingPeaksJson, &opts());
    let v: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(v, workout().to_value());
    assert_eq!(structure::compile_value(&v).unwrap(), workout());
    let t = text(ExportKind::IntervalsText, &opts());
    assert_eq!(t, icu_text::print(&workout()));
    let back = icu_text::parse(&t, &Options::default())
        .unwrap()
        .compile()
        .unwrap();
    assert_eq!(back, workout());
}

fn field<'a>(r: &'a fitparser::FitDataRecord, name: &str) -> Option<&'a fitparser::Value> {
    r.fields()
        .iter()
        .find(|f| f.name() == name)
        .map(fitparser::FitDataField::value)
}

fn as_f64(v: Option<&fitparser::Value>) -> Option<f64> {
    match v? {
        fitparser::Value::Float64(x) => Some(*x),
        fitparser::Value::Float32(x) => Some(f64::from(*x)),
        fitparser::Value::UInt8(x) | fitparser::Value::Enum(x) => Some(f64::from(*x)),
        fitparser::Value::UInt16(x) => Some(f64::from(*x)),
        fitparser::Value::UInt32(x) | fitparser::Value::UInt32z(x) => Some(f64::from(*x)),
        fitparser::Value::SInt32(x) => Some(f64::from(*x)),
        fitparser::Value::SInt64(x) => Some(*x as f64),
        fitparser::Value::UInt64(x) => Some(*x as f64),
        _ => None,
    }
}

fn as_str(v: Option<&fitparser::Value>) -> String {
    v.map(ToString::to_string).unwrap_or_default()
}

#[test]
fn fit_workout_decodes_field_by_field() {
    let out = export(&workout(), ExportKind::Fit, &opts()).unwrap();
    assert_eq!(out.filename, "tempo-threshold.fit");
    let Content::Binary(bytes) = out.content else {
        panic!("bytes")
    };
    let records = fitparser::from_bytes(&bytes).unwrap();
    let file_id = records
        .iter()
        .find(|r| r.kind() == MesgNum::FileId)
        .unwrap();
    assert_eq!(as_str(field(file_id, "type")), "workout");
    let wkt = records
        .iter()
        .find(|r| r.kind() == MesgNum::Workout)
        .unwrap();
    assert_eq!(as_str(field(wkt, "wkt_name")), "Tempo & Threshold");
    assert_eq!(as_str(field(wkt, "sport")), "cycling");
    let steps: Vec<_> = records
        .iter()
        .filter(|r| r.kind() == MesgNum::WorkoutStep)
        .collect();
    assert_eq!(
        as_f64(field(wkt, "num_valid_steps")),
        Some(steps.len() as f64)
    );
    // The ramp's stored sub-steps (50–75 % in 5 bands), on, off, repeat, free ride, cool-down.
    assert_eq!(steps.len(), 5 + 2 + 1 + 2, "{steps:#?}");
    let ramp0 = steps[0];
    assert_eq!(as_str(field(ramp0, "duration_type")), "time");
    assert_eq!(as_f64(field(ramp0, "duration_time")), Some(120.0));
    assert_eq!(as_str(field(ramp0, "target_type")), "power");
    assert_eq!(as_f64(field(ramp0, "custom_target_power_low")), Some(50.0));
    assert_eq!(as_f64(field(ramp0, "custom_target_power_high")), Some(55.0));
    assert_eq!(as_str(field(ramp0, "intensity")), "warmup");
    let on = steps[5];
    assert_eq!(as_str(field(on, "wkt_step_name")), "Threshold");
    assert_eq!(as_f64(field(on, "duration_time")), Some(300.0));
    assert_eq!(as_f64(field(on, "custom_target_power_low")), Some(100.0));
    let off = steps[6];
    assert_eq!(as_str(field(off, "intensity")), "rest");
    assert_eq!(as_f64(field(off, "custom_target_power_high")), Some(55.0));
    let rep = steps[7];
    assert_eq!(
        as_str(field(rep, "duration_type")),
        "repeat_until_steps_cmplt"
    );
    assert_eq!(as_f64(field(rep, "duration_step")), Some(5.0));
    assert_eq!(as_f64(field(rep, "repeat_steps")), Some(3.0));
    let free = steps[8];
    assert_eq!(as_str(field(free, "target_type")), "open");
    let cool = steps[9];
    assert_eq!(as_str(field(cool, "intensity")), "cooldown");
    assert_eq!(as_f64(field(cool, "duration_time")), Some(600.0));
}

#[test]
fn fit_heart_rate_targets_need_the_lthr_and_are_written_in_bpm() {
    let hr = icu_text::parse("- 20m 80-90% LTHR", &Options::default())
        .unwrap()
        .compile()
        .unwrap();
    let e = export(&hr, ExportKind::Fit, &opts()).unwrap_err();
    assert_eq!(e.field, "lthrBpm", "{e}");
    let o = ExportOptions {
        lthr_bpm: Some(170.0),
        ..opts()
    };
    let Content::Binary(bytes) = export(&hr, ExportKind::Fit, &o).unwrap().content else {
        panic!("bytes")
    };
    let records = fitparser::from_bytes(&bytes).unwrap();
    let step = records
        .iter()
        .find(|r| r.kind() == MesgNum::WorkoutStep)
        .unwrap();
    assert_eq!(as_str(field(step, "target_type")), "heart_rate");
    // 80 % of 170 = 136 bpm, written + 100.
    assert_eq!(
        as_f64(field(step, "custom_target_heart_rate_low")),
        Some(236.0)
    );
    // Zwift and course files refuse it, naming why.
    let e = export(&hr, ExportKind::Zwo, &o).unwrap_err();
    assert!(e.message.contains("heart rate"), "{e}");
}

#[test]
fn export_input_reads_every_builder_format() {
    let o = opts();
    let from_text = export_input(&golden("workout.txt"), "zwo", &o).unwrap();
    assert_eq!(from_text.content, Content::Text(golden("expected.zwo")));
    let from_zwo = export_input(&golden("expected.zwo"), "mrc", &ExportOptions::default()).unwrap();
    // The imported file's name is kept.
    assert_eq!(from_zwo.filename, "tempo-threshold.mrc");
    let e = export_input("- 10q 50%", "zwo", &o).unwrap_err();
    assert_eq!(e.field, "input");
    assert!(e.message.starts_with("line 1"), "{e}");
    let j = export_input(&golden("workout.txt"), "fit", &o)
        .unwrap()
        .to_json();
    assert!(j["base64"].as_str().is_some_and(|b| b.len() > 100), "{j}");
    assert_eq!(j["mime"], "application/vnd.ant.fit");
}
