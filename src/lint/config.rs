//! Lint configuration: docklings' own `.docklings.toml` (a `[lint]` table) and hadolint's `.hadolint.yaml`, read
//! from text (the caller finds and reads the files).

use std::collections::BTreeMap;

use serde::Deserialize;
use yaml_rust2::{Yaml, YamlLoader};

use super::diagnostic::Level;

/// The level at or above which findings make `docklings lint` exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Threshold {
    Level(Level),
    /// Never fail on findings.
    Never,
}

impl std::str::FromStr for Threshold {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("none") {
            return Ok(Threshold::Never);
        }
        s.parse::<Level>()
            .map(Threshold::Level)
            .map_err(|_| format!("unknown failure threshold `{s}` (expected error, warning, info, style or none)"))
    }
}

/// Settings some rules read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSettings {
    /// Registries FROM may pull from (DL3026); empty means any. `trusted-registries` (or `allowed-registries`)
    /// in `.docklings.toml`, `trustedRegistries` in `.hadolint.yaml`. An entry is a registry host with its port
    /// when it has one; `*.example.com` trusts every subdomain of `example.com`; any spelling of Docker Hub
    /// (`docker.io`, `index.docker.io`, …) trusts images written without a registry.
    pub trusted_registries: Vec<String>,
    /// Labels every image must carry, with the type of their value: `label-schema` in both files, a table in
    /// `.docklings.toml` (`[lint.label-schema]`, `"org.opencontainers.image.version" = "semver"`) and a
    /// mapping in `.hadolint.yaml`. The types are those of [`LABEL_TYPES`]: `text` (any value but an empty
    /// one), `url`, `rfc3339`, `semver`, `hash` (a git commit), `spdx` (a license expression) and `email`.
    /// DL3049 reports images without one of these labels, DL3051 empty ones, DL3052 to DL3058 values of the
    /// wrong type.
    pub label_schema: BTreeMap<String, String>,
    /// `strict-labels`: report labels not in the schema (DL3050).
    pub strict_labels: bool,
}

/// The value types a `label-schema` may give a label, as hadolint names them.
pub const LABEL_TYPES: &[&str] = &["text", "url", "rfc3339", "semver", "hash", "spdx", "email"];

fn check_label_type(label: &str, kind: &str) -> Result<(), String> {
    if LABEL_TYPES.contains(&kind) {
        return Ok(());
    }
    Err(format!("label-schema: `{label}` has unknown type `{kind}` (expected one of {})", LABEL_TYPES.join(", ")))
}

/// One configuration file's content.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Codes or names of rules to turn off.
    pub ignored: Vec<String>,
    /// Codes or names of rules to turn on that are off by default.
    pub enabled: Vec<String>,
    /// Level changes, by code or name.
    pub overrides: Vec<(String, Level)>,
    pub failure_threshold: Option<Threshold>,
    pub disable_ignore_pragma: bool,
    pub rules: RuleSettings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    lint: Option<TomlLint>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TomlLint {
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    enable: Vec<String>,
    failure_threshold: Option<String>,
    /// `trusted-registries`, also spelled `allowed-registries`.
    #[serde(default, alias = "allowed-registries")]
    trusted_registries: Vec<String>,
    #[serde(default)]
    label_schema: BTreeMap<String, String>,
    #[serde(default)]
    strict_labels: bool,
    #[serde(default)]
    disable_ignore_pragma: bool,
    #[serde(default, rename = "override")]
    overrides: BTreeMap<String, Vec<String>>,
}

/// Reads `.docklings.toml`.
pub fn parse_toml(text: &str) -> Result<Config, String> {
    let file: TomlFile = toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())?;
    let lint = file.lint.unwrap_or_default();
    for (label, kind) in &lint.label_schema {
        check_label_type(label, kind)?;
    }
    let mut overrides = Vec::new();
    for (level, codes) in lint.overrides {
        let level: Level = level.parse().map_err(|e| format!("in [lint.override]: {e}"))?;
        overrides.extend(codes.into_iter().map(|c| (c, level)));
    }
    let failure_threshold = lint
        .failure_threshold
        .map(|t| t.parse::<Threshold>().map_err(|e| format!("failure-threshold: {e}")))
        .transpose()?;
    Ok(Config {
        ignored: lint.ignore,
        enabled: lint.enable,
        overrides,
        failure_threshold,
        disable_ignore_pragma: lint.disable_ignore_pragma,
        rules: RuleSettings {
            trusted_registries: lint.trusted_registries,
            label_schema: lint.label_schema,
            strict_labels: lint.strict_labels,
        },
    })
}

fn strings(y: &Yaml, key: &str) -> Result<Vec<String>, String> {
    match y {
        Yaml::BadValue | Yaml::Null => Ok(Vec::new()),
        Yaml::Array(items) => {
            items.iter().map(|i| scalar(i).ok_or_else(|| format!("`{key}` must be a list of strings"))).collect()
        }
        _ => Err(format!("`{key}` must be a list of strings")),
    }
}

