//! Bounded outputs: no tool result's `structuredContent` is larger than [`MAX_STRUCTURED_BYTES`]
//! (issue 12, "Bounded outputs").
//!
//! A year of workouts is hundreds of kilobytes, more than a model's context should take in one
//! answer. Every tool's result passes through [`bound`] on its way out: a result over the limit
//! keeps the first items of its longest list that fit, says how many it left out, and, when the
//! items are dated, gives the date to continue from (`next_start_date`), so the model pages by
//! date window with the tool's own `start_date` argument. The text says the same in words.
//!
//! Why here and not in each tool: the limit then holds for every tool, including the ones added
//! later, and a tool that pages or summarises by itself never reaches it.

use serde_json::{Map, Value, json};

/// The largest `structuredContent` a tool returns, in bytes of compact JSON.
pub const MAX_STRUCTURED_BYTES: usize = 64 * 1024;

/// Room kept for the `truncated` object and the rest of the result.
const MARGIN: usize = 1024;

/// The keys an item's date is read from, in order of preference.
const DATE_KEYS: &[&str] = &[
    "date",
    "workout_day",
    "start_date",
    "start_date_local",
    "day",
    "id_date",
];

fn size(v: &Value) -> usize {
    serde_json::to_vec(v).map_or(usize::MAX, |b| b.len())
}

/// The path (one or two object keys deep) and length of the largest array in `v`.
fn largest_array(v: &Value) -> Option<(Vec<String>, usize)> {
    let obj = v.as_object()?;
    let mut best: Option<(Vec<String>, usize, usize)> = None;
    let mut consider = |path: Vec<String>, arr: &Vec<Value>| {
        let s = arr.iter().map(size).sum::<usize>();
        if best.as_ref().is_none_or(|b| s > b.2) {
            best = Some((path, arr.len(), s));
        }
    };
    for (k, child) in obj {
        match child {
            Value::Array(a) => consider(vec![k.clone()], a),
            Value::Object(inner) => {
                for (k2, c2) in inner {
                    if let Value::Array(a) = c2 {
                        consider(vec![k.clone(), k2.clone()], a);
                    }
                }
            }
            _ => {}
        }
    }
    best.map(|(p, n, _)| (p, n))
}

fn array_at<'a>(v: &'a mut Value, path: &[String]) -> Option<&'a mut Vec<Value>> {
    let mut cur = v;
    for k in path {
        cur = cur.get_mut(k.as_str())?;
    }
    cur.as_array_mut()
}

/// The `YYYY-MM-DD` date of an item, if it has one.
fn item_date(item: &Value) -> Option<String> {
    let obj = item.as_object()?;
    DATE_KEYS.iter().find_map(|k| {
        let s = obj.get(*k)?.as_str()?;
        let d = s.get(..10)?;
        chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .ok()
            .map(|_| d.to_string())
    })
}

