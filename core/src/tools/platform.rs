//! Which tools are published, and under which names: the catalogue by platform (issue 9,
//! "Names").
//!
//! Both platforms have tools with the same names (`get_events`, `delete_event`), so the MCP
//! server publishes one of three catalogues ([`Platform`]):
//! - [`Platform::TrainingPeaks`] (the default): [`super::CATALOG`] under its own names,
//!   unchanged, so existing configurations see exactly what they saw before;
//! - [`Platform::Intervals`]: [`super::intervals::CATALOG`] under the seed server's names,
//!   unchanged, a drop-in for the seed server's users;
//! - [`Platform::All`]: the TrainingPeaks names, then the Intervals.icu tools prefixed with
//!   [`ICU_PREFIX`], then the tools that work between the two ([`super::BETWEEN_PLATFORMS`]:
//!   `copy_workout_to_intervals`, `copy_workout_to_trainingpeaks`) under their own names.
//!
//! The copy tools are published under `all` only: they need both platforms' clients, and `all`
//! is the one catalogue for which every backend connects both (`trainingpeaks`, the default,
//! builds no Intervals.icu client in the sandbox or `--direct`, and its list is the unchanged
//! `native-host/tools.json`; `intervals` is the seed server's drop-in and needs no
//! TrainingPeaks cookie). A tool that needs a service besides the one it changes says so
//! ([`Listed::uses`]); hosts connect every service a tool uses before running it.
//!
//! The [`Platform::All`] names are the **canonical** names: the host maps the public name of a
//! call to its canonical name before relaying it ([`Listed::canonical`]), and the extension looks
//! canonical names up with [`find_canonical`], so it never needs to know which catalogue the host
//! publishes. Under `all`, the descriptions of the Intervals.icu tools are rewritten to name their
//! sibling tools by their prefixed names ([`describe`]), so that "use the id with get_event_by_id"
//! does not send the model to a TrainingPeaks tool.
//!
//! The lists are built once per process (the prefixed names and rewritten descriptions are
//! owned strings) and live for the rest of it.

use std::sync::OnceLock;

use serde_json::Value;

use super::{Tool, ToolContext, ToolError, ToolOutput};

/// The prefix of the Intervals.icu tools' names in the [`Platform::All`] catalogue.
pub const ICU_PREFIX: &str = "icu_";

/// A published catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Platform {
    /// TrainingPeaks only, under today's names (the default).
    #[default]
    TrainingPeaks,
    /// Intervals.icu only, under the seed server's names.
    Intervals,
    /// Both: TrainingPeaks names, then Intervals.icu names prefixed with [`ICU_PREFIX`].
    All,
}

/// Which service a tool talks to (for a copy between the platforms: the one it changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Service {
    /// TrainingPeaks ([`ToolContext::client`]).
    TrainingPeaks,
    /// Intervals.icu ([`ToolContext::icu`]).
    Intervals,
}

impl Platform {
    /// Every platform, in the order the flag's help lists them.
    pub const EACH: [Platform; 3] = [Platform::TrainingPeaks, Platform::Intervals, Platform::All];

    /// The flag value (`trainingpeaks`, `intervals`, `all`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Platform::TrainingPeaks => "trainingpeaks",
            Platform::Intervals => "intervals",
            Platform::All => "all",
        }
    }

    /// Reads a flag value (case-insensitive; `tp` and `icu` are accepted as short forms). The
    /// error lists the accepted values.
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "trainingpeaks" | "tp" => Ok(Platform::TrainingPeaks),
            "intervals" | "intervals.icu" | "icu" => Ok(Platform::Intervals),
            "all" => Ok(Platform::All),
            _ => Err(format!(
                "{raw:?} is not a platform; use trainingpeaks, intervals or all"
            )),
        }
    }

    /// The tools this platform publishes, in order, with their public names.
    pub fn tools(self) -> &'static [Listed] {
        static LISTS: [OnceLock<Vec<Listed>>; 3] =
            [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let slot = match self {
            Platform::TrainingPeaks => 0,
            Platform::Intervals => 1,
            Platform::All => 2,
        };
        LISTS[slot].get_or_init(|| build(self))
    }

    /// The tool published under `name` on this platform.
    pub fn find(self, name: &str) -> Option<&'static Listed> {
        self.tools().iter().find(|t| t.name() == name)
    }

    /// The whole catalogue as a JSON array of [`describe`] entries (public names).
    pub fn list_json(self) -> Value {
        Value::Array(self.tools().iter().map(describe).collect())
    }
}