fn scalar(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads hadolint's `.hadolint.yaml` (the keys that concern rules; hadolint's output options are ignored).
pub fn parse_hadolint_yaml(text: &str) -> Result<Config, String> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| e.to_string())?;
    let Some(doc) = docs.into_iter().next() else { return Ok(Config::default()) };
    let map = match doc {
        Yaml::Hash(h) => h,
        Yaml::Null => return Ok(Config::default()),
        _ => return Err("expected a mapping at the top level".into()),
    };
    let mut config = Config::default();
    for (k, v) in &map {
        let key = scalar(k).unwrap_or_default();
        match key.as_str() {
            "ignored" => config.ignored = strings(v, &key)?,
            "trustedRegistries" => config.rules.trusted_registries = strings(v, &key)?,
            "failure-threshold" => {
                let s = scalar(v).ok_or("`failure-threshold` must be a string")?;
                config.failure_threshold = Some(s.parse()?);
            }
            "override" => {
                let Yaml::Hash(levels) = v else { return Err("`override` must map levels to lists of codes".into()) };
                for (level, codes) in levels {
                    let level: Level = scalar(level).unwrap_or_default().parse()?;
                    for code in strings(codes, "override")? {
                        // hadolint turns on its rules that are off by default (DL3057, DL1001) by giving them a level.
                        config.enabled.push(code.clone());
                        config.overrides.push((code, level));
                    }
                }
            }
            "label-schema" => {
                let Yaml::Hash(labels) = v else { return Err("`label-schema` must map labels to types".into()) };
                for (name, typ) in labels {
                    let (Some(name), Some(typ)) = (scalar(name), scalar(typ)) else {
                        return Err("`label-schema` must map labels to types".into());
                    };
                    check_label_type(&name, &typ)?;
                    config.rules.label_schema.insert(name, typ);
                }
            }
            "strict-labels" => config.rules.strict_labels = matches!(v, Yaml::Boolean(true)),
            "disable-ignore-pragma" => config.disable_ignore_pragma = matches!(v, Yaml::Boolean(true)),
            _ => {}
        }
    }
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_docklings_toml() {
        let c = parse_toml(
            "[lint]\nignore = [\"DL3008\"]\nfailure-threshold = \"warning\"\n[lint.override]\nerror = [\"DL3007\"]\n",
        )
        .unwrap();
        assert_eq!(c.ignored, ["DL3008"]);
        assert_eq!(c.failure_threshold, Some(Threshold::Level(Level::Warning)));
        assert_eq!(c.overrides, [("DL3007".to_string(), Level::Error)]);
        let err = parse_toml("[lint]\nignored = []\n").unwrap_err();
        assert!(err.contains("unknown field `ignored`"), "{err}");
        assert!(parse_toml("[lint]\nfailure-threshold = \"fatal\"\n").unwrap_err().contains("fatal"));
        let c = parse_toml("[lint]\nallowed-registries = [\"registry.example.com\"]\n").unwrap();
        assert_eq!(c.rules.trusted_registries, ["registry.example.com"]);
    }

    #[test]
    fn reads_hadolint_yaml() {
        let c = parse_hadolint_yaml(
            "ignored:\n  - DL3006\noverride:\n  info:\n    - DL3008\nfailure-threshold: error\ntrustedRegistries:\n  - docker.io\n",
        )
        .unwrap();
        assert_eq!(c.ignored, ["DL3006"]);
        assert_eq!(c.overrides, [("DL3008".to_string(), Level::Info)]);
        assert_eq!(c.failure_threshold, Some(Threshold::Level(Level::Error)));
        assert_eq!(c.rules.trusted_registries, ["docker.io"]);
        assert!(parse_hadolint_yaml("ignored: 3\n").is_err());
        assert_eq!(c.enabled, ["DL3008"], "a level given in hadolint's file turns the rule on");
        assert!(parse_hadolint_yaml("ignored: [\n").is_err());
    }

    #[test]
    fn reads_label_schema_both_ways() {
        let y = parse_hadolint_yaml(
            "label-schema:\n  author: text\n  org.opencontainers.image.version: semver\nstrict-labels: true\n",
        )
        .unwrap();
        assert_eq!(y.rules.label_schema.get("org.opencontainers.image.version").map(String::as_str), Some("semver"));
        assert!(y.rules.strict_labels);
        let t = parse_toml("[lint]\nstrict-labels = true\n[lint.label-schema]\nauthor = \"email\"\n").unwrap();
        assert_eq!(t.rules.label_schema.get("author").map(String::as_str), Some("email"));
        assert!(t.rules.strict_labels);
        let err = parse_hadolint_yaml("label-schema:\n  author: name\n").unwrap_err();
        assert!(err.contains("unknown type `name`"), "{err}");
        assert!(parse_toml("[lint.label-schema]\nauthor = \"date\"\n").unwrap_err().contains("`date`"));
    }
}
