//! The safety switches of `paceline mcp`: `--read-only` and `--allow-writes`.
//!
//! With the browser backend a person is already in the loop: the extension has its own
//! read-only mode and confirmation window. `--sandbox` and `--direct` run tools in this
//! process, so without these switches nothing would stand between a model and the account.
//! Their rule for a tool that changes something (every tool not annotated read-only: creates,
//! updates, deletes):
//!
//! - `--read-only`: refused, whatever the backend (the browser backend refuses it here too,
//!   before anything reaches the browser).
//! - `--allow-writes`: run without asking.
//! - neither (the default for `--sandbox`/`--direct`): the person is asked through MCP
//!   elicitation when the client declared that it supports it (at `initialize` on 2025
//!   revisions, in each request's `_meta` on 2026-07-28, where the question travels as an
//!   `input_required` round trip); otherwise the call is refused with a message saying how to
//!   allow it.
//!
//! A dry run (`dry_run: true` on a tool that changes something) passes every policy: core runs it
//! on a context that can only read (`CheckedCall::run`), so it cannot change anything.
//!
//! `paceline call` has no such gate: it is run by a person who typed the tool and its
//! arguments, which is the confirmation.

use clap::Args;
use paceline_core::tools::Tool;
use paceline_core::tools::platform::Service;
use serde_json::Value;

use crate::backend::Backend;

/// The safety flags of `paceline mcp`.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct SafetyArgs {
    /// Run read-only tools only; every tool that changes TrainingPeaks or Intervals.icu is
    /// refused.
    #[arg(long, conflicts_with = "allow_writes")]
    pub read_only: bool,
    /// With --sandbox or --direct: run tools that change TrainingPeaks or Intervals.icu
    /// (create, update, delete) without asking. Without it the MCP client is asked to confirm each one, and a
    /// client that cannot ask gets a refusal.
    #[arg(long)]
    pub allow_writes: bool,
}

/// What happens to a call of a tool that changes something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WritePolicy {
    /// Refused (`--read-only`).
    ReadOnly,
    /// Asked through elicitation, refused when the client cannot ask.
    Ask,
    /// Run (`--allow-writes`, or the browser backend, whose extension asks on its own).
    Allow,
}

impl SafetyArgs {
    /// The policy for this backend, or why the flags do not fit it.
    pub fn policy(self, backend: Backend) -> Result<WritePolicy, String> {
        match (backend, self.read_only, self.allow_writes) {
            (_, true, _) => Ok(WritePolicy::ReadOnly),
            (Backend::Browser, false, true) => Err(
                "--allow-writes applies to --sandbox and --direct only; with the browser, the \
                 extension's own settings (read-only mode, confirmation window) decide"
                    .into(),
            ),
            (Backend::Browser, false, false) => Ok(WritePolicy::Allow),
            (_, false, true) => Ok(WritePolicy::Allow),
            (_, false, false) => Ok(WritePolicy::Ask),
        }
    }
}

/// The decision for one call, before it runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Run it.
    Run,
    /// Do not run it; the message says why and what to do.
    Refuse(String),
    /// Ask the person with this message first.
    Ask(String),
}

/// What a call acts on, as the person must be told: the tool, the name the client called it
/// by (`icu_delete_event` under `--platform all`, not the tool's own `delete_event`), and the
/// service it changes.
#[derive(Clone, Copy)]
pub struct Target<'a> {
    /// The tool.
    pub tool: &'a dyn Tool,
    /// The name it was called by.
    pub name: &'a str,
    /// The service it talks to.
    pub service: Service,
}

#[cfg(test)]
impl<'a> Target<'a> {
    /// A TrainingPeaks tool under its own name.
    pub fn trainingpeaks(tool: &'a dyn Tool) -> Self {
        Self {
            tool,
            name: tool.name(),
            service: Service::TrainingPeaks,
        }
    }
}

/// The service's name, for the person.
fn service_name(service: Service) -> &'static str {
    match service {
        Service::TrainingPeaks => "TrainingPeaks",
        Service::Intervals => "Intervals.icu",
    }
}

