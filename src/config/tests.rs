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
    let expected = "2: keys.quit: expected a key string or a list of key strings, found integer";
    assert_eq!(err("[keys]\nquit = [\"q\", 3]\n"), expected);
}

#[test]
fn unknown_fields_name_file_line_and_key() {
    let expected =
        "2: readOnly: unknown field (expected theme, namespace, readonly, fleet, keys, contexts)";
    assert_eq!(err("theme = \"dark\"\nreadOnly = true\n"), expected);
    let expected = "3: contexts.\"prod-*\".namspace: unknown field (expected readonly, namespace)";
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

#[test]
fn a_fleet_lists_the_contexts_to_watch_and_must_be_strings() {
    let config = parse("fleet = [\"beta\", \"production\"]\n");
    assert_eq!(config.fleet, ["beta", "production"]);
    assert!(parse("").fleet.is_empty());
    let e = err("theme = \"dark\"\nfleet = \"beta\"\n");
    assert!(e.starts_with("2: fleet:"), "{e}");
}