impl std::fmt::Display for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A tool that works between the platforms: it reads from one and writes to the other.
pub struct Between {
    /// The tool.
    pub tool: &'static dyn Tool,
    /// The service it changes.
    pub writes: Service,
    /// The service it reads from.
    pub reads: Service,
}

/// One published tool: its public name on a platform, its canonical name, and the tool.
pub struct Listed {
    name: Box<str>,
    canonical: Box<str>,
    service: Service,
    /// The other service it reads from, for the tools between the platforms.
    reads: Option<Service>,
    tool: &'static dyn Tool,
}

impl std::fmt::Debug for Listed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listed")
            .field("name", &self.name)
            .field("canonical", &self.canonical)
            .field("service", &self.service)
            .finish_non_exhaustive()
    }
}

impl Listed {
    /// The name the MCP client sees on this platform.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name under [`Platform::All`]: what the host relays to the extension.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// The service the tool talks to; for a tool between the platforms, the one it changes.
    pub fn service(&self) -> Service {
        self.service
    }

    /// Whether the tool needs `service`'s client: the one it talks to, or the one a copy
    /// between the platforms reads from. Hosts connect each service a tool uses.
    pub fn uses(&self, service: Service) -> bool {
        self.service == service || self.reads == Some(service)
    }

    /// The tool itself (whose own [`Tool::name`] is the unprefixed one).
    pub fn tool(&self) -> &'static dyn Tool {
        self.tool
    }
}

fn build(platform: Platform) -> Vec<Listed> {
    let tp = super::CATALOG.iter().map(|t| Listed {
        name: t.name().into(),
        canonical: t.name().into(),
        service: Service::TrainingPeaks,
        reads: None,
        tool: *t,
    });
    let prefixed =
        |t: &&'static dyn Tool| -> Box<str> { format!("{ICU_PREFIX}{}", t.name()).into() };
    let icu = super::intervals::CATALOG.iter().map(move |t| Listed {
        name: match platform {
            Platform::All => prefixed(t),
            _ => t.name().into(),
        },
        canonical: prefixed(t),
        service: Service::Intervals,
        reads: None,
        tool: *t,
    });
    let between = super::BETWEEN_PLATFORMS.iter().map(|b| Listed {
        name: b.tool.name().into(),
        canonical: b.tool.name().into(),
        service: b.writes,
        reads: Some(b.reads),
        tool: b.tool,
    });
    match platform {
        Platform::TrainingPeaks => tp.collect(),
        Platform::Intervals => icu.collect(),
        Platform::All => tp.chain(icu).chain(between).collect(),
    }
}

/// The tool published under the canonical name `name` (a [`Platform::All`] name). The
/// extension runs relayed calls through this, whatever the host publishes.
pub fn find_canonical(name: &str) -> Option<&'static Listed> {
    Platform::All.find(name)
}

/// Validates and runs one tool by its canonical name (see [`find_canonical`]).
pub async fn call_canonical(
    ctx: &ToolContext,
    name: &str,
    args: Value,
) -> Result<ToolOutput, ToolError> {
    let listed = find_canonical(name).ok_or_else(|| ToolError::UnknownTool(name.to_string()))?;
    listed.tool().call(ctx, args).await
}

/// One published tool as an MCP `tools/list` entry: [`super::describe`] under the public name.
/// When the public name is prefixed, every description (the tool's and its schemas') names the
/// other Intervals.icu tools by their prefixed names too.
pub fn describe(listed: &Listed) -> Value {
    let mut entry = super::describe(listed.tool);
    if *listed.name != *listed.tool.name() {
        rename_icu_tools(&mut entry);
    }
    if let Value::Object(map) = &mut entry {
        map.insert("name".into(), Value::String(listed.name.to_string()));
    }
    entry
}

/// Rewrites, in every `description` string of an entry, each word that is an Intervals.icu
/// tool's name to its prefixed name. A word is a run of `[a-z0-9_]`, so `get_events` inside
/// `icu_get_events` or `get_events_x` is left alone.
fn rename_icu_tools(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match v {
                    Value::String(s) if k == "description" => *s = prefix_names(s),
                    _ => rename_icu_tools(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rename_icu_tools),
        _ => {}
    }
}

