//! Unknown keys in the friendly format: the message that names what was probably meant.
//!
//! The friendly format is what assistants write by hand, so a misspelt key is the likeliest
//! mistake, and ignoring it changes the workout without a word (`"repeat": 3` instead of
//! `"reps": 3` used to give one repetition). Every key a friendly object does not accept is an
//! error; this module only words it. A suggestion comes from, in order:
//! 1. a table of synonyms assistants use (`repeat`, `times` → `reps`; `duration` → …), read
//!    with case, `_`, `-` and spaces ignored;
//! 2. the same key in another spelling (`durationSeconds`, `Intensity-Min`);
//! 3. a small edit distance (typos and swapped letters) to an accepted key or a long synonym.
//!
//! Without a suggestion the message lists the keys the object accepts. Everything here runs
//! only on the error path.

/// What kind of friendly object held the key: decides the accepted-key list and the meaning of
/// ambiguous words (`count` is `reps` on a repetition but `steps_count` on a ramp).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Role {
    /// The root object `{primaryIntensityMetric?, steps}`.
    Root,
    /// A plain step, top-level or inside a repetition.
    Step,
    /// `{type: "repetition", reps, steps}`.
    Repetition,
    /// `{type: "rampUp" | "rampDown" | "ramp", intensity_start, intensity_end, …}`.
    Ramp,
}

/// A suggested replacement: the key(s) as the message shows them, and an optional note.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Hint {
    keys: &'static str,
    note: &'static str,
}

const fn hint(keys: &'static str) -> Hint {
    Hint { keys, note: "" }
}

const NAME: Hint = hint("\"name\"");
const TYPE: Hint = hint("\"type\"");
const REPS: Hint = Hint {
    keys: "\"reps\"",
    note: " (the number of times the repetition's steps repeat)",
};
const STEPS: Hint = hint("\"steps\"");
const DURATION: Hint = hint("\"duration_seconds\"");
const DURATION_UNIT: Hint = Hint {
    keys: "\"duration_seconds\"",
    note: " (in seconds: 10 min = 600)",
};
const DISTANCE: Hint = hint("\"distance_meters\"");
const DISTANCE_UNIT: Hint = Hint {
    keys: "\"distance_meters\"",
    note: " (in metres: 1 km = 1000, 1 mile = 1609.344)",
};
const INTENSITY_MIN: Hint = hint("\"intensity_min\"");
const INTENSITY_MAX: Hint = hint("\"intensity_max\"");
const INTENSITY_PAIR: Hint = Hint {
    keys: "\"intensity_min\" and \"intensity_max\"",
    note: " (% of threshold; the same value twice for a single target)",
};
const INTENSITY_START: Hint = hint("\"intensity_start\"");
const INTENSITY_END: Hint = hint("\"intensity_end\"");
const RAMP_PAIR: Hint = Hint {
    keys: "\"intensity_start\" and \"intensity_end\"",
    note: " (% of threshold)",
};
const CADENCE_MIN: Hint = hint("\"cadence_min\"");
const CADENCE_MAX: Hint = hint("\"cadence_max\"");
const CADENCE_PAIR: Hint = Hint {
    keys: "\"cadence_min\" and \"cadence_max\"",
    note: " (rpm; the same value twice for a single target)",
};
const CLASS: Hint = Hint {
    keys: "\"intensityClass\"",
    note: " (warmUp, active, rest, coolDown or other)",
};
const STEPS_COUNT: Hint = Hint {
    keys: "\"steps_count\"",
    note: " (the number of ramp sub-steps, 2 to 30)",
};
const OPEN: Hint = hint("\"open_duration\"");
const METRIC: Hint = Hint {
    keys: "\"primaryIntensityMetric\"",
    note: " (percentOfFtp, percentOfThresholdHr or percentOfThresholdPace)",
};
const VIS_UNIT: Hint = hint("\"visualizationDistanceUnit\"");

