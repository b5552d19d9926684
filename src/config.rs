//! The config file, `$XDG_CONFIG_HOME/fluxdeck/config.toml`
//! (else `~/.config/fluxdeck/config.toml`):
//!
//! ```toml
//! theme = "dark"            # a built-in theme name or a path to a theme file
//! namespace = "flux-system" # default namespace; leave out (or "*") for all
//! readonly = false          # start in read-only mode
//! fleet = ["beta", "production"]  # contexts to watch at once (flags win)
//! [keys]                    # action = key or list of keys (replaces defaults)
//! quit = ["q", "ctrl-c"]
//! [contexts."prod-*"]       # per kubeconfig context; `*` matches anything
//! readonly = true
//! ```
//!
//! Like themes, it is read with serde; `crate::tomlfile` gives each error
//! its file, line and key.

use std::collections::BTreeMap;
use std::env;
use std::ffi::OsString;
use std::fmt;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, IgnoredAny, SeqAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::keyspec::KeySpec;
use crate::tomlfile::{self, join_key, FileError};

/// Written as a namespace, means "all namespaces" (so a context can undo a
/// global default namespace).
pub const ALL_NAMESPACES: &str = "*";

/// Everything the config file can set; `Default` is an absent file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The file this came from, if one was read.
    pub path: Option<PathBuf>,
    pub theme: Option<String>,
    /// Default namespace; `None` means all namespaces.
    pub namespace: Option<String>,
    pub readonly: Option<bool>,
    /// Contexts to watch at once when no --context flag says otherwise.
    pub fleet: Vec<String>,
    /// Keymap overrides in file order.
    pub keys: Vec<KeyBinding>,
    /// Per-context rules in file order.
    pub contexts: Vec<ContextRule>,
}

/// `action = ["key", ...]` from `[keys]`. An empty list unbinds the action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyBinding {
    pub action: String,
    pub keys: Vec<KeySpec>,
    /// 1-based line in the config file, for later messages (e.g. clashes).
    pub line: usize,
}

/// A `[contexts."pattern"]` table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table")]
pub struct ContextRule {
    /// A context name, or a glob where `*` matches any run of characters.
    /// It is the table's key, so it is filled in after reading.
    #[serde(skip)]
    pub pattern: String,
    pub readonly: Option<bool>,
    /// As written; [`ALL_NAMESPACES`] is resolved by [`Config::for_context`].
    #[serde(default, deserialize_with = "namespace")]
    pub namespace: Option<String>,
}

/// The effective settings for one kubeconfig context.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContextSettings {
    pub readonly: bool,
    /// `None` means all namespaces.
    pub namespace: Option<String>,
}

/// A config file problem, shown as `file:line: key: message`.
pub type ConfigError = FileError;

impl Config {
    /// Where the config file lives, if a home or XDG directory is known.
    pub fn default_path() -> Option<PathBuf> {
        default_path_from(env::var_os("XDG_CONFIG_HOME"), env::var_os("HOME"))
    }

    /// Reads and parses a config file; `actions` are the valid action names.
    pub fn load(path: &Path, actions: &[&str]) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| read_error(path, &e))?;
        parse_file(&text, path, actions)
    }

    /// Reads the config at [`Config::default_path`]. A missing file gives the
    /// defaults; an unreadable or broken one is an error.
    pub fn load_default(actions: &[&str]) -> Result<Config, ConfigError> {
        load_default_from(Config::default_path().as_deref(), actions)
    }

    /// Parses config text; `file` only labels error messages.
    pub fn parse(text: &str, file: &str, actions: &[&str]) -> Result<Config, ConfigError> {
        parse_doc(text, file, actions)
    }

    /// The keys configured for an action, if the file mentions it.
    pub fn keys_for(&self, action: &str) -> Option<&[KeySpec]> {
        self.keys
            .iter()
            .find(|b| b.action == action)
            .map(|b| b.keys.as_slice())
    }

    /// Settings for a kubeconfig context. Matching rules are ranked: an exact
    /// pattern beats any glob, a longer glob beats a shorter one, and a later
    /// rule beats an earlier equal one. Each field comes from the best rule
    /// that sets it, so `prod-eu` can add a namespace without losing the
    /// `readonly` from `prod-*`; fields no rule sets use the global values.
    pub fn for_context(&self, context: &str) -> ContextSettings {
        let mut matching: Vec<(bool, usize, usize, &ContextRule)> = self
            .contexts
            .iter()
            .enumerate()
            .filter(|(_, rule)| glob_match(&rule.pattern, context))
            .map(|(i, rule)| (!rule.pattern.contains('*'), rule.pattern.len(), i, rule))
            .collect();
        matching.sort_by_key(|&(exact, len, i, _)| std::cmp::Reverse((exact, len, i)));

        let readonly = matching
            .iter()
            .find_map(|(.., rule)| rule.readonly)
            .or(self.readonly)
            .unwrap_or(false);
        let namespace = matching
            .iter()
            .find_map(|(.., rule)| rule.namespace.clone())
            .or_else(|| self.namespace.clone())
            .filter(|ns| ns != ALL_NAMESPACES);
        ContextSettings {
            readonly,
            namespace,
        }
    }
}

