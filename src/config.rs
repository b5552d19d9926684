//! The config file, `$XDG_CONFIG_HOME/fluxdeck/config.toml`
//! (else `~/.config/fluxdeck/config.toml`):
//!
//! ```toml
//! theme = "dark"            # a built-in theme name or a path to a theme file
//! namespace = "flux-system" # default namespace; leave out (or "*") for all
//! readonly = false          # start in read-only mode
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
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    const ACTIONS: &[&str] = &["quit", "down", "up", "refresh"];
    const FILE: &str = "~/.config/fluxdeck/config.toml";

    fn parse(text: &str) -> Config {
        Config::parse(text, FILE, ACTIONS).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The error message with the common `FILE:` prefix removed.
    fn err(text: &str) -> String {
        let e = Config::parse(text, FILE, ACTIONS).unwrap_err().to_string();
        let rest = e.strip_prefix(FILE).and_then(|r| r.strip_prefix(':'));
        rest.unwrap_or(&e).to_string()
    }

    fn rule(pattern: &str, readonly: Option<bool>, namespace: Option<&str>) -> ContextRule {
        let (pattern, namespace) = (pattern.into(), namespace.map(Into::into));
        ContextRule {
            pattern,
            readonly,
            namespace,
        }
    }

    fn settings(config: &Config, context: &str) -> (bool, Option<String>) {
        let s = config.for_context(context);
        (s.readonly, s.namespace)
    }

    const SAMPLE: &str = r#"theme = "light"
namespace = "flux-system"
readonly = false

[keys]
quit = ["q", "ctrl-c"]
down = "j"
up = []

[contexts."prod-*"]
readonly = true
[contexts.kind-dev]
readonly = false
namespace = "apps"
"#;

    #[test]
    fn parses_a_full_file() {
        let config = parse(SAMPLE);
        assert_eq!(config.path, None);
        assert_eq!(config.theme.as_deref(), Some("light"));
        assert_eq!(config.namespace.as_deref(), Some("flux-system"));
        assert_eq!(config.readonly, Some(false));
        let show = |b: &KeyBinding| {
            let keys: Vec<_> = b.keys.iter().map(KeySpec::to_string).collect();
            format!("{}@{}={}", b.action, b.line, keys.join(","))
        };
        let keys: Vec<_> = config.keys.iter().map(show).collect();
        assert_eq!(keys, ["quit@6=q,ctrl-c", "down@7=j", "up@8="]);
        let quit = config.keys_for("quit").unwrap();
        assert_eq!(quit[1].modifiers, KeyModifiers::CONTROL);
        assert_eq!(config.keys_for("refresh"), None);
        let prod = rule("prod-*", Some(true), None);
        let dev = rule("kind-dev", Some(false), Some("apps"));
        assert_eq!(config.contexts, [prod, dev]);
    }

    #[test]
    fn empty_text_is_the_default() {
        assert_eq!(parse(""), Config::default());
        assert_eq!(parse("# nothing\n"), Config::default());
        assert_eq!(parse("namespace = \"*\"\n").namespace, None);
    }

    #[test]
    fn bad_keys_and_actions_name_file_line_and_key() {
        let text = "theme = \"dark\"\n[keys]\nquit = \"q\"\nqiut = 1\n";
        let e = Config::parse(text, FILE, ACTIONS).unwrap_err().to_string();
        let expected = "~/.config/fluxdeck/config.toml:4: keys.qiut: unknown action \
                        (known: quit, down, up, refresh)";
        assert_eq!(e, expected);

        let reason = KeySpec::parse("ctl-j").unwrap_err();
        let e = err("[keys]\nquit = \"q\"\ndown = \"ctl-j\"\n");
        assert_eq!(e, format!("3: keys.down: bad key \"ctl-j\": {reason}"));
        // In a multi-line list the element's own line is reported.
        let e = err("[keys]\nquit = [\n  \"q\",\n  \"ctrl-\",\n]\n");
        assert!(e.starts_with("4: keys.quit: bad key \"ctrl-\": "), "{e}");
        let expected =
            "2: keys.quit: expected a key string or a list of key strings, found integer";
        assert_eq!(err("[keys]\nquit = [\"q\", 3]\n"), expected);
    }

    #[test]
    fn unknown_fields_name_file_line_and_key() {
        let expected =
            "2: readOnly: unknown field (expected theme, namespace, readonly, keys, contexts)";
        assert_eq!(err("theme = \"dark\"\nreadOnly = true\n"), expected);
        let expected =
            "3: contexts.\"prod-*\".namspace: unknown field (expected readonly, namespace)";
        assert_eq!(
            err("[contexts.\"prod-*\"]\nreadonly = true\nnamspace = \"x\"\n"),
            expected
        );
    }

    #[test]
    fn wrong_types_name_file_line_and_key() {
        let expected = "1: readonly: expected true or false, found string";
        assert_eq!(err("readonly = \"yes\"\n"), expected);
        assert_eq!(
            err("\ntheme = 1\n"),
            "2: theme: expected a string, found integer"
        );
        assert_eq!(
            err("keys = \"q\"\n"),
            "1: keys: expected a table, found string"
        );
        let expected = "2: contexts.prod: expected a table, found boolean";
        assert_eq!(err("[contexts]\nprod = true\n"), expected);
        let expected = "2: contexts.prod.readonly: expected true or false, found integer";
        assert_eq!(err("[contexts.prod]\nreadonly = 1\n"), expected);
        assert!(err("namespace = \"\"\n").starts_with("1: namespace: empty namespace"));
    }

    #[test]
    fn odd_values_and_empty_patterns_are_named() {
        let expected = "1: keys.quit: expected a key string or a list of key strings, found table";
        assert_eq!(err("keys = { quit = { a = 1 } }\n"), expected);
        assert_eq!(
            err("[contexts.\"\"]\n"),
            "1: contexts.\"\": empty context pattern"
        );
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let e = err("theme = \"dark\"\nreadonly = tru\n");
        assert!(e.starts_with("2: ") && !e.contains('\n'), "{e}");
        assert!(err("[keys]\nquit = \"q\"\nquit = \"x\"\n").starts_with("3: "));
    }

    #[test]
    fn globs() {
        assert!(glob_match("prod-*", "prod-eu"));
        assert!(glob_match("prod-*", "prod-"));
        assert!(!glob_match("prod-*", "staging-prod-eu"));
        assert!(glob_match("*prod*", "staging-prod-eu"));
        assert!(glob_match("a*b*c", "aXbYbZc"));
        assert!(!glob_match("a*b*c", "aXbYbZ"));
        assert!(glob_match("*", ""));
        assert!(glob_match("kind-dev", "kind-dev"));
        assert!(!glob_match("kind-dev", "kind-dev2"));
        assert!(glob_match("ärger-*", "ärger-1"));
    }

    #[test]
    fn context_precedence() {
        let contexts = vec![
            rule("*", None, Some("default")),
            rule("prod-*", Some(true), None),
            rule("prod-eu-*", Some(false), None),
            rule("prod-eu-1", None, Some("apps")),
            rule("*-eu-1", Some(true), None),
            rule("dev", None, Some(ALL_NAMESPACES)),
        ];
        let namespace = Some("flux-system".into());
        let mut config = Config {
            namespace,
            contexts,
            ..Config::default()
        };
        // The exact rule sets the namespace; the longest glob sets readonly.
        assert_eq!(settings(&config, "prod-eu-1"), (false, Some("apps".into())));
        assert_eq!(settings(&config, "prod-us"), (true, Some("default".into())));
        // "*" means all namespaces even though a global one is set.
        assert_eq!(settings(&config, "dev"), (false, None));
        // Between equal-length globs the later one wins.
        config.contexts = vec![
            rule("a-*", Some(true), None),
            rule("*-b", Some(false), None),
        ];
        assert!(!config.for_context("a-b").readonly);
        assert!(config.for_context("a-c").readonly);
    }

    #[test]
    fn context_falls_back_to_globals() {
        let text = "readonly = true\nnamespace = \"x\"\n[contexts.other]\nreadonly = false\n";
        let config = parse(text);
        assert_eq!(settings(&config, "kind"), (true, Some("x".into())));
        assert_eq!(settings(&config, "other"), (false, Some("x".into())));
        let default = ContextSettings::default();
        assert_eq!(Config::default().for_context("any"), default);
    }

    #[test]
    fn default_path_prefers_absolute_xdg() {
        let p = |xdg: Option<&str>, home: Option<&str>| {
            let path = default_path_from(xdg.map(Into::into), home.map(Into::into));
            path.map(|p| p.display().to_string())
        };
        let home_path = Some("/h/.config/fluxdeck/config.toml".to_string());
        let xdg_path = Some("/x/fluxdeck/config.toml".to_string());
        assert_eq!(p(Some("/x"), Some("/h")), xdg_path);
        assert_eq!(p(Some("rel"), Some("/h")), home_path);
        assert_eq!(p(None, Some("/h")), home_path);
        assert_eq!(p(None, None), None);
        assert_eq!(p(None, Some("")), None);
    }

    #[test]
    fn loading_files() {
        let dir = env::temp_dir().join(format!("fluxdeck-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        let load_default = |p: Option<&Path>| load_default_from(p, ACTIONS);

        // Missing: the default for load_default, an error for load.
        assert_eq!(load_default(Some(&path)), Ok(Config::default()));
        assert_eq!(load_default(None), Ok(Config::default()));
        let e = Config::load(&path, ACTIONS).unwrap_err().to_string();
        assert!(
            e.starts_with("cannot read ") && e.contains("config.toml: "),
            "{e}"
        );

        std::fs::write(&path, SAMPLE).unwrap();
        let config = load_default(Some(&path)).unwrap();
        assert_eq!(config.path.as_deref(), Some(path.as_path()));
        assert_eq!(config.theme.as_deref(), Some("light"));
        assert_eq!(Config::load(&path, ACTIONS), Ok(config));

        // Broken: an error, naming the file and line.
        std::fs::write(&path, "readonly = true\nbogus = 1\n").unwrap();
        let e = load_default(Some(&path)).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.file.ends_with("config.toml"));
        assert!(e.to_string().contains(":2: bogus: unknown field"), "{e}");

        // Unreadable (a directory): an error, not the default.
        let e = load_default(Some(&dir)).unwrap_err();
        assert!(e.to_string().starts_with("cannot read "), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn home_is_shown_as_tilde() {
        if let Some(home) = env::var_os("HOME").filter(|h| !h.is_empty()) {
            let path = PathBuf::from(home).join(".config/fluxdeck/config.toml");
            assert_eq!(display_path(&path), "~/.config/fluxdeck/config.toml");
        }
        assert_eq!(display_path(Path::new("/etc/x.toml")), "/etc/x.toml");
    }
}