/// The keys a friendly step, repetition or ramp accepts, normalised (see [`normalise`]), with
/// what to suggest for each. Edit distance is measured against these.
const STEP_KEYS: &[(&str, Hint)] = &[
    ("name", NAME),
    ("type", TYPE),
    ("reps", REPS),
    ("steps", STEPS),
    ("durationseconds", DURATION),
    ("distancemeters", DISTANCE),
    ("intensitymin", INTENSITY_MIN),
    ("intensitymax", INTENSITY_MAX),
    ("intensitystart", INTENSITY_START),
    ("intensityend", INTENSITY_END),
    ("cadencemin", CADENCE_MIN),
    ("cadencemax", CADENCE_MAX),
    ("intensityclass", CLASS),
    ("stepscount", STEPS_COUNT),
    ("openduration", OPEN),
    // Long synonyms, so that their typos are caught too ("repetions").
    ("repetitions", REPS),
    ("duration", DURATION),
    ("distance", DISTANCE),
    ("cadence", CADENCE_PAIR),
    ("intensity", INTENSITY_PAIR),
];

/// The keys a friendly root accepts, normalised.
const ROOT_KEYS: &[(&str, Hint)] = &[
    ("steps", STEPS),
    ("primaryintensitymetric", METRIC),
    ("visualizationdistanceunit", VIS_UNIT),
];