fn default_path_from(xdg: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    // The XDG spec says relative values are invalid and must be ignored.
    let base = xdg
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| {
            home.filter(|h| !h.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("fluxdeck").join("config.toml"))
}

fn load_default_from(path: Option<&Path>, actions: &[&str]) -> Result<Config, ConfigError> {
    match path {
        Some(path) => Ok(load_if_present(path, actions)?.unwrap_or_default()),
        None => Ok(Config::default()),
    }
}

/// `Ok(None)` when the file does not exist.
fn load_if_present(path: &Path, actions: &[&str]) -> Result<Option<Config>, ConfigError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(read_error(path, &e)),
    };
    parse_file(&text, path, actions).map(Some)
}

fn parse_file(text: &str, path: &Path, actions: &[&str]) -> Result<Config, ConfigError> {
    let mut config = Config::parse(text, &display_path(path), actions)?;
    config.path = Some(path.to_path_buf());
    Ok(config)
}

fn read_error(path: &Path, reason: &std::io::Error) -> ConfigError {
    let file = display_path(path);
    ConfigError {
        message: format!("cannot read {file}: {reason}"),
        file,
        line: None,
        key: None,
    }
}

/// The path with the home directory shown as `~`, as users think of it.
fn display_path(path: &Path) -> String {
    if let Some(home) = env::var_os("HOME").filter(|h| !h.is_empty()) {
        if let Ok(rest) = path.strip_prefix(Path::new(&home)) {
            return Path::new("~").join(rest).display().to_string();
        }
    }
    path.display().to_string()
}

/// The file as written; `Config` is built from it in file order.
#[derive(Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
struct ConfigFile {
    theme: Option<String>,
    #[serde(deserialize_with = "namespace")]
    namespace: Option<String>,
    readonly: Option<bool>,
    fleet: Vec<String>,
    keys: BTreeMap<Spanned<String>, KeyList>,
    contexts: BTreeMap<Spanned<String>, ContextRule>,
}

/// Only the action names of `[keys]`, read before the rest so a misspelt
/// action is named as such whatever its value is.
#[derive(Deserialize)]
struct ActionNames {
    #[serde(default)]
    keys: BTreeMap<Spanned<String>, IgnoredAny>,
}

fn namespace<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let ns = String::deserialize(d)?;
    if ns.trim().is_empty() {
        let msg = format!("empty namespace (leave it out or use \"{ALL_NAMESPACES}\" for all)");
        return Err(de::Error::custom(msg));
    }
    Ok(Some(ns))
}

/// A key string or a list of them, each parsed as it is read so an error
/// has that string's own line.
struct KeyList(Vec<KeySpec>);

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<KeyList, D::Error> {
        d.deserialize_any(KeyListVisitor)
    }
}

struct KeyListVisitor;

impl<'de> Visitor<'de> for KeyListVisitor {
    type Value = KeyList;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key string or a list of key strings")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<KeyList, E> {
        let key = KeySpec::parse(text).map_err(|e| E::custom(format!("bad key {text:?}: {e}")))?;
        Ok(KeyList(vec![key]))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyList, A::Error> {
        let mut keys = Vec::new();
        while let Some(KeyList(more)) = seq.next_element()? {
            keys.extend(more);
        }
        Ok(KeyList(keys))
    }
}

/// Map entries in the order they are written, so the first error reported
/// is the first one the user would read.
fn in_file_order<V>(map: BTreeMap<Spanned<String>, V>) -> Vec<(Spanned<String>, V)> {
    let mut entries: Vec<_> = map.into_iter().collect();
    entries.sort_by_key(|(key, _)| key.span().start);
    entries
}

fn parse_doc(text: &str, file: &str, actions: &[&str]) -> Result<Config, ConfigError> {
    let parsed = tomlfile::from_str::<ConfigFile>(text, file, |_| "field");
    // Of two problems the one written first is reported; on one line, the
    // action name.
    let first = |u: &ConfigError| parsed.as_ref().err().is_none_or(|e| u.line <= e.line);
    if let Some(unknown) = unknown_action(text, file, actions).filter(first) {
        return Err(unknown);
    }
    let parsed = parsed?;
    let mut config = Config {
        theme: parsed.theme,
        namespace: parsed.namespace.filter(|ns| ns != ALL_NAMESPACES),
        readonly: parsed.readonly,
        fleet: parsed.fleet,
        ..Config::default()
    };
    for (action, KeyList(keys)) in in_file_order(parsed.keys) {
        let line = tomlfile::line_of(text, action.span().start);
        let action = action.into_inner();
        config.keys.push(KeyBinding { action, keys, line });
    }
    for (pattern, mut rule) in in_file_order(parsed.contexts) {
        if pattern.get_ref().is_empty() {
            let (path, msg) = (join_key("contexts", ""), "empty context pattern".into());
            return Err(FileError::at(file, text, pattern.span(), &path, msg));
        }
        rule.pattern = pattern.into_inner();
        config.contexts.push(rule);
    }
    Ok(config)
}

/// The first `[keys]` entry whose action is not one of `actions`.
fn unknown_action(text: &str, file: &str, actions: &[&str]) -> Option<ConfigError> {
    let names: ActionNames = tomlfile::from_str(text, file, |_| "field").ok()?;
    let (action, _) = in_file_order(names.keys)
        .into_iter()
        .find(|(action, _)| !actions.contains(&action.get_ref().as_str()))?;
    let msg = format!("unknown action (known: {})", actions.join(", "));
    let path = join_key("keys", action.get_ref());
    Some(FileError::at(file, text, action.span(), &path, msg))
}

/// Whether `text` matches `pattern`, where `*` stands for any run of
/// characters (including none) and everything else is literal.
fn glob_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0, 0);
    // Where the last `*` was and how much text it has swallowed so far;
    // on a mismatch it swallows one more character and we retry.
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == '*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests;