/// Decides what to do with a call of `target`. `can_ask`: the client supports form
/// elicitation.
pub fn gate(policy: WritePolicy, target: Target<'_>, args: &Value, can_ask: bool) -> Gate {
    if target.tool.annotations().read_only {
        return Gate::Run;
    }
    // A dry run can only read: core runs it on a context whose clients refuse every request
    // but a GET before it is sent (`CheckedCall::run`), here and in the extension alike, so
    // there is nothing to ask about or to refuse.
    if paceline_core::tools::is_dry_run(target.tool, args) {
        return Gate::Run;
    }
    let name = target.name;
    let service = service_name(target.service);
    match policy {
        WritePolicy::Allow => Gate::Run,
        WritePolicy::ReadOnly => Gate::Refuse(format!(
            "{name} changes {service}, and this Paceline server was started with --read-only, \
             so it was not run. Nothing was changed. To allow changes, remove --read-only from \
             the server's command line in the MCP client's configuration."
        )),
        WritePolicy::Ask if can_ask => Gate::Ask(confirmation_message(target, args)),
        WritePolicy::Ask => Gate::Refuse(format!(
            "{name} changes {service} and needs the person's confirmation, but this MCP client \
             cannot ask for it (it does not support elicitation), so it was not run. Nothing was \
             changed. To allow changes without asking, add --allow-writes to the server's command \
             line (e.g. `paceline mcp --direct --allow-writes`), or use --read-only to refuse them."
        )),
    }
}

/// The refusal when the person did not accept (`declined`: they said no; otherwise they
/// dismissed the question).
pub fn not_confirmed(tool: &str, declined: bool) -> String {
    if declined {
        format!("The person declined {tool}, so it was not run. Nothing was changed.")
    } else {
        format!(
            "The confirmation for {tool} was dismissed, so it was not run. Nothing was changed."
        )
    }
}

/// The refusal when asking failed (the client errored or closed the question).
pub fn could_not_ask(tool: &str, why: &str) -> String {
    format!(
        "{tool} needs the person's confirmation, and asking for it failed ({why}), so it was not \
         run. Nothing was changed. To allow changes without asking, add --allow-writes to the \
         server's command line."
    )
}

/// The refusal when a 2026-07-28 client came back with an answer that cannot count (see
/// `mcp::confirm`): `why` says what was wrong with it.
pub fn answer_unusable(tool: &str, why: &str) -> String {
    format!(
        "{tool} was not run because its confirmation could not be used ({why}). Nothing was \
         changed. Call {tool} again to be asked again."
    )
}

/// Longest value shown in the question; longer ones are cut, visibly.
const MAX_VALUE_CHARS: usize = 200;

/// The question shown to the person: the tool, what kind of change it is, and every argument
/// in a fixed (sorted) order, sanitised so an argument cannot forge lines of the question.
pub fn confirmation_message(target: Target<'_>, args: &Value) -> String {
    let a = target.tool.annotations();
    let kind = if a.destructive {
        "It changes or deletes existing data."
    } else {
        "It adds new data."
    };
    let mut out = format!(
        "Allow Paceline to run \"{}\" ({}) on {}? {kind}\n",
        a.title,
        target.name,
        service_name(target.service)
    );
    let mut fields: Vec<(&String, &Value)> = args.as_object().into_iter().flatten().collect();
    fields.sort_by(|x, y| x.0.cmp(y.0));
    if fields.is_empty() {
        out.push_str("(no arguments)");
    }
    for (key, value) in fields {
        let shown = match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        out.push_str(&format!("\n- {}: {}", clean(key), shorten(&clean(&shown))));
    }
    out
}

