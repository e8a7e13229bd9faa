//! The rule table: the one place where rule codes are spelled, with each rule's name, level, target and docs.

use super::context::DockerfileContext;
use super::diagnostic::{Level, Violation};
use super::rules;
use super::scripts::ScriptContext;

/// A rule's documentation, under the fixed headings `explain`, SARIF and the book show.
#[derive(Debug)]
pub struct RuleDocs {
    /// One line: what the rule flags.
    pub summary: &'static str,
    pub what: &'static str,
    pub why: &'static str,
    /// A snippet that the rule flags.
    pub example: &'static str,
    /// The same snippet written well.
    pub instead: &'static str,
    /// What `--fix` does, when the rule has a fix.
    pub fix: Option<&'static str>,
}

pub type DockerfileCheck = fn(&DockerfileContext, &mut Vec<Violation>);
pub type ScriptCheck = fn(&ScriptContext, &mut Vec<Violation>);

/// What a rule reads.
#[derive(Clone, Copy)]
pub enum Check {
    /// Problems the parser reports (DL1000).
    Parser,
    Dockerfile(DockerfileCheck),
    /// `docker …` commands in shell scripts, Makefiles, CI workflows and Markdown.
    Script(ScriptCheck),
}

pub struct Rule {
    pub code: &'static str,
    /// The pattern the rule flags, in CamelCase.
    pub name: &'static str,
    /// Other names accepted wherever a code is (BuildKit's check names).
    pub aliases: &'static [&'static str],
    pub level: Level,
    pub default_enabled: bool,
    pub check: Check,
    pub docs: &'static RuleDocs,
}

impl Rule {
    const fn new(code: &'static str, name: &'static str, level: Level, check: Check, docs: &'static RuleDocs) -> Rule {
        Rule { code, name, aliases: &[], level, default_enabled: true, check, docs }
    }

    /// True for BuildKit's build checks that hadolint lacks (DK3xxx): what `# check=skip=all` turns off. Rules
    /// with a hadolint code keep answering to hadolint's configuration, though `skip=` may name them.
    #[must_use]
    pub fn is_buildkit_check(&self) -> bool {
        self.code.starts_with("DK3")
    }

    #[must_use]
    pub fn matches(&self, code_or_name: &str) -> bool {
        self.code.eq_ignore_ascii_case(code_or_name)
            || self.name.eq_ignore_ascii_case(code_or_name)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(code_or_name))
    }
}

use Check::{Dockerfile as D, Script as S};
use Level::{Error, Info, Style, Warning};