/// Lower-case ASCII letters and digits only: `Duration_Seconds`, `durationSeconds` and
/// `duration-seconds` all become `durationseconds`. Capped so that a huge key costs nothing.
fn normalise(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .take(48)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Words assistants use for an accepted key (normalised input).
fn synonym(n: &str, role: Role) -> Option<Hint> {
    let ramp = role == Role::Ramp;
    Some(match n {
        "repeat" | "repeats" | "repetition" | "repetitions" | "repeated" | "times" | "rep"
        | "sets" | "set" | "rounds" | "iterations" | "loops" | "repeatcount" | "repcount"
        | "numreps" | "nreps" | "numberofreps" | "repetitioncount" | "numrepetitions" | "x" => REPS,
        "count" | "number" | "num" | "n" if ramp => STEPS_COUNT,
        "count" | "number" | "num" | "n" => REPS,
        "duration" | "durations" | "seconds" | "second" | "secs" | "sec" | "s" | "time" | "dur"
        | "durationsec" | "durationsecs" | "durationsecond" | "durationins"
        | "durationinseconds" | "lengthseconds" | "timeseconds" | "timesec" | "timesecs" => {
            DURATION
        }
        "minutes" | "minute" | "mins" | "durationminutes" | "durationmin" | "durationmins"
        | "timeminutes" | "hours" | "hour" | "durationhours" | "durationms" | "milliseconds" => {
            DURATION_UNIT
        }
        "distance" | "dist" | "meters" | "metres" | "meter" | "metre" | "m" | "distancem"
        | "distancemeter" | "distancemetres" | "distancemetre" | "lengthmeters" => DISTANCE,
        "km" | "kilometers" | "kilometres" | "distancekm" | "miles" | "mile" | "distancemiles"
        | "yards" | "yd" | "distanceyards" => DISTANCE_UNIT,
        "begin" | "start" | "from" | "startintensity" | "intensityfrom" | "intensitybegin"
            if ramp =>
        {
            INTENSITY_START
        }
        "end" | "finish" | "to" | "endintensity" | "intensityto" | "intensityfinish" if ramp => {
            INTENSITY_END
        }
        "start" | "from" | "startintensity" | "intensityfrom" | "intensitybegin" => INTENSITY_START,
        "finish" | "to" | "endintensity" | "intensityto" | "intensityfinish" => INTENSITY_END,
        "min" | "minimum" | "low" | "lo" | "lower" | "intensitylow" | "intensitylower"
        | "minintensity" | "targetmin" | "mintarget" | "intensityminimum" | "powermin"
        | "hrmin" | "pacemin" | "ftpmin" | "percentmin" | "minpercent" => INTENSITY_MIN,
        "max" | "maximum" | "high" | "hi" | "upper" | "intensityhigh" | "intensityupper"
        | "maxintensity" | "targetmax" | "maxtarget" | "intensitymaximum" | "powermax"
        | "hrmax" | "pacemax" | "ftpmax" | "percentmax" | "maxpercent" => INTENSITY_MAX,
        "intensity" | "intensities" | "target" | "intensityrange" | "range" | "power" | "watts"
        | "hr" | "heartrate" | "pace" | "ftp" | "percent" | "percentftp" | "zone" | "effort"
            if ramp =>
        {
            RAMP_PAIR
        }
        "intensity" | "intensities" | "target" | "intensityrange" | "range" | "power" | "watts"
        | "hr" | "heartrate" | "pace" | "ftp" | "percent" | "percentftp" | "zone" | "effort" => {
            INTENSITY_PAIR
        }
        "cadence" | "cad" | "rpm" | "cadencetarget" | "cadencerange" | "strokerate" | "spm" => {
            CADENCE_PAIR
        }
        "cadencelow" | "cadencelower" | "mincadence" | "cadenceminimum" | "rpmmin" => CADENCE_MIN,
        "cadencehigh" | "cadenceupper" | "maxcadence" | "cadencemaximum" | "rpmmax" => CADENCE_MAX,
        "class" | "intensitycls" | "stepclass" | "category" | "intensitycategory" | "phase"
        | "intensitytype" => CLASS,
        "kind" | "blocktype" | "steptype" => TYPE,
        "substeps" | "parts" | "stairs" | "stepcount" | "numsteps" | "nsteps" | "numberofsteps"
        | "rampsteps" | "divisions" | "stepsnumber"
            if ramp =>
        {
            STEPS_COUNT
        }
        "stepcount" | "numsteps" | "nsteps" | "numberofsteps" | "rampsteps" | "stairs"
        | "divisions" | "stepsnumber" => STEPS_COUNT,
        "step" | "interval" | "intervals" | "children" | "blocks" | "block" | "innersteps"
        | "items" | "segments" | "substeps" | "parts" | "efforts" => STEPS,
        "open" | "openended" | "isopen" | "lap" | "lapbutton" | "untillap" | "manual"
        | "manuallap" => OPEN,
        "title" | "label" | "stepname" => NAME,
        _ => return None,
    })
}

/// Words for a root key (normalised input).
fn root_synonym(n: &str) -> Option<Hint> {
    Some(match n {
        "metric" | "intensitymetric" | "primarymetric" | "primaryintensity" | "targetmetric" => {
            METRIC
        }
        "step" | "intervals" | "interval" | "blocks" | "workout" | "segments" | "items" => STEPS,
        _ => return None,
    })
}

/// Optimal-string-alignment distance (an adjacent swap counts as one edit), or `None` when it
/// exceeds `max`. Classic dynamic programming over three rolling rows (the row before last is
/// for swaps); the inputs are short keys on the error path.
fn distance(a: &[u8], b: &[u8], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut older: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    let mut cur: Vec<usize> = vec![0; b.len() + 1];
    let mut prev_a: Option<u8> = None;
    for (i, &ca) in a.iter().enumerate() {
        cur.fill(0);
        if let Some(first) = cur.first_mut() {
            *first = i + 1;
        }
        let mut prev_b: Option<u8> = None;
        for (j, &cb) in b.iter().enumerate() {
            let at = |row: &[usize], k: usize| row.get(k).copied().unwrap_or(usize::MAX / 2);
            let cost = usize::from(ca != cb);
            let mut d = (at(&last, j) + cost)
                .min(at(&last, j + 1) + 1)
                .min(at(&cur, j) + 1);
            if prev_a == Some(cb) && prev_b == Some(ca) && j > 0 {
                d = d.min(at(&older, j - 1) + 1);
            }
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = d;
            }
            prev_b = Some(cb);
        }
        // older ← last, last ← cur (cur is cleared at the top of the next row).
        std::mem::swap(&mut older, &mut last);
        std::mem::swap(&mut last, &mut cur);
        prev_a = Some(ca);
    }
    let d = last.get(b.len()).copied()?;
    (d <= max).then_some(d)
}

/// How many edits still read as a typo of a word this long.
fn max_edits(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=5 => 1,
        6..=9 => 2,
        _ => 3,
    }
}

