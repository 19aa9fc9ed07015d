//! Nix's `--log-format internal-json` log, one `@nix {…}` line per event: messages, build
//! log lines, and the activities whose counters make up a build's progress (derivations
//! built, paths and bytes downloaded, the derivation being built and its phase).
//!
//! The activity and result type numbers are those of Nix's `libutil/logging.hh`.

use std::collections::HashMap;

use serde::Deserialize;

/// The prefix Nix puts before each JSON event.
const PREFIX: &str = "@nix ";

const ACT_FILE_TRANSFER: u64 = 101;
const ACT_COPY_PATHS: u64 = 103;
const ACT_BUILDS: u64 = 104;
const ACT_BUILD: u64 = 105;
const ACT_SUBSTITUTE: u64 = 108;

const RES_BUILD_LOG_LINE: u64 = 101;
const RES_SET_PHASE: u64 = 104;
const RES_PROGRESS: u64 = 105;
const RES_POST_BUILD_LOG_LINE: u64 = 107;

/// What one line of the log says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogEvent {
    /// A message Nix would have printed (`error: …`, `warning: …`, `these 3 derivations
    /// will be built:`), with Nix's verbosity level (0 error, 1 warning, 2 notice, 3 info,
    /// higher for `-v`) and its text as Nix writes it (with its colour codes).
    Message { level: u64, text: String },
    /// A line of a derivation's build log (what `nix build -L` shows as `name> line`).
    BuildLog { derivation: String, line: String },
    /// The counters changed: redraw the progress.
    Progress,
    /// A line that is not a log event (another program's output): as it is.
    Plain(String),
    /// An event that changes nothing shown.
    Nothing,
}

#[derive(Debug, Deserialize)]
struct Event {
    action: String,
    #[serde(default)]
    id: u64,
    #[serde(default)]
    level: u64,
    #[serde(default)]
    msg: String,
    #[serde(default, rename = "type")]
    kind: u64,
    #[serde(default)]
    fields: Vec<serde_json::Value>,
}

/// A counter Nix reports as done out of expected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Count {
    pub done: u64,
    pub expected: u64,
    pub running: u64,
    pub failed: u64,
}

impl Count {
    fn from_fields(fields: &[serde_json::Value]) -> Self {
        let at = |i: usize| {
            fields
                .get(i)
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0)
        };
        Count {
            done: at(0),
            expected: at(1),
            running: at(2),
            failed: at(3),
        }
    }

    fn add(self, other: Count) -> Count {
        Count {
            done: self.done + other.done,
            expected: self.expected + other.expected,
            running: self.running + other.running,
            failed: self.failed + other.failed,
        }
    }
}

/// The build's progress so far, summed over Nix's activities.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Derivations built.
    pub builds: Count,
    /// Store paths downloaded (substituted or copied).
    pub downloads: Count,
    /// Bytes transferred: done and expected.
    pub bytes: Count,
    /// The derivation built most recently started and still running, and its phase.
    pub building: Option<(String, Option<String>)>,
}

/// Reads the log line by line and keeps the counters of its activities.
#[derive(Debug, Default)]
pub struct BuildLog {
    /// Activity id → its type and, for a build, the derivation's name.
    activities: HashMap<u64, (u64, String)>,
    /// The latest counters of each `builds`/`copyPaths`/`fileTransfer` activity.
    counters: HashMap<u64, (u64, Count)>,
    /// Running builds in the order they started, with their phase.
    running: Vec<(u64, String, Option<String>)>,
}

impl BuildLog {
    /// Takes one line of Nix's stderr.
    pub fn read(&mut self, line: &str) -> LogEvent {
        let Some(json) = line.strip_prefix(PREFIX) else {
            return LogEvent::Plain(line.to_string());
        };
        let Ok(event) = serde_json::from_str::<Event>(json) else {
            return LogEvent::Plain(line.to_string());
        };
        match event.action.as_str() {
            "msg" => LogEvent::Message {
                level: event.level,
                text: event.msg,
            },
            "start" => self.start(&event),
            "stop" => self.stop(event.id),
            "result" => self.result(&event),
            _ => LogEvent::Nothing,
        }
    }

    fn start(&mut self, event: &Event) -> LogEvent {
        let name = match event.kind {
            ACT_BUILD => {
                let path = event.fields.first().and_then(|f| f.as_str()).unwrap_or("");
                let name = derivation_name(path).to_string();
                self.running.push((event.id, name.clone(), None));
                name
            }
            _ => String::new(),
        };
        self.activities.insert(event.id, (event.kind, name));
        match event.kind {
            ACT_BUILD | ACT_SUBSTITUTE => LogEvent::Progress,
            _ => LogEvent::Nothing,
        }
    }

    fn stop(&mut self, id: u64) -> LogEvent {
        if self.activities.remove(&id).is_none() {
            return LogEvent::Nothing;
        }
        self.running.retain(|(running, _, _)| *running != id);
        // What a finished activity did stays counted; nothing of it runs any more.
        if let Some((_, count)) = self.counters.get_mut(&id) {
            count.running = 0;
        }
        LogEvent::Progress
    }