pub static RULES: &[Rule] = &[
    Rule::new("DL1000", "ParseError", Error, Check::Parser, &rules::PARSE_ERROR_DOCS),
    Rule {
        default_enabled: false,
        ..Rule::new("DL1001", "IgnorePragma", Info, D(rules::ignore_pragma::check), &rules::ignore_pragma::DOCS)
    },
    Rule::new(
        "DK1001",
        "CopyBeforeInstall",
        Warning,
        D(rules::copy_before_install::check),
        &rules::copy_before_install::DOCS,
    ),
    Rule::new(
        "DK2001",
        "UnpublishedExpose",
        Warning,
        S(rules::unpublished_expose::check),
        &rules::unpublished_expose::DOCS,
    ),
    Rule::new(
        "DK2002",
        "LeftoverContainer",
        Info,
        S(rules::leftover_container::check),
        &rules::leftover_container::DOCS,
    ),
    Rule::new("DK3001", "StageNameCasing", Style, D(rules::stage_name_casing::check), &rules::stage_name_casing::DOCS),
    Rule::new("DK3002", "FromAsCasing", Style, D(rules::from_as_casing::check), &rules::from_as_casing::DOCS),
    Rule {
        aliases: &["NoEmptyContinuation"],
        ..Rule::new(
            "DK3003",
            "EmptyContinuation",
            Warning,
            D(rules::empty_continuation::check),
            &rules::empty_continuation::DOCS,
        )
    },
    Rule {
        aliases: &["ConsistentInstructionCasing"],
        ..Rule::new(
            "DK3004",
            "InconsistentInstructionCasing",
            Style,
            D(rules::inconsistent_instruction_casing::check),
            &rules::inconsistent_instruction_casing::DOCS,
        )
    },
    Rule::new(
        "DK3005",
        "UndefinedArgInFrom",
        Warning,
        D(rules::undefined_arg_in_from::check),
        &rules::undefined_arg_in_from::DOCS,
    ),
    Rule::new("DK3006", "UndefinedVar", Warning, D(rules::undefined_var::check), &rules::undefined_var::DOCS),
    Rule::new(
        "DK3007",
        "LegacyKeyValueFormat",
        Info,
        D(rules::legacy_key_value_format::check),
        &rules::legacy_key_value_format::DOCS,
    ),
    Rule::new(
        "DK3008",
        "InvalidDefaultArgInFrom",
        Error,
        D(rules::invalid_default_arg_in_from::check),
        &rules::invalid_default_arg_in_from::DOCS,
    ),
    Rule::new(
        "DK3009",
        "ExposeProtoCasing",
        Style,
        D(rules::expose_proto_casing::check),
        &rules::expose_proto_casing::DOCS,
    ),
    Rule::new(
        "DK3010",
        "ExposeInvalidFormat",
        Warning,
        D(rules::expose_invalid_format::check),
        &rules::expose_invalid_format::DOCS,
    ),
    Rule::new("DK3011", "CopyIgnoredFile", Error, D(rules::copy_ignored_file::check), &rules::copy_ignored_file::DOCS),
    // Off unless enabled: it fires on most Dockerfiles in the wild (347 of the 418 in ../shared/corpus), and as a
    // drop-in for hadolint docklings must not fail builds that passed before.
    Rule {
        default_enabled: false,
        ..Rule::new(
            "DK4001",
            "ImplicitRootUser",
            Info,
            D(rules::implicit_root_user::check),
            &rules::implicit_root_user::DOCS,
        )
    },
    Rule::new("DK4002", "SshPortExposed", Warning, D(rules::ssh_port_exposed::check), &rules::ssh_port_exposed::DOCS),
    Rule::new(
        "DK4003",
        "VerificationDisabled",
        Warning,
        D(rules::verification_disabled::check),
        &rules::verification_disabled::DOCS,
    ),
    Rule {
        aliases: &["SecretsUsedInArgOrEnv"],
        ..Rule::new(
            "DK4004",
            "SecretInArgOrEnv",
            Error,
            D(rules::secret_in_arg_or_env::check),
            &rules::secret_in_arg_or_env::DOCS,
        )
    },
    Rule::new(
        "DK4005",
        "UpdateWithoutInstall",
        Warning,
        D(rules::update_without_install::check),
        &rules::update_without_install::DOCS,
    ),
    Rule {
        aliases: &["WorkdirRelativePath"],
        ..Rule::new(
            "DL3000",
            "RelativeWorkdir",
            Error,
            D(rules::relative_workdir::check),
            &rules::relative_workdir::DOCS,
        )
    },
    Rule::new("DL3001", "SystemToolInRun", Info, D(rules::system_tool_in_run::check), &rules::system_tool_in_run::DOCS),
    Rule::new("DL3002", "FinalUserRoot", Warning, D(rules::final_user_root::check), &rules::final_user_root::DOCS),
    Rule::new("DL3003", "CdInRun", Warning, D(rules::cd_in_run::check), &rules::cd_in_run::DOCS),
    Rule::new("DL3004", "SudoInRun", Error, D(rules::sudo_in_run::check), &rules::sudo_in_run::DOCS),
    Rule::new("DL3006", "UntaggedImage", Warning, D(rules::untagged_image::check), &rules::untagged_image::DOCS),
    Rule::new("DL3007", "LatestTag", Warning, D(rules::latest_tag::check), &rules::latest_tag::DOCS),
    Rule::new(
        "DL3008",
        "UnpinnedAptPackage",
        Warning,
        D(rules::unpinned_apt_package::check),
        &rules::unpinned_apt_package::DOCS,
    ),
    Rule::new("DL3009", "AptListsKept", Info, D(rules::apt_lists_kept::check), &rules::apt_lists_kept::DOCS),
    Rule::new("DL3010", "CopyThenExtract", Info, D(rules::copy_then_extract::check), &rules::copy_then_extract::DOCS),
    Rule::new("DL3011", "PortOutOfRange", Error, D(rules::port_out_of_range::check), &rules::port_out_of_range::DOCS),
    Rule::new(
        "DL3012",
        "MultipleHealthcheck",
        Error,
        D(rules::multiple_healthcheck::check),
        &rules::multiple_healthcheck::DOCS,
    ),
    Rule::new(
        "DL3013",
        "UnpinnedPipPackage",
        Warning,
        D(rules::unpinned_pip_package::check),
        &rules::unpinned_pip_package::DOCS,
    ),
    Rule::new("DL3014", "AptGetPrompt", Warning, D(rules::apt_get_prompt::check), &rules::apt_get_prompt::DOCS),
    Rule::new("DL3015", "AptRecommends", Info, D(rules::apt_recommends::check), &rules::apt_recommends::DOCS),
    Rule::new(
        "DL3016",
        "UnpinnedNpmPackage",
        Warning,
        D(rules::unpinned_npm_package::check),
        &rules::unpinned_npm_package::DOCS,
    ),
    Rule::new(
        "DL3018",
        "UnpinnedApkPackage",
        Warning,
        D(rules::unpinned_apk_package::check),
        &rules::unpinned_apk_package::DOCS,
    ),
    Rule::new("DL3019", "ApkCacheKept", Info, D(rules::apk_cache_kept::check), &rules::apk_cache_kept::DOCS),
    Rule::new(
        "DL3020",
        "AddForLocalFiles",
        Error,
        D(rules::add_for_local_files::check),
        &rules::add_for_local_files::DOCS,
    ),
    Rule::new("DL3021", "CopyManyToFile", Error, D(rules::copy_many_to_file::check), &rules::copy_many_to_file::DOCS),
    Rule::new(
        "DL3022",
        "CopyFromUnknownStage",
        Warning,
        D(rules::copy_from_unknown_stage::check),
        &rules::copy_from_unknown_stage::DOCS,
    ),
    Rule::new(
        "DL3023",
        "CopyFromOwnStage",
        Error,
        D(rules::copy_from_own_stage::check),
        &rules::copy_from_own_stage::DOCS,
    ),
    Rule::new(
        "DL3024",
        "DuplicateStageName",
        Error,
        D(rules::duplicate_stage_name::check),
        &rules::duplicate_stage_name::DOCS,
    ),
    Rule {
        aliases: &["JSONArgsRecommended"],
        ..Rule::new(
            "DL3025",
            "ShellFormCommand",
            Warning,
            D(rules::shell_form_command::check),
            &rules::shell_form_command::DOCS,
        )
    },
    Rule::new(
        "DL3026",
        "UntrustedRegistry",
        Error,
        D(rules::untrusted_registry::check),
        &rules::untrusted_registry::DOCS,
    ),
    Rule::new("DL3027", "AptUse", Warning, D(rules::apt_use::check), &rules::apt_use::DOCS),
    Rule::new(
        "DL3028",
        "UnpinnedGemPackage",
        Warning,
        D(rules::unpinned_gem_package::check),
        &rules::unpinned_gem_package::DOCS,
    ),
    Rule {
        aliases: &["FromPlatformFlagConstDisallowed"],
        ..Rule::new(
            "DL3029",
            "FromPlatformFlag",
            Warning,
            D(rules::from_platform_flag::check),
            &rules::from_platform_flag::DOCS,
        )
    },
    Rule::new("DL3030", "YumPrompt", Warning, D(rules::yum_prompt::check), &rules::yum_prompt::DOCS),
    Rule::new("DL3032", "YumCacheKept", Warning, D(rules::yum_cache_kept::check), &rules::yum_cache_kept::DOCS),
    Rule::new(
        "DL3033",
        "UnpinnedYumPackage",
        Warning,
        D(rules::unpinned_yum_package::check),
        &rules::unpinned_yum_package::DOCS,
    ),
    Rule::new("DL3034", "ZypperPrompt", Warning, D(rules::zypper_prompt::check), &rules::zypper_prompt::DOCS),
    Rule::new(
        "DL3035",
        "ZypperDistUpgrade",
        Warning,
        D(rules::zypper_dist_upgrade::check),
        &rules::zypper_dist_upgrade::DOCS,
    ),
    Rule::new(
        "DL3036",
        "ZypperCacheKept",
        Warning,
        D(rules::zypper_cache_kept::check),
        &rules::zypper_cache_kept::DOCS,
    ),
    Rule::new(
        "DL3037",
        "UnpinnedZypperPackage",
        Warning,
        D(rules::unpinned_zypper_package::check),
        &rules::unpinned_zypper_package::DOCS,
    ),
    Rule::new("DL3038", "DnfPrompt", Warning, D(rules::dnf_prompt::check), &rules::dnf_prompt::DOCS),
    Rule::new("DL3040", "DnfCacheKept", Warning, D(rules::dnf_cache_kept::check), &rules::dnf_cache_kept::DOCS),
    Rule::new(
        "DL3041",
        "UnpinnedDnfPackage",
        Warning,
        D(rules::unpinned_dnf_package::check),
        &rules::unpinned_dnf_package::DOCS,
    ),
    Rule::new("DL3042", "PipCacheKept", Warning, D(rules::pip_cache_kept::check), &rules::pip_cache_kept::DOCS),
    Rule::new(
        "DL3043",
        "ForbiddenOnbuildTrigger",
        Error,
        D(rules::forbidden_onbuild_trigger::check),
        &rules::forbidden_onbuild_trigger::DOCS,
    ),
    Rule::new(
        "DL3044",
        "SameEnvReference",
        Error,
        D(rules::same_env_reference::check),
        &rules::same_env_reference::DOCS,
    ),
    Rule::new(
        "DL3045",
        "RelativeCopyDestination",
        Warning,
        D(rules::relative_copy_destination::check),
        &rules::relative_copy_destination::DOCS,
    ),
    Rule::new("DL3046", "UseraddHighUid", Warning, D(rules::useradd_high_uid::check), &rules::useradd_high_uid::DOCS),
    Rule::new("DL3047", "WgetProgressBar", Info, D(rules::wget_progress_bar::check), &rules::wget_progress_bar::DOCS),
    Rule::new("DL3048", "InvalidLabelKey", Style, D(rules::invalid_label_key::check), &rules::invalid_label_key::DOCS),
    Rule::new("DL3049", "MissingLabel", Info, D(rules::missing_label::check), &rules::missing_label::DOCS),
    Rule::new("DL3050", "SuperfluousLabel", Info, D(rules::superfluous_label::check), &rules::superfluous_label::DOCS),
    Rule::new("DL3051", "EmptyLabel", Warning, D(rules::empty_label::check), &rules::empty_label::DOCS),
    Rule::new("DL3052", "LabelNotUrl", Warning, D(rules::label_not_url::check), &rules::label_not_url::DOCS),
    Rule::new(
        "DL3053",
        "LabelNotRfc3339",
        Warning,
        D(rules::label_not_rfc3339::check),
        &rules::label_not_rfc3339::DOCS,
    ),
    Rule::new("DL3054", "LabelNotSpdx", Warning, D(rules::label_not_spdx::check), &rules::label_not_spdx::DOCS),
    Rule::new(
        "DL3055",
        "LabelNotGitHash",
        Warning,
        D(rules::label_not_git_hash::check),
        &rules::label_not_git_hash::DOCS,
    ),
    Rule::new("DL3056", "LabelNotSemver", Warning, D(rules::label_not_semver::check), &rules::label_not_semver::DOCS),
    Rule {
        default_enabled: false,
        ..Rule::new(
            "DL3057",
            "MissingHealthcheck",
            Info,
            D(rules::missing_healthcheck::check),
            &rules::missing_healthcheck::DOCS,
        )
    },
    Rule::new("DL3058", "LabelNotEmail", Warning, D(rules::label_not_email::check), &rules::label_not_email::DOCS),
    Rule::new("DL3059", "ConsecutiveRuns", Info, D(rules::consecutive_runs::check), &rules::consecutive_runs::DOCS),
    Rule::new("DL3060", "YarnCacheKept", Info, D(rules::yarn_cache_kept::check), &rules::yarn_cache_kept::DOCS),
    Rule::new(
        "DL3061",
        "InstructionBeforeFrom",
        Error,
        D(rules::instruction_before_from::check),
        &rules::instruction_before_from::DOCS,
    ),
    Rule::new(
        "DL3062",
        "UnpinnedGoPackage",
        Warning,
        D(rules::unpinned_go_package::check),
        &rules::unpinned_go_package::DOCS,
    ),
    Rule {
        aliases: &["ReservedStageName"],
        ..Rule::new(
            "DL3063",
            "StageNameReserved",
            Warning,
            D(rules::stage_name_reserved::check),
            &rules::stage_name_reserved::DOCS,
        )
    },
    Rule::new(
        "DL3064",
        "SensitiveVariableName",
        Warning,
        D(rules::sensitive_variable_name::check),
        &rules::sensitive_variable_name::DOCS,
    ),
    Rule {
        aliases: &["RedundantTargetPlatform"],
        ..Rule::new(
            "DL3065",
            "TargetPlatformFlag",
            Warning,
            D(rules::target_platform_flag::check),
            &rules::target_platform_flag::DOCS,
        )
    },
    Rule::new("DL3066", "UserByName", Info, D(rules::user_by_name::check), &rules::user_by_name::DOCS),
    Rule::new(
        "DL3067",
        "CopyWholeFilesystem",
        Warning,
        D(rules::copy_whole_filesystem::check),
        &rules::copy_whole_filesystem::DOCS,
    ),
    Rule {
        aliases: &["MaintainerDeprecated"],
        ..Rule::new(
            "DL4000",
            "MaintainerInstruction",
            Error,
            D(rules::maintainer_instruction::check),
            &rules::maintainer_instruction::DOCS,
        )
    },
    Rule::new("DL4001", "WgetAndCurl", Warning, D(rules::wget_and_curl::check), &rules::wget_and_curl::DOCS),
    Rule::new("DL4003", "MultipleCmd", Warning, D(rules::multiple_cmd::check), &rules::multiple_cmd::DOCS),
    Rule::new(
        "DL4004",
        "MultipleEntrypoint",
        Error,
        D(rules::multiple_entrypoint::check),
        &rules::multiple_entrypoint::DOCS,
    ),
    Rule::new("DL4005", "BinShReplaced", Warning, D(rules::bin_sh_replaced::check), &rules::bin_sh_replaced::DOCS),
    Rule::new(
        "DL4006",
        "PipeWithoutPipefail",
        Warning,
        D(rules::pipe_without_pipefail::check),
        &rules::pipe_without_pipefail::DOCS,
    ),
];

/// The rule with this code, name or alias.
#[must_use]
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.matches(code_or_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for r in RULES {
            assert!(seen.insert(r.code.to_ascii_lowercase()), "duplicate code {}", r.code);
            assert!(seen.insert(r.name.to_ascii_lowercase()), "duplicate name {}", r.name);
            for a in r.aliases {
                assert!(seen.insert(a.to_ascii_lowercase()), "duplicate alias {a}");
            }
            assert!(
                !r.name.starts_with("No") && !r.name.starts_with("Disallow"),
                "{}: name the pattern, not the fix",
                r.name
            );
        }
    }

    #[test]
    fn every_rule_has_docs() {
        for r in RULES {
            let d = r.docs;
            for (what, text) in [
                ("summary", d.summary),
                ("what", d.what),
                ("why", d.why),
                ("example", d.example),
                ("instead", d.instead),
            ] {
                assert!(!text.trim().is_empty(), "{}: empty {what}", r.code);
            }
        }
    }
}