/// The closest accepted key within [`max_edits`], the first in table order on a tie.
fn nearest(n: &str, table: &[(&str, Hint)]) -> Option<Hint> {
    let limit = max_edits(n.len());
    let mut best: Option<(usize, Hint)> = None;
    for &(k, h) in table {
        let allowed = limit.min(max_edits(k.len()));
        if let Some(d) = distance(n.as_bytes(), k.as_bytes(), allowed)
            && best.is_none_or(|(b, _)| d < b)
        {
            best = Some((d, h));
        }
    }
    best.map(|(_, h)| h)
}

/// The suggestion for an unknown key, if one is likely.
fn suggest(key: &str, role: Role) -> Option<Hint> {
    let n = normalise(key);
    if n.is_empty() {
        return None;
    }
    let table = if role == Role::Root {
        ROOT_KEYS
    } else {
        STEP_KEYS
    };
    // Synonyms first: they know the role (the table's long synonyms do not).
    let by_word = if role == Role::Root {
        root_synonym(&n)
    } else {
        synonym(&n, role)
    };
    by_word
        .or_else(|| table.iter().find(|(k, _)| *k == n).map(|&(_, h)| h))
        .or_else(|| nearest(&n, table))
}

/// Whether an unknown key has a likely meaning (used where the format itself is unclear).
pub(crate) fn has_suggestion(key: &str, role: Role) -> bool {
    special(key, role).is_some() || suggest(key, role).is_some()
}

/// Keys with a fixed answer rather than a did-you-mean.
fn special(key: &str, role: Role) -> Option<&'static str> {
    let n = normalise(key);
    Some(match (role, n.as_str()) {
        (Role::Root, "polyline" | "primarylengthmetric" | "primaryintensitytargetorrange") => {
            "is computed from the steps; remove it (primaryLengthMetric follows duration_seconds \
             or distance_meters)."
        }
        (
            Role::Root,
            "name" | "title" | "description" | "notes" | "sport" | "date" | "workoutday" | "tags",
        ) => {
            "belongs on the workout (the tool's own argument, e.g. title or description), not \
             inside the structure."
        }
        (Role::Step | Role::Repetition, "begin" | "end") => {
            "is computed by the compiler (block offsets); remove it."
        }
        (
            _,
            "description" | "notes" | "note" | "comment" | "comments" | "instructions" | "text"
            | "cue" | "details",
        ) => {
            "TrainingPeaks steps have no notes or description field, so it would be lost; put a \
             short cue in \"name\" (or longer text in the workout's description)."
        }
        (
            Role::Step | Role::Repetition,
            "rest" | "recovery" | "restseconds" | "recoveryseconds" | "restduration" | "off",
        ) => {
            "unknown key; write the rest as its own step, e.g. {\"duration_seconds\": 60, \
             \"intensity_min\": 40, \"intensity_max\": 55, \"intensityClass\": \"rest\"}."
        }
        _ => return None,
    })
}

/// What a friendly object of this role accepts, for messages without a suggestion.
fn accepted(role: Role) -> &'static str {
    match role {
        Role::Root => {
            "a friendly structure takes \"steps\", \"primaryIntensityMetric\" and \
             \"visualizationDistanceUnit\""
        }
        Role::Step => {
            "a step takes name, type \"step\", duration_seconds or distance_meters, \
             intensity_min and intensity_max, cadence_min and cadence_max, intensityClass and \
             open_duration"
        }
        Role::Repetition => {
            "a repetition takes type \"repetition\", reps, steps and name; targets go on its \
             inner steps"
        }
        Role::Ramp => {
            "a ramp takes type \"rampUp\", \"rampDown\" or \"ramp\", intensity_start and \
             intensity_end, duration_seconds or distance_meters, steps_count, cadence_min and \
             cadence_max, intensityClass and name"
        }
    }
}

