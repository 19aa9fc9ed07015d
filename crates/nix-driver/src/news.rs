//! Home Manager's news: the entries its modules define (`config.news.json.output`, a
//! JSON file `{ display, entries = [ { id, time, condition, message } ] }`), which of them
//! the user has read (`$XDG_DATA_HOME/home-manager/news-read-ids`, one id a line, shared
//! with the home-manager CLI), and the text `home-manager news` shows for them.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The news file is small; anything larger is not one.
const MAX_NEWS_BYTES: u64 = 16 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsEntry {
    pub id: String,
    /// ISO-8601 in UTC, e.g. `2025-01-01T15:31:15+00:00`.
    pub time: String,
    /// Whether the entry concerns this configuration.
    pub condition: bool,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct News {
    /// `news.display`: `notify`, `show` or `silent`.
    pub display: String,
    pub entries: Vec<NewsEntry>,
}

#[derive(Debug, thiserror::Error)]
pub enum NewsError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not Home Manager's news file: {why}")]
    Invalid { path: PathBuf, why: String },
}

impl News {
    /// Reads the file `config.news.json.output` built to.
    pub fn read(path: &Path) -> Result<Self, NewsError> {
        let read_error = |source| NewsError::Read {
            path: path.to_path_buf(),
            source,
        };
        let mut text = Vec::new();
        std::fs::File::open(path)
            .map_err(read_error)?
            .take(MAX_NEWS_BYTES)
            .read_to_end(&mut text)
            .map_err(read_error)?;
        Self::parse(&text).map_err(|why| NewsError::Invalid {
            path: path.to_path_buf(),
            why,
        })
    }

    fn parse(text: &[u8]) -> Result<Self, String> {
        let value: serde_json::Value = serde_json::from_slice(text).map_err(|e| e.to_string())?;
        let display = value
            .get("display")
            .and_then(|d| d.as_str())
            .unwrap_or("notify")
            .to_string();
        let entries = value
            .get("entries")
            .and_then(|e| e.as_array())
            .ok_or("no `entries` list")?
            .iter()
            .map(|e| {
                let text = |key: &str| {
                    e.get(key)
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                        .ok_or(format!("an entry without `{key}`"))
                };
                Ok(NewsEntry {
                    id: text("id")?,
                    time: text("time")?,
                    condition: e.get("condition").and_then(|c| c.as_bool()).unwrap_or(true),
                    message: text("message")?,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Self { display, entries })
    }

    /// The entries that concern this configuration, newest first.
    pub fn relevant(&self) -> Vec<&NewsEntry> {
        let mut entries: Vec<&NewsEntry> = self.entries.iter().filter(|e| e.condition).collect();
        entries.sort_by(|a, b| b.time.cmp(&a.time));
        entries
    }
}

/// `$XDG_DATA_HOME/home-manager/news-read-ids` (`~/.local/share` by default).
pub fn read_ids_path(home: &Path, xdg_data_home: Option<&Path>) -> PathBuf {
    xdg_data_home
        .map_or_else(|| home.join(".local/share"), Path::to_path_buf)
        .join("home-manager/news-read-ids")
}

/// The ids already read (none when the file is missing).
pub fn read_ids(path: &Path) -> BTreeSet<String> {
    let mut text = String::new();
    if let Ok(file) = std::fs::File::open(path) {
        let _ = file.take(MAX_NEWS_BYTES).read_to_string(&mut text);
    }
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Adds `ids` to the read ids, as the home-manager CLI does after showing news.
pub fn mark_read<'a>(path: &Path, ids: impl IntoIterator<Item = &'a str>) -> std::io::Result<()> {
    let mut all = read_ids(path);
    all.extend(ids.into_iter().map(str::to_string));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text: String = all.iter().map(|id| format!("{id}\n")).collect();
    // Written beside it and renamed, so a reader never sees half a file.
    let temporary = path.with_extension("new");
    std::fs::write(&temporary, text)?;
    std::fs::rename(&temporary, path)
}

/// An entry as `home-manager news` shows it:
/// `* 2025-01-01 15:31:15 [unread]`, a blank line, the message indented by two spaces.
pub fn format_entry(entry: &NewsEntry, read: bool) -> String {
    let time = entry.time.replace('T', " ").replace("+00:00", "");
    let flag = if read { "read" } else { "unread" };
    let message = entry.message.trim_end().replace('\n', "\n  ");
    format!("* {time} [{flag}]\n\n  {message}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_sorts_formats_and_marks_news() {
        let news = News::parse(
            br#"{"display":"notify","entries":[
              {"id":"a","time":"2025-01-01T15:31:15+00:00","condition":true,"message":"Old.\nTwo lines.\n"},
              {"id":"b","time":"2025-03-01T10:00:00+00:00","condition":false,"message":"Not for you."},
              {"id":"c","time":"2025-02-01T10:00:00+00:00","condition":true,"message":"New."}]}"#,
        )
        .expect("valid");
        let ids: Vec<&str> = news.relevant().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["c", "a"]);
        assert_eq!(
            format_entry(&news.entries[0], false),
            "* 2025-01-01 15:31:15 [unread]\n\n  Old.\n  Two lines.\n"
        );
        let dir = tempfile::tempdir().expect("tempdir");
        let path = read_ids_path(dir.path(), None);
        assert!(read_ids(&path).is_empty());
        mark_read(&path, ["c"]).expect("write");
        mark_read(&path, ["a", "c"]).expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "a\nc\n");
        assert!(News::parse(b"{}").is_err());
    }
}
