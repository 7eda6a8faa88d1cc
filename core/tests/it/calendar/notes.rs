//! Notes and their comments.

use super::*;

#[test]
fn get_note_and_comments() {
    let e = env();
    let id = e.id_where("notes", "title", "Coach check-in");
    let out = e.ok("get_note", json!({"note_id": id}));
    assert_eq!(out.structured["note"]["title"], "Coach check-in");
    assert_eq!(out.structured["note"]["date"], day(-3));
    assert_eq!(out.structured["note"]["comment_count"], 2);
    assert!(out.text.contains(&format!("ID: {id}")), "{}", out.text);

    let out = e.ok("get_note_comments", json!({"note_id": id}));
    let cs = out.structured["comments"].as_array().unwrap();
    assert_eq!(cs.len(), 2);
    assert_eq!(cs[0]["author"], "Alex Rivera");
    assert_eq!(cs[1]["author"], "Jordan Lee");
    assert!(cs[1]["text"].as_str().unwrap().contains("Saturday"));
    assert!(out.text.contains("Jordan Lee"), "{}", out.text);

    let quiet = e.id_where("notes", "title", "Race recce");
    let out = e.ok("get_note_comments", json!({"note_id": quiet}));
    assert_eq!(out.structured["count"], 0);
    assert!(out.text.starts_with("No comments"), "{}", out.text);
}

#[test]
fn note_lifecycle_create_update_comment_delete() {
    let e = env();
    let out = e.ok(
        "create_note",
        json!({"date": day(2), "title": "Dentist", "description": "Morning, skip swim"}),
    );
    let id = out.structured["note"]["id"].as_i64().unwrap();
    assert_eq!(out.structured["note"]["date"], day(2));
    let created = e.stored("notes", id).unwrap();
    assert_eq!(created["athleteId"], AID);

    // Update only the title: the description and createdDate survive the full PUT.
    let out = e.ok(
        "update_note",
        json!({"note_id": id, "title": "Dentist 9:00"}),
    );
    assert_eq!(out.structured["note"]["title"], "Dentist 9:00");
    assert_eq!(out.structured["note"]["description"], "Morning, skip swim");
    let updated = e.stored("notes", id).unwrap();
    assert_eq!(updated["createdDate"], created["createdDate"]);
    assert_eq!(updated["description"], "Morning, skip swim");
    let out = e.ok("update_note", json!({"note_id": id, "date": day(4)}));
    assert_eq!(out.structured["note"]["date"], day(4));
    assert_eq!(out.structured["note"]["title"], "Dentist 9:00");

    let out = e.ok(
        "add_note_comment",
        json!({"note_id": id, "comment": "Moved to Thursday"}),
    );
    assert_eq!(out.structured["action"], "added");
    let cid = out.structured["comment_stream_id"].as_i64().unwrap();
    let out = e.ok(
        "add_note_comment",
        json!({"note_id": id, "comment": "Moved to Friday", "comment_stream_id": cid}),
    );
    assert_eq!(
        out.structured,
        json!({"note_id": id, "action": "updated", "comment_stream_id": cid})
    );
    let out = e.ok("get_note_comments", json!({"note_id": id}));
    assert_eq!(out.structured["count"], 1);
    assert_eq!(out.structured["comments"][0]["text"], "Moved to Friday");

    let out = e.ok("delete_note", json!({"note_id": id}));
    assert_eq!(out.structured["deleted"], true);
    assert!(e.stored("notes", id).is_none());
    not_found_message(e.call("get_note", json!({"note_id": id})));
}

#[test]
fn note_errors() {
    let e = env();
    let cases = [
        (
            "bad date",
            "create_note",
            json!({"date": "tomorrow", "title": "x"}),
            "date",
        ),
        (
            "blank title",
            "create_note",
            json!({"date": "2026-11-22", "title": ""}),
            "title",
        ),
        (
            "missing title",
            "create_note",
            json!({"date": "2026-11-22"}),
            "title",
        ),
        (
            "nothing to update",
            "update_note",
            json!({"note_id": 5}),
            "arguments",
        ),
        (
            "bad update date",
            "update_note",
            json!({"note_id": 5, "date": "2026-13-01"}),
            "date",
        ),
        (
            "blank comment",
            "add_note_comment",
            json!({"note_id": 5, "comment": " "}),
            "comment",
        ),
        (
            "bad stream id",
            "add_note_comment",
            json!({"note_id": 5, "comment": "x", "comment_stream_id": -1}),
            "comment_stream_id",
        ),
    ];
    for (name, tool, args, field) in cases {
        assert_eq!(invalid_field(e.call(tool, args)), field, "{name}");
    }
    for (tool, args) in [
        ("get_note", json!({"note_id": 12345})),
        ("update_note", json!({"note_id": 12345, "title": "x"})),
        ("get_note_comments", json!({"note_id": 12345})),
        (
            "add_note_comment",
            json!({"note_id": 12345, "comment": "x"}),
        ),
        ("delete_note", json!({"note_id": 12345})),
    ] {
        let msg = not_found_message(e.call(tool, args));
        assert!(
            msg.contains("Calendar note 12345 for athlete"),
            "{tool}: {msg}"
        );
    }
    let note = e.id_where("notes", "title", "Bike fit");
    let msg = not_found_message(e.call(
        "add_note_comment",
        json!({"note_id": note, "comment": "x", "comment_stream_id": 777}),
    ));
    assert!(msg.contains("Comment 777"), "{msg}");
}