/// Removes control and bidirectional-override characters (they could hide or reorder text).
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect()
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn shorten(s: &str) -> String {
    let total = s.chars().count();
    if total <= MAX_VALUE_CHARS {
        return s.to_string();
    }
    let head: String = s.chars().take(MAX_VALUE_CHARS).collect();
    format!(
        "{head}… ({} more characters not shown)",
        total - MAX_VALUE_CHARS
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tool(name: &str) -> Target<'static> {
        Target::trainingpeaks(paceline_core::tools::find(name).expect("tool in the catalogue"))
    }

    #[test]
    fn flags_give_the_policy() {
        let cases = [
            (Backend::Sandbox, false, false, Ok(WritePolicy::Ask)),
            (Backend::Direct, false, false, Ok(WritePolicy::Ask)),
            (Backend::Direct, false, true, Ok(WritePolicy::Allow)),
            (Backend::Sandbox, true, false, Ok(WritePolicy::ReadOnly)),
            (Backend::Browser, true, false, Ok(WritePolicy::ReadOnly)),
            (Backend::Browser, false, false, Ok(WritePolicy::Allow)),
        ];
        for (backend, read_only, allow_writes, want) in cases {
            let got = SafetyArgs {
                read_only,
                allow_writes,
            }
            .policy(backend);
            assert_eq!(got, want, "{backend:?} ro={read_only} aw={allow_writes}");
        }
        let err = SafetyArgs {
            read_only: false,
            allow_writes: true,
        }
        .policy(Backend::Browser)
        .unwrap_err();
        assert!(err.contains("--sandbox and --direct"), "{err}");
    }

    #[test]
    fn reads_always_run_writes_follow_the_policy() {
        let read = tool("get_athlete_profile");
        let del = tool("delete_workout");
        let args = json!({"workout_id": 1});
        for policy in [WritePolicy::ReadOnly, WritePolicy::Ask, WritePolicy::Allow] {
            assert_eq!(
                gate(policy, read, &json!({}), false),
                Gate::Run,
                "{policy:?}"
            );
        }
        assert_eq!(gate(WritePolicy::Allow, del, &args, false), Gate::Run);
        let Gate::Refuse(m) = gate(WritePolicy::ReadOnly, del, &args, true) else {
            panic!("read-only must refuse a delete");
        };
        assert!(
            m.contains("--read-only") && m.contains("delete_workout"),
            "{m}"
        );
        let Gate::Refuse(m) = gate(WritePolicy::Ask, del, &args, false) else {
            panic!("a client that cannot ask must get a refusal");
        };
        assert!(
            m.contains("--allow-writes") && m.contains("elicitation"),
            "{m}"
        );
        assert!(matches!(
            gate(WritePolicy::Ask, del, &args, true),
            Gate::Ask(_)
        ));
        // A dry run only reads, whatever the policy; `dry_run` must be exactly true.
        let icu = Target {
            tool: paceline_core::tools::Platform::All
                .find("icu_delete_event")
                .expect("listed")
                .tool(),
            name: "icu_delete_event",
            service: Service::Intervals,
        };
        for policy in [WritePolicy::ReadOnly, WritePolicy::Ask, WritePolicy::Allow] {
            let dry = json!({"event_id": 1, "dry_run": true});
            assert_eq!(gate(policy, icu, &dry, false), Gate::Run, "{policy:?}");
            let not = json!({"event_id": 1, "dry_run": "true"});
            assert_eq!(
                gate(policy, icu, &not, false) == Gate::Run,
                policy == WritePolicy::Allow,
                "{policy:?}"
            );
        }
        // Creates are asked about too, not only destructive tools.
        let create = tool("create_note");
        assert!(matches!(
            gate(WritePolicy::Ask, create, &json!({}), true),
            Gate::Ask(_)
        ));
    }

    #[test]
    fn the_question_is_sorted_sanitised_and_truncated_visibly() {
        let args = json!({
            "workout_id": 42,
            "title": "Easy\u{202E}nur\n- fake_line: yes",
            "description": "x".repeat(500),
        });
        let m = confirmation_message(tool("update_workout"), &args);
        assert!(
            m.contains("update_workout") && m.contains("changes or deletes"),
            "{m}"
        );
        let keys: Vec<&str> = m
            .lines()
            .filter_map(|l| l.strip_prefix("- "))
            .map(|l| l.split(':').next().unwrap_or(""))
            .collect();
        assert_eq!(keys, vec!["description", "title", "workout_id"], "{m}");
        assert!(!m.contains('\u{202E}'), "bidi override stripped");
        assert!(m.contains("Easynur - fake_line: yes"), "{m}");
        assert!(m.contains("300 more characters not shown"), "{m}");
        assert!(confirmation_message(tool("create_note"), &json!({})).contains("adds new data"));
    }

    #[test]
    fn intervals_calls_name_intervals_and_the_name_called() {
        use paceline_core::tools::Platform;
        let listed = Platform::All.find("icu_delete_event").expect("listed");
        let target = Target {
            tool: listed.tool(),
            name: listed.name(),
            service: listed.service(),
        };
        let m = confirmation_message(target, &json!({"event_id": 7}));
        assert!(m.contains("(icu_delete_event) on Intervals.icu?"), "{m}");
        assert!(!m.contains("TrainingPeaks"), "{m}");
        let Gate::Refuse(m) = gate(WritePolicy::ReadOnly, target, &json!({}), true) else {
            panic!("read-only must refuse");
        };
        assert!(
            m.starts_with("icu_delete_event changes Intervals.icu"),
            "{m}"
        );
    }
}
