//! Goal lists.

use super::*;

#[test]
fn goal_list_create_and_delete() {
    let e = env();
    let out = e.ok(
        "create_goal_list",
        json!({"date": day(84), "title": "Race goals", "goals": ["Sub 5:15", "Run the whole half"]}),
    );
    let id = out.structured["goal_list_id"].as_i64().unwrap();
    assert_eq!(
        out.structured["goals"],
        json!(["Sub 5:15", "Run the whole half"])
    );
    assert!(
        out.text.contains("1. Sub 5:15\n2. Run the whole half"),
        "{}",
        out.text
    );
    let stored = e.stored("goal_lists", id).unwrap();
    assert_eq!(stored["isFuture"], true);
    assert_eq!(stored["goals"][1]["goalListId"], id);

    let out = e.ok("delete_goal_list", json!({"goal_list_id": id}));
    assert_eq!(out.structured["deleted"], true);
    let msg = not_found_message(e.call("delete_goal_list", json!({"goal_list_id": id})));
    assert!(
        msg.contains(&format!("Goal list {id} for athlete")),
        "{msg}"
    );

    // The seeded list can be deleted too.
    let seeded = e.id_where("goal_lists", "title", "2027 season goals");
    e.ok("delete_goal_list", json!({"goal_list_id": seeded}));

    let cases = [
        (
            "no goals",
            json!({"date": day(1), "title": "t", "goals": []}),
            "goals",
        ),
        (
            "blank goal",
            json!({"date": day(1), "title": "t", "goals": ["a", " "]}),
            "goals[1]",
        ),
        (
            "blank title",
            json!({"date": day(1), "title": "", "goals": ["a"]}),
            "title",
        ),
        (
            "bad date",
            json!({"date": "soon", "title": "t", "goals": ["a"]}),
            "date",
        ),
    ];
    for (name, args, field) in cases {
        assert_eq!(
            invalid_field(e.call("create_goal_list", args)),
            field,
            "{name}"
        );
    }
}
