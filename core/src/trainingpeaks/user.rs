//! The signed-in user (`GET /users/v3/user` → `user`, spec §2.4) as a wire struct.

use serde::{Deserialize, Serialize};

use crate::wire::{Field, Rest, text};

/// The `user` object of `/users/v3/user`. Only `userId` is vital (every athlete path needs
/// it); everything else reads as unknown when it drifts.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct User {
    /// The athlete id used in every athlete path.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub user_id: Field<i64>,
    /// The person id (differs from `userId` for some coach accounts).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub person_id: Field<i64>,
    /// Display name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub full_name: Field<String>,
    /// First name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub first_name: Field<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub last_name: Field<String>,
    /// E-mail address.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub email: Field<String>,
    /// IANA time zone.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub time_zone: Field<String>,
    /// Account type code.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub user_type: Field<i64>,
    /// `settings.account.isPremium` and the rest of the settings.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub settings: Field<UserSettings>,
    /// A coach's roster.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub athletes: Field<Vec<RosterEntry>>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// `user.settings`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UserSettings {
    /// `settings.account`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub account: Field<AccountSettings>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// `user.settings.account`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AccountSettings {
    /// Whether the account is premium.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub is_premium: Field<bool>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One entry of a coach's `user.athletes[]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RosterEntry {
    /// The athlete id (vital: an entry without one is not listed).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub athlete_id: Field<i64>,
    /// First name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub first_name: Field<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub last_name: Field<String>,
    /// E-mail address.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub email: Field<String>,
    /// The coach's person id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub coached_by: Field<i64>,
    /// Account type code.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub user_type: Field<i64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(User, UserSettings, AccountSettings, RosterEntry);

impl User {
    /// The display name: `fullName`, else first and last name joined (may be empty).
    pub fn name(&self) -> String {
        text(&self.full_name).unwrap_or_else(|| {
            [text(&self.first_name), text(&self.last_name)]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        })
    }

    /// The e-mail, if non-empty.
    pub fn email(&self) -> Option<String> {
        text(&self.email)
    }

    /// The first name, if non-empty.
    pub fn first_name(&self) -> Option<String> {
        text(&self.first_name)
    }

    /// The last name, if non-empty.
    pub fn last_name(&self) -> Option<String> {
        text(&self.last_name)
    }

    /// The time zone, if non-empty.
    pub fn time_zone(&self) -> Option<String> {
        text(&self.time_zone)
    }

    /// Whether the account is premium (unknown reads as no).
    pub fn is_premium(&self) -> bool {
        self.settings
            .get()
            .and_then(|s| s.account.get())
            .and_then(|a| a.is_premium.val())
            .unwrap_or(false)
    }

    /// The roster entries (empty for a plain athlete).
    pub fn roster(&self) -> &[RosterEntry] {
        self.athletes.get().map_or(&[], Vec::as_slice)
    }
}

impl RosterEntry {
    /// The first name, if non-empty.
    pub fn first_name(&self) -> Option<String> {
        text(&self.first_name)
    }
    /// The last name, if non-empty.
    pub fn last_name(&self) -> Option<String> {
        text(&self.last_name)
    }
    /// The e-mail, if non-empty.
    pub fn email(&self) -> Option<String> {
        text(&self.email)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn drifted_user_reads_and_round_trips() {
        let raw = json!({"userId": "4812345", "personId": 9.0, "fullName": null,
            "firstName": "Alex", "lastName": "Rivera", "settings": {"account": {"isPremium": "true"}, "x": 1},
            "athletes": [{"athleteId": "7", "firstName": "B"}, "junk"], "brandNew": {"a": [1]}});
        let u: User = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(u.user_id.val(), Some(4_812_345));
        assert_eq!(u.person_id.val(), Some(9));
        assert_eq!(u.name(), "Alex Rivera");
        assert!(u.is_premium());
        assert_eq!(u.roster().len(), 1);
        assert_eq!(u.roster()[0].athlete_id.val(), Some(7));
        let back = serde_json::to_value(&u).unwrap();
        assert_eq!(back["brandNew"], raw["brandNew"]);
        assert_eq!(back["settings"]["x"], json!(1));
    }
}