fn prefix_names(text: &str) -> String {
    let is_word = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find(is_word) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail.find(|c: char| !is_word(c)).unwrap_or(tail.len());
        let word = &tail[..end];
        if super::intervals::find(word).is_some() {
            out.push_str(ICU_PREFIX);
        }
        out.push_str(word);
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn names(p: Platform) -> Vec<&'static str> {
        p.tools().iter().map(Listed::name).collect()
    }

    #[test]
    fn trainingpeaks_is_the_catalogue_unchanged() {
        let want: Vec<_> = super::super::CATALOG.iter().map(|t| t.name()).collect();
        assert_eq!(names(Platform::TrainingPeaks), want);
        assert_eq!(Platform::default(), Platform::TrainingPeaks);
        assert_eq!(
            Platform::TrainingPeaks.list_json(),
            super::super::list_json()
        );
    }

    #[test]
    fn intervals_keeps_the_seed_names_and_all_prefixes_them() {
        let icu: Vec<_> = super::super::intervals::CATALOG
            .iter()
            .map(|t| t.name())
            .collect();
        assert_eq!(names(Platform::Intervals), icu);
        let all = names(Platform::All);
        let tp_len = super::super::CATALOG.len();
        let between: Vec<_> = super::super::BETWEEN_PLATFORMS
            .iter()
            .map(|b| b.tool.name())
            .collect();
        assert_eq!(all.len(), tp_len + icu.len() + between.len());
        assert_eq!(&all[..tp_len], &names(Platform::TrainingPeaks)[..]);
        for (a, i) in all[tp_len..].iter().zip(&icu) {
            assert_eq!(*a, format!("icu_{i}"));
        }
        assert_eq!(&all[tp_len + icu.len()..], &between[..]);
        let unique: BTreeSet<_> = all.iter().collect();
        assert_eq!(unique.len(), all.len(), "duplicate names under `all`");
    }

    #[test]
    fn canonical_names_are_the_all_names() {
        for p in Platform::EACH {
            for t in p.tools() {
                let c = find_canonical(t.canonical()).expect("canonical name is listed");
                assert_eq!(c.tool().name(), t.tool().name(), "{}", t.name());
                assert_eq!(c.service(), t.service());
            }
        }
        let ev = Platform::Intervals.find("get_events").expect("listed");
        assert_eq!(ev.canonical(), "icu_get_events");
        assert_eq!(ev.service(), Service::Intervals);
        let tp = Platform::TrainingPeaks.find("get_events").expect("listed");
        assert_eq!(tp.canonical(), "get_events");
        assert!(Platform::TrainingPeaks.find("icu_get_events").is_none());
        assert!(Platform::Intervals.find("icu_get_events").is_none());
        assert!(Platform::Intervals.find("get_workouts").is_none());
    }

    #[test]
    fn the_copy_tools_are_published_under_all_only_and_use_both_services() {
        for (name, writes, reads) in [
            (
                "copy_workout_to_intervals",
                Service::Intervals,
                Service::TrainingPeaks,
            ),
            (
                "copy_workout_to_trainingpeaks",
                Service::TrainingPeaks,
                Service::Intervals,
            ),
        ] {
            let l = Platform::All.find(name).expect("published under all");
            assert_eq!(l.canonical(), name);
            assert_eq!(l.service(), writes, "{name}");
            assert!(l.uses(writes) && l.uses(reads), "{name}");
            assert!(Platform::TrainingPeaks.find(name).is_none(), "{name}");
            assert!(Platform::Intervals.find(name).is_none(), "{name}");
        }
        let plain = Platform::All.find("get_events").expect("listed");
        assert!(!plain.uses(Service::Intervals));
    }

    #[test]
    fn descriptions_under_all_name_the_prefixed_tools() {
        let listed = Platform::All.find("icu_get_events").expect("listed");
        let entry = describe(listed);
        assert_eq!(entry["name"], "icu_get_events");
        let text = entry["description"].as_str().unwrap_or_default();
        assert!(text.contains("icu_get_event_by_id"), "{text}");
        assert!(!text.contains(" get_event_by_id"), "{text}");
        // The same tool under `intervals` keeps the seed's wording.
        let plain = describe(Platform::Intervals.find("get_events").expect("listed"));
        assert_eq!(plain["name"], "get_events");
        assert!(
            plain["description"]
                .as_str()
                .unwrap_or_default()
                .contains(" get_event_by_id")
        );
        assert_eq!(
            prefix_names("see get_events, icu_get_events and get_eventsx."),
            "see icu_get_events, icu_get_events and get_eventsx."
        );
    }

    #[test]
    fn flag_values() {
        for p in Platform::EACH {
            assert_eq!(Platform::parse(p.as_str()), Ok(p));
            assert_eq!(p.to_string().parse::<Platform>(), Ok(p));
        }
        assert_eq!(Platform::parse(" ICU "), Ok(Platform::Intervals));
        let err = Platform::parse("strava").unwrap_err();
        assert!(err.contains("trainingpeaks, intervals or all"), "{err}");
    }
}
