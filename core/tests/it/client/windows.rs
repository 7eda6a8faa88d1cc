//! Range chunking.

use super::*;

#[test]
fn fetch_windows_runs_every_window_and_keeps_date_order() {
    let h = with_data(|req, _| {
        // `/w/{start}/{end}` → [start, end]
        let parts: Vec<&str> = req.path_and_query().split('/').collect();
        ok(json!([parts[2], parts[3]]))
    });
    let client = &h.client;
    let got =
        block_on(
            client.fetch_windows(d("2025-01-01"), d("2025-12-31"), 90, |a, b| async move {
                client
                    .get::<Vec<String>>(Api::Tp, &format!("/w/{a}/{b}"))
                    .await
            }),
        )
        .unwrap();
    let flat: Vec<String> = got.into_iter().flatten().collect();
    assert_eq!(
        flat,
        [
            "2025-01-01",
            "2025-03-31",
            "2025-04-01",
            "2025-06-29",
            "2025-06-30",
            "2025-09-27",
            "2025-09-28",
            "2025-12-26",
            "2025-12-27",
            "2025-12-31"
        ]
    );
    assert_eq!(
        h.total(),
        1 + 5,
        "one token exchange shared by five windows"
    );
}

#[test]
fn fetch_windows_rejects_a_reversed_range_before_any_request() {
    let h = with_data(|_, _| ok(json!(1)));
    let client = &h.client;
    let err = block_on(
        client.fetch_windows(d("2026-03-02"), d("2026-03-01"), 90, |_, _| async {
            client.get_json(Api::Tp, "/x").await
        }),
    )
    .unwrap_err();
    assert!(
        matches!(&err, TpError::InvalidInput { field, .. } if field == "end_date"),
        "{err:?}"
    );
    assert_eq!(h.total(), 0);
}

#[test]
fn fetch_windows_fails_if_any_window_fails() {
    let h = with_data(|req, _| {
        if req.path_and_query().starts_with("/w/2026-04") {
            status(404)
        } else {
            ok(json!([]))
        }
    });
    let client = &h.client;
    let err = block_on(client.fetch_windows(
        d("2026-01-01"),
        d("2026-06-30"),
        90,
        |a, b| async move { client.get_json(Api::Tp, &format!("/w/{a}/{b}")).await },
    ))
    .unwrap_err();
    assert!(matches!(err, TpError::NotFound { .. }), "{err:?}");
}
