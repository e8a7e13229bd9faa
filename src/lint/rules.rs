//! One rule per file, named after the pattern it flags. Each file has `DOCS` and a `check` function; the
//! registry (`registry.rs`) gives each its code and level.

use super::registry::RuleDocs;

pub mod add_for_local_files;
pub mod apk_cache_kept;
pub mod apt_get_prompt;
pub mod apt_lists_kept;
pub mod apt_recommends;
pub mod apt_use;
pub mod bin_sh_replaced;
pub mod cd_in_run;
pub mod consecutive_runs;
pub mod copy_before_install;
pub mod copy_from_own_stage;
pub mod copy_from_unknown_stage;
pub mod copy_ignored_file;
pub mod copy_many_to_file;
pub mod copy_then_extract;
pub mod copy_whole_filesystem;
pub mod dnf_cache_kept;
pub mod dnf_prompt;
pub mod duplicate_stage_name;
pub mod empty_continuation;
pub mod empty_label;
pub mod expose_invalid_format;
pub mod expose_proto_casing;
pub mod final_user_root;
pub mod forbidden_onbuild_trigger;
pub mod from_as_casing;
pub mod from_platform_flag;
pub mod ignore_pragma;
pub mod implicit_root_user;
pub mod inconsistent_instruction_casing;
pub mod instruction_before_from;
pub mod invalid_default_arg_in_from;
pub mod invalid_label_key;
pub mod label_not_email;
pub mod label_not_git_hash;
pub mod label_not_rfc3339;
pub mod label_not_semver;
pub mod label_not_spdx;
pub mod label_not_url;
pub mod label_schema;
pub mod latest_tag;
pub mod leftover_container;
pub mod legacy_key_value_format;
pub mod maintainer_instruction;
pub mod missing_healthcheck;
pub mod missing_label;
pub mod multiple_cmd;
pub mod multiple_entrypoint;
pub mod multiple_healthcheck;
pub mod packages;
pub mod pip_cache_kept;
pub mod pipe_without_pipefail;
pub mod port_out_of_range;
pub mod relative_copy_destination;
pub mod relative_workdir;
pub mod rpm;
pub mod same_env_reference;
pub mod secret_in_arg_or_env;
pub mod sensitive_variable_name;
pub mod shell_form_command;
pub mod ssh_port_exposed;
pub mod stage_name_casing;
pub mod stage_name_reserved;
pub mod sudo_in_run;
pub mod superfluous_label;
pub mod system_tool_in_run;
pub mod target_platform_flag;
pub mod undefined_arg_in_from;
pub mod undefined_var;
pub mod unpinned_apk_package;
pub mod unpinned_apt_package;
pub mod unpinned_dnf_package;
pub mod unpinned_gem_package;
pub mod unpinned_go_package;
pub mod unpinned_npm_package;
pub mod unpinned_pip_package;
pub mod unpinned_yum_package;
pub mod unpinned_zypper_package;
pub mod unpublished_expose;
pub mod untagged_image;
pub mod untrusted_registry;
pub mod update_without_install;
pub mod user_by_name;
pub mod useradd_high_uid;
pub mod verification_disabled;
pub mod wget_and_curl;
pub mod wget_progress_bar;
pub mod yarn_cache_kept;
pub mod yum_cache_kept;
pub mod yum_prompt;
pub mod zypper_cache_kept;
pub mod zypper_dist_upgrade;
pub mod zypper_prompt;

/// An image reference split into its parts: `registry:5000/team/app:1.2@sha256:…`.
#[derive(Debug, PartialEq, Eq)]
pub struct ImageRef<'a> {
    /// Everything before the tag and digest, registry included.
    pub name: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    #[must_use]
    pub fn parse(reference: &'a str) -> ImageRef<'a> {
        let (rest, digest) = match reference.split_once('@') {
            Some((r, d)) => (r, Some(d)),
            None => (reference, None),
        };
        // A colon after the last slash starts the tag; one before it belongs to a registry port.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        match rest[last_slash..].rfind(':') {
            Some(i) => ImageRef { name: &rest[..last_slash + i], tag: Some(&rest[last_slash + i + 1..]), digest },
            None => ImageRef { name: rest, tag: None, digest },
        }
    }
}

/// DL1000 has no check of its own: the parser's problems are its findings.
pub static PARSE_ERROR_DOCS: RuleDocs = RuleDocs {
    summary: "The Dockerfile does not parse",
    what: "Reports each place where the Dockerfile breaks BuildKit's syntax: an unknown instruction, a \
           flag an instruction does not take, a heredoc that is never closed, a JSON array holding something \
           other than strings, a repeated parser directive. The rest of the file is still linted.",
    why: "`docker build` stops at the first of these, often after minutes of earlier steps.",
    example: "FROM alpine:3.20\nRUNN echo hello\n",
    instead: "FROM alpine:3.20\nRUN echo hello\n",
    fix: None,
};

#[cfg(test)]
mod tests {
    use super::ImageRef;

    #[test]
    fn splits_image_references() {
        let r = ImageRef::parse("localhost:5000/team/app:1.2@sha256:abc");
        assert_eq!((r.name, r.tag, r.digest), ("localhost:5000/team/app", Some("1.2"), Some("sha256:abc")));
        let r = ImageRef::parse("localhost:5000/app");
        assert_eq!((r.name, r.tag), ("localhost:5000/app", None));
        assert_eq!(ImageRef::parse("node:18").tag, Some("18"));
    }
}