/// Cuts `structured` to at most `limit` bytes (see the module docs) and appends a note to
/// `text` when it did. Results within the limit are left untouched.
pub fn bound(structured: &mut Value, text: &mut String, limit: usize) {
    let total_size = size(structured);
    if total_size <= limit {
        return;
    }
    let Some((path, total)) = largest_array(structured) else {
        return;
    };
    let Some(items) = array_at(structured, &path) else {
        return;
    };
    let taken = std::mem::take(items);
    let others = total_size - taken.iter().map(size).sum::<usize>() - taken.len();
    let budget = limit.saturating_sub(others + MARGIN);
    let mut used = 0usize;
    let mut keep = 0usize;
    for item in &taken {
        let s = size(item) + 1;
        if used + s > budget {
            break;
        }
        used += s;
        keep += 1;
    }
    let next = taken.get(keep).and_then(item_date);
    // A date window can only continue from a day the kept items do not reach into; if the
    // first left-out item shares its day with a kept one, drop that day's kept items too.
    if let Some(d) = &next {
        while keep > 1 && taken.get(keep - 1).and_then(item_date).as_deref() == Some(d) {
            keep -= 1;
        }
    }
    let field = path.join(".");
    let mut info = Map::new();
    info.insert("field".into(), json!(field));
    info.insert("returned".into(), json!(keep));
    info.insert("total".into(), json!(total));
    info.insert("limit_bytes".into(), json!(limit));
    if let Some(d) = &next {
        info.insert("next_start_date".into(), json!(d));
    }
    let mut taken = taken;
    taken.truncate(keep);
    if let Some(items) = array_at(structured, &path) {
        *items = taken;
    }
    if let Some(obj) = structured.as_object_mut() {
        obj.insert("truncated".into(), Value::Object(info));
    }
    let how = match &next {
        Some(d) => format!("call again with start_date {d} for the rest"),
        None => "narrow the request (a shorter date range or fewer items) for the rest".into(),
    };
    text.push_str(&format!(
        "\n[Showing {keep} of {total} {field}: the full result is over {} KB; {how}.]",
        limit / 1024
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workouts(n: usize, per_day: usize) -> Value {
        let items: Vec<Value> = (0..n)
            .map(|i| {
                let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
                    + chrono::Days::new((i / per_day) as u64);
                json!({"id": i, "date": day.to_string(), "title": "x".repeat(200)})
            })
            .collect();
        json!({"count": n, "workouts": items})
    }

    #[test]
    fn small_results_are_untouched() {
        let mut v = workouts(3, 1);
        let before = v.clone();
        let mut text = "three".to_string();
        bound(&mut v, &mut text, MAX_STRUCTURED_BYTES);
        assert_eq!(v, before);
        assert_eq!(text, "three");
    }

    #[test]
    fn a_long_dated_list_is_cut_and_says_where_to_continue() {
        let mut v = workouts(1000, 1);
        let mut text = String::new();
        bound(&mut v, &mut text, MAX_STRUCTURED_BYTES);
        assert!(size(&v) <= MAX_STRUCTURED_BYTES, "{}", size(&v));
        let kept = v["workouts"].as_array().unwrap().len();
        assert!(kept > 100 && kept < 1000, "{kept}");
        let t = &v["truncated"];
        assert_eq!(t["returned"], kept);
        assert_eq!(t["total"], 1000);
        assert_eq!(t["field"], "workouts");
        // The next page starts the day after the last kept item.
        let last = v["workouts"][kept - 1]["date"]
            .as_str()
            .unwrap()
            .to_string();
        let next = t["next_start_date"].as_str().unwrap();
        assert!(next > last.as_str(), "{next} after {last}");
        assert!(text.contains(&format!("start_date {next}")), "{text}");
        assert!(
            text.contains(&format!("Showing {kept} of 1000 workouts")),
            "{text}"
        );
        assert_eq!(v["count"], 1000, "other fields are kept");
    }

    #[test]
    fn a_day_is_never_split_across_pages() {
        let mut v = workouts(1000, 4);
        let mut text = String::new();
        bound(&mut v, &mut text, MAX_STRUCTURED_BYTES);
        let kept = v["workouts"].as_array().unwrap();
        let next = v["truncated"]["next_start_date"].as_str().unwrap();
        assert!(kept.iter().all(|w| w["date"].as_str().unwrap() < next));
        assert_eq!(kept.len() % 4, 0, "whole days only: {}", kept.len());
    }

    #[test]
    fn undated_and_nested_lists_say_to_narrow() {
        let items: Vec<Value> = (0..2000)
            .map(|i| json!({"n": i, "pad": "y".repeat(100)}))
            .collect();
        let mut v = json!({"library": {"name": "L", "items": items}});
        let mut text = String::new();
        bound(&mut v, &mut text, MAX_STRUCTURED_BYTES);
        assert!(size(&v) <= MAX_STRUCTURED_BYTES);
        assert_eq!(v["truncated"]["field"], "library.items");
        assert!(v["truncated"].get("next_start_date").is_none());
        assert!(text.contains("narrow the request"), "{text}");
        assert_eq!(v["library"]["name"], "L");
    }
}