/// The message (without the path) for an unknown key on a friendly object.
pub(crate) fn unknown_key_message(key: &str, role: Role) -> String {
    if let Some(m) = special(key, role) {
        return m.to_owned();
    }
    match suggest(key, role) {
        Some(h) => format!("unknown key; did you mean {}?{}", h.keys, h.note),
        None => format!(
            "unknown key (the friendly format accepts only its own keys); {}.",
            accepted(role)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance() {
        let d = |a: &str, b: &str| distance(a.as_bytes(), b.as_bytes(), 10);
        assert_eq!(d("reps", "reps"), Some(0));
        assert_eq!(d("rep", "reps"), Some(1));
        assert_eq!(d("tpye", "type"), Some(1), "a swap is one edit");
        assert_eq!(d("kitten", "sitting"), Some(3));
        assert_eq!(d("", "abc"), Some(3));
        assert_eq!(distance(b"abcdef", b"uvwxyz", 2), None);
        assert_eq!(distance(b"a", b"abcdef", 2), None);
    }

    #[test]
    fn suggestions() {
        let cases: &[(&str, Role, Option<&str>)] = &[
            ("repeat", Role::Repetition, Some("\"reps\"")),
            ("Repetitions", Role::Repetition, Some("\"reps\"")),
            ("repetions", Role::Repetition, Some("\"reps\"")),
            ("count", Role::Repetition, Some("\"reps\"")),
            ("count", Role::Ramp, Some("\"steps_count\"")),
            ("durationSeconds", Role::Step, Some("\"duration_seconds\"")),
            ("duraton_seconds", Role::Step, Some("\"duration_seconds\"")),
            ("duration_s", Role::Step, Some("\"duration_seconds\"")),
            ("distance_m", Role::Step, Some("\"distance_meters\"")),
            ("distance_metres", Role::Step, Some("\"distance_meters\"")),
            ("Intensity-Min", Role::Step, Some("\"intensity_min\"")),
            ("intesity_max", Role::Step, Some("\"intensity_max\"")),
            ("low", Role::Step, Some("\"intensity_min\"")),
            (
                "intensity",
                Role::Ramp,
                Some("\"intensity_start\" and \"intensity_end\""),
            ),
            (
                "cadence",
                Role::Step,
                Some("\"cadence_min\" and \"cadence_max\""),
            ),
            ("intensityclas", Role::Step, Some("\"intensityClass\"")),
            ("class", Role::Step, Some("\"intensityClass\"")),
            ("tpye", Role::Step, Some("\"type\"")),
            ("setps", Role::Repetition, Some("\"steps\"")),
            ("stepsCount", Role::Ramp, Some("\"steps_count\"")),
            ("end", Role::Ramp, Some("\"intensity_end\"")),
            ("OpenDuration", Role::Step, Some("\"open_duration\"")),
            ("metric", Role::Root, Some("\"primaryIntensityMetric\"")),
            (
                "primaryIntensityMetrc",
                Role::Root,
                Some("\"primaryIntensityMetric\""),
            ),
            ("foo", Role::Step, None),
            ("zzzzzzzz", Role::Step, None),
            ("", Role::Step, None),
        ];
        for &(key, role, want) in cases {
            assert_eq!(
                suggest(key, role).map(|h| h.keys),
                want,
                "{key} on {role:?}"
            );
        }
    }

    #[test]
    fn messages() {
        assert_eq!(
            unknown_key_message("repeat", Role::Repetition),
            "unknown key; did you mean \"reps\"? (the number of times the repetition's steps \
             repeat)"
        );
        let m = unknown_key_message("foo", Role::Step);
        assert!(
            m.starts_with("unknown key (the friendly format accepts only its own keys); a step takes name, type \"step\", duration_seconds"),
            "{m}"
        );
        assert!(unknown_key_message("notes", Role::Step).contains("no notes"));
        assert!(unknown_key_message("begin", Role::Step).contains("computed"));
        assert!(unknown_key_message("polyline", Role::Root).contains("computed"));
        assert!(unknown_key_message("title", Role::Root).contains("belongs on the workout"));
        assert!(unknown_key_message("rest", Role::Repetition).contains("its own step"));
        // Very long keys are cheap and get the list.
        assert!(unknown_key_message(&"q".repeat(10_000), Role::Ramp).contains("a ramp takes"));
    }
}