    fn result(&mut self, event: &Event) -> LogEvent {
        match event.kind {
            RES_BUILD_LOG_LINE | RES_POST_BUILD_LOG_LINE => {
                let line = event.fields.first().and_then(|f| f.as_str()).unwrap_or("");
                let derivation = self
                    .activities
                    .get(&event.id)
                    .map(|(_, name)| name.clone())
                    .unwrap_or_default();
                LogEvent::BuildLog {
                    derivation,
                    line: line.to_string(),
                }
            }
            RES_SET_PHASE => {
                let phase = event.fields.first().and_then(|f| f.as_str());
                if let Some(build) = self.running.iter_mut().find(|(id, _, _)| *id == event.id) {
                    build.2 = phase.map(str::to_string);
                }
                LogEvent::Progress
            }
            RES_PROGRESS => {
                let Some((kind, _)) = self.activities.get(&event.id) else {
                    return LogEvent::Nothing;
                };
                self.counters
                    .insert(event.id, (*kind, Count::from_fields(&event.fields)));
                LogEvent::Progress
            }
            _ => LogEvent::Nothing,
        }
    }

    /// The progress so far.
    pub fn progress(&self) -> Progress {
        let sum = |wanted: u64| {
            self.counters
                .values()
                .filter(|(kind, _)| *kind == wanted)
                .fold(Count::default(), |total, (_, count)| total.add(*count))
        };
        Progress {
            builds: sum(ACT_BUILDS),
            downloads: sum(ACT_COPY_PATHS),
            bytes: sum(ACT_FILE_TRANSFER),
            building: self
                .running
                .last()
                .map(|(_, name, phase)| (name.clone(), phase.clone())),
        }
    }
}

/// `hello-2.12` of `/nix/store/<hash>-hello-2.12.drv`.
pub fn derivation_name(path: &str) -> &str {
    let base = path.rsplit('/').next().unwrap_or(path);
    let base = base.strip_suffix(".drv").unwrap_or(base);
    match base.split_once('-') {
        Some((hash, name)) if hash.len() == 32 => name,
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines as Nix 2.8 wrote them for a build of three derivations.
    const LOG: &str = r#"@nix {"action":"start","id":1,"level":0,"text":"","type":102}
@nix {"action":"start","id":2,"level":0,"text":"","type":104}
@nix {"action":"start","id":3,"level":0,"text":"","type":103}
@nix {"action":"msg","level":3,"msg":"these 3 derivations will be built:"}
@nix {"action":"result","fields":[0,3,0,0],"id":2,"type":105}
@nix {"action":"start","fields":["/nix/store/kf5415jmpqlvmiizqardarwvpbgq5pjd-a-1.0.drv","",1,1],"id":4,"level":3,"text":"building '/nix/store/kf5415jmpqlvmiizqardarwvpbgq5pjd-a-1.0.drv'","type":105}
@nix {"action":"result","fields":[0,3,1,0],"id":2,"type":105}
@nix {"action":"result","fields":["buildPhase"],"id":4,"type":104}
@nix {"action":"result","fields":["building a"],"id":4,"type":101}
@nix {"action":"result","fields":[1,3,0,0],"id":2,"type":105}
@nix {"action":"stop","id":4}
not json
@nix {"action":"msg","column":9,"file":"/tmp/bad.nix","level":0,"line":2,"msg":"\u001b[31;1merror:\u001b[0m attribute 'rigrep' missing","raw_msg":"x"}"#;

    #[test]
    fn reads_messages_log_lines_and_counters() {
        let mut log = BuildLog::default();
        let events: Vec<LogEvent> = LOG.lines().map(|l| log.read(l)).collect();
        assert_eq!(
            events[3],
            LogEvent::Message {
                level: 3,
                text: "these 3 derivations will be built:".into()
            }
        );
        assert_eq!(
            events[8],
            LogEvent::BuildLog {
                derivation: "a-1.0".into(),
                line: "building a".into()
            }
        );
        assert_eq!(events[11], LogEvent::Plain("not json".into()));
        assert_eq!(
            events[12],
            LogEvent::Message {
                level: 0,
                text: "\u{1b}[31;1merror:\u{1b}[0m attribute 'rigrep' missing".into()
            }
        );
        let progress = log.progress();
        assert_eq!((progress.builds.done, progress.builds.expected), (1, 3));
        assert_eq!(progress.building, None);
    }

    #[test]
    fn the_running_build_and_its_phase() {
        let mut log = BuildLog::default();
        for line in LOG.lines().take(8) {
            log.read(line);
        }
        let progress = log.progress();
        assert_eq!(
            progress.building,
            Some(("a-1.0".into(), Some("buildPhase".into())))
        );
        assert_eq!(progress.builds.running, 1);
    }

    #[test]
    fn derivation_names() {
        assert_eq!(
            derivation_name("/nix/store/kf5415jmpqlvmiizqardarwvpbgq5pjd-hello-2.12.drv"),
            "hello-2.12"
        );
        assert_eq!(derivation_name("weird"), "weird");
    }
}
