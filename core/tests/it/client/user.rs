//! The user, the athlete id and the roster.

use super::*;

#[test]
fn user_is_fetched_once_and_cached() {
    let h = with_data(|_, _| ok(athlete_user()));
    let u = block_on(h.client.user()).unwrap();
    assert_eq!(u.user_id.val(), Some(1234));
    assert_eq!(block_on(h.client.user()).unwrap(), u);
    assert_eq!(
        block_on(h.client.athlete_id(None)).unwrap(),
        1234,
        "user.userId"
    );
    assert_eq!(h.count(Method::Get, USER), 1);
    h.client.clear_session();
    block_on(h.client.user()).unwrap();
    assert_eq!(
        h.count(Method::Get, USER),
        2,
        "clear_session forgets the user"
    );
}

#[test]
fn athlete_id_given_explicitly() {
    let h = with_data(|_, _| ok(athlete_user()));
    assert_eq!(block_on(h.client.athlete_id(Some(42))).unwrap(), 42);
    for bad in [0, -1, i64::MIN] {
        match block_on(h.client.athlete_id(Some(bad))) {
            Err(TpError::InvalidInput { field, message }) => {
                assert_eq!(field, "athlete_id");
                assert!(message.contains(&bad.to_string()), "{message}");
            }
            other => panic!("{bad}: {other:?}"),
        }
    }
    assert_eq!(h.total(), 0, "an explicit id needs no request");
}

#[test]
fn user_without_an_id_names_the_field_and_what_was_seen() {
    let h = with_data(|_, _| ok(json!({"user": {"firstName": "A", "userId": "abc"}})));
    let err = block_on(h.client.athlete_id(None)).unwrap_err();
    assert!(
        matches!(&err, TpError::MissingField(m) if m.field == "userId" && m.seen == "\"abc\""),
        "{err:?}"
    );
    assert!(err.to_string().contains("`userId`"), "{err}");
    let h = with_data(|_, _| ok(json!({"nope": 1})));
    assert!(matches!(
        block_on(h.client.user()),
        Err(TpError::MissingField(_))
    ));
}

#[test]
fn a_coach_lists_the_roster() {
    let h = with_data(|_, _| {
        ok(
            json!({"user": {"userId": 10, "personId": 11, "firstName": "Coach",
            "athletes": [
                {"athleteId": 501, "firstName": "Ann", "lastName": "A", "email": "ann@x.org",
                 "coachedBy": 11, "userType": 4, "athleteType": 1},
                {"athleteId": 502, "firstName": "Bob", "lastName": "", "userType": 6},
                {"athleteId": 10, "firstName": "Coach", "coachedBy": 11}
            ]}}),
        )
    });
    let got = block_on(h.client.athletes()).unwrap();
    let want = vec![
        AthleteSummary {
            athlete_id: 501,
            first_name: Some("Ann".into()),
            last_name: Some("A".into()),
            email: Some("ann@x.org".into()),
            coached_by: Some(11),
            user_type: Some(4),
            is_self: false,
        },
        AthleteSummary {
            athlete_id: 502,
            first_name: Some("Bob".into()),
            last_name: None,
            email: None,
            coached_by: None,
            user_type: Some(6),
            is_self: false,
        },
        AthleteSummary {
            athlete_id: 10,
            first_name: Some("Coach".into()),
            last_name: None,
            email: None,
            coached_by: Some(11),
            user_type: None,
            is_self: true,
        },
    ];
    assert_eq!(got, want);
    // Serialises with snake_case keys for tool output.
    let v = serde_json::to_value(&got[0]).unwrap();
    assert_eq!(v["athlete_id"], 501);
    assert_eq!(v["coached_by"], 11);
}

#[test]
fn a_plain_athlete_lists_themselves() {
    for roster in [json!([]), Value::Null] {
        let user = {
            let mut u = athlete_user();
            u["user"]["athletes"] = roster.clone();
            u
        };
        let h = with_data(move |_, _| ok(user.clone()));
        let got = block_on(h.client.athletes()).unwrap();
        assert_eq!(
            got,
            vec![AthleteSummary {
                athlete_id: 1234,
                first_name: Some("Ada".into()),
                last_name: Some("Lovelace".into()),
                email: Some("ada@example.com".into()),
                coached_by: None,
                user_type: Some(4),
                is_self: true,
            }],
            "roster {roster}"
        );
    }
}

#[test]
fn a_roster_entry_without_an_id_is_skipped_and_the_rest_listed() {
    let h = with_data(|_, _| {
        ok(
            json!({"user": {"userId": 1, "athletes": [{"athleteId": "2"}, {}, {"athleteId": 3.0}, 7]}}),
        )
    });
    let ids: Vec<i64> = block_on(h.client.athletes())
        .unwrap()
        .iter()
        .map(|a| a.athlete_id)
        .collect();
    assert_eq!(ids, [2, 3]);
}
