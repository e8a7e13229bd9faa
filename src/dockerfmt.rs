//! Docker's output formatting, without I/O: Go templates as the docker CLI evaluates `--format`, the default
//! tables of `docker ps`, `images`, `volume ls`, `network ls` and `history`, `docker inspect`'s output, and the
//! human durations and sizes Docker prints. The simulated engine uses it to print exactly what Docker 28 prints.
//!
//! No crate evaluates Go templates the way Docker needs: Docker's errors name the failing node and position
//! (`template: :1:2: executing "" at <.Nope>: …`), templates must tell Go structs from Go maps (a missing key of a
//! map prints `<no value>`, a missing struct field is an error), and `{{json .}}` must keep the key order of the
//! data. So the template language lives here: [`lex`]/[`parse`] (nom-based), [`exec`] and the function set.
//!
//! Entry points:
//! - [`render_rows`]: a list command's output for rows given as formatter JSON (what `{{json .}}` prints);
//! - [`render_ps`], [`render_images`], [`render_volumes`], [`render_networks`], [`render_history`]: the same
//!   from plain row structs; [`port_lines`] for `docker port`;
//! - [`Inspector`]: `docker inspect [--format]` over inspect JSON;
//! - [`Template`]: one template on one value.

// Go's int, uint and float64 conversions are mirrored on purpose (template numbers, byte lengths, sizes); the
// values converted are far inside the ranges where these casts are exact.
#![allow(clippy::cast_precision_loss, clippy::cast_possible_wrap, clippy::cast_sign_loss)]
// The flags mirror Docker's and Go's own option structs (list flags, fmt's flags, a container's state).
#![allow(clippy::struct_excessive_bools)]

mod exec;
mod funcs;
mod json;
mod lex;
mod parse;
mod printf;
mod tables;
mod tabwriter;
mod units;
mod value;

#[cfg(test)]
mod tests;

use std::fmt;
use std::time::SystemTime;

use serde_json::Value;

pub use tables::{HistoryRow, ImageRow, MountSummary, NetworkRow, PortBinding, PsRow, VolumeRow, port_lines};
pub use units::{
    ContainerState, PortSummary, container_status, displayable_ports, ellipsis, human_duration, human_size,
    human_size_with_precision, natural_less, truncate_id,
};

use exec::Options;
use value::{Shape, Val};

/// An error as the docker CLI reports it: the text it prints on stderr and its exit status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError {
    pub message: String,
    pub status: i32,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FormatError {}

fn fail(prefix: &str, err: &str) -> FormatError {
    FormatError { message: format!("{prefix}{err}"), status: 1 }
}

/// What the data of a template is, which decides Go's behaviour on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataKind {
    /// Inspect JSON read as Docker's typed structs (maps such as `.Config.Labels` print `<no value>` for
    /// missing keys; unknown struct fields are errors).
    Typed,
    /// JSON decoded into `map[string]interface{}` with `missingkey=error`: `docker inspect`'s fallback.
    Raw,
    /// A row of a list command.
    Row(ListKind),
}

/// A parsed template with Docker's functions (`json`, `split`, `join`, `title`, `lower`, `upper`, `pad`,
/// `truncate`) beside Go's builtins.
#[derive(Debug)]
pub struct Template {
    tree: parse::Tree,
    text: String,
}

impl Template {
    /// Parses as Go does; the error is Go's text, e.g. `template: :1: unclosed action`.
    pub fn parse(text: &str) -> Result<Template, String> {
        Ok(Template { tree: parse::parse(text)?, text: text.to_string() })
    }

    /// Executes on `data`; the error is Go's text, e.g.
    /// `template: :1:2: executing "" at <.Nope>: map has no entry for key "Nope"`.
    pub fn execute(&self, data: &Value, kind: DataKind) -> Result<String, String> {
        let (shape, opts) = match kind {
            DataKind::Typed => (Shape::Typed, Options::default()),
            DataKind::Raw => (Shape::Raw, Options { missing_key_error: true, boxed: true, header: false }),
            DataKind::Row(k) => (k.shape(), Options::default()),
        };
        let (out, r) = self.run(&value::from_json(data, shape), opts);
        r.map(|()| out)
    }

    fn run(&self, data: &Val, opts: Options) -> (String, Result<(), String>) {
        exec::execute(&self.tree, &self.text, data, opts)
    }
}

/// The list commands whose output [`render_rows`] produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// `docker ps`
    Containers,
    /// `docker images`
    Images,
    /// `docker volume ls`
    Volumes,
    /// `docker network ls`
    Networks,
    /// `docker history`
    History,
}

impl ListKind {
    fn shape(self) -> Shape {
        let (ty, label_method) = match self {
            ListKind::Containers => ("*formatter.ContainerContext", true),
            ListKind::Images => ("*formatter.imageContext", false),
            ListKind::Volumes => ("*formatter.volumeContext", true),
            ListKind::Networks => ("*network.networkContext", true),
            ListKind::History => ("*image.historyContext", false),
        };
        Shape::Row { ty, label_method }
    }

    /// Docker's column titles for the row fields.
    fn headers(self) -> &'static [(&'static str, &'static str)] {
        match self {
            ListKind::Containers => &[
                ("ID", "CONTAINER ID"),
                ("Names", "NAMES"),
                ("Image", "IMAGE"),
                ("Command", "COMMAND"),
                ("CreatedAt", "CREATED AT"),
                ("RunningFor", "CREATED"),
                ("Ports", "PORTS"),
                ("State", "STATE"),
                ("Status", "STATUS"),
                ("Size", "SIZE"),
                ("Labels", "LABELS"),
                ("Mounts", "MOUNTS"),
                ("LocalVolumes", "LOCAL VOLUMES"),
                ("Networks", "NETWORKS"),
                ("Platform", "PLATFORM"),
            ],
            ListKind::Images => &[
                ("ID", "IMAGE ID"),
                ("Repository", "REPOSITORY"),
                ("Tag", "TAG"),
                ("Digest", "DIGEST"),
                ("CreatedSince", "CREATED"),
                ("CreatedAt", "CREATED AT"),
                ("Size", "SIZE"),
                ("Containers", "CONTAINERS"),
                ("VirtualSize", "SIZE"),
                ("SharedSize", "SHARED SIZE"),
                ("UniqueSize", "UNIQUE SIZE"),
            ],
            ListKind::Volumes => &[
                ("ID", "ID"),
                ("Name", "VOLUME NAME"),
                ("Group", "GROUP"),
                ("Driver", "DRIVER"),
                ("Scope", "SCOPE"),
                ("Availability", "AVAILABILITY"),
                ("Mountpoint", "MOUNTPOINT"),
                ("Labels", "LABELS"),
                ("Links", "LINKS"),
                ("Size", "SIZE"),
                ("Status", "STATUS"),
            ],
            ListKind::Networks => &[
                ("ID", "NETWORK ID"),
                ("Name", "NAME"),
                ("Driver", "DRIVER"),
                ("Scope", "SCOPE"),
                ("IPv4", "IPV4"),
                ("IPv6", "IPV6"),
                ("Internal", "INTERNAL"),
                ("Labels", "LABELS"),
                ("CreatedAt", "CREATED AT"),
            ],
            ListKind::History => &[
                ("ID", "IMAGE"),
                ("CreatedSince", "CREATED"),
                ("CreatedAt", "CREATED AT"),
                ("CreatedBy", "CREATED BY"),
                ("Size", "SIZE"),
                ("Comment", "COMMENT"),
            ],
        }
    }
}

/// How a list command was asked to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListFormat {
    pub kind: ListKind,
    /// `-q`
    pub quiet: bool,
    /// `docker ps --size`: adds the SIZE column to the default table.
    pub size: bool,
    /// `docker images --digests`: adds the DIGEST column.
    pub digests: bool,
    /// `docker history --human` (the default, true).
    pub human: bool,
}

impl ListFormat {
    #[must_use]
    pub fn new(kind: ListKind) -> ListFormat {
        ListFormat { kind, quiet: false, size: false, digests: false, human: true }
    }

    /// The format Docker settles on for `--format` value `source` (Docker's `New…Format` functions).
    fn resolve(self, source: &str) -> String {
        let source = if source.is_empty() { "table" } else { source };
        let quiet_id = if self.kind == ListKind::Volumes { "{{.Name}}" } else { "{{.ID}}" };
        match (self.kind, source) {
            (ListKind::Containers, "table") if self.quiet => quiet_id.into(),
            (ListKind::Containers, "table") => {
                let mut f = String::from(
                    "table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.RunningFor}}\\t{{.Status}}\\t{{.Ports}}\\t{{.Names}}",
                );
                if self.size {
                    f.push_str("\\t{{.Size}}");
                }
                f
            }
            (ListKind::Containers, "raw") if self.quiet => "container_id: {{.ID}}".into(),
            (ListKind::Containers, "raw") => {
                let mut f = String::from(
                    "container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\n\
                     state: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\n\
                     labels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n",
                );
                if self.size {
                    f.push_str("size: {{.Size}}\\n");
                }
                f
            }
            (ListKind::Containers, _) | (_, "table") if self.quiet => quiet_id.into(),
            (ListKind::Images, "table") => {
                let created = "{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}";
                let digest = if self.digests { "\\t{{.Digest}}" } else { "" };
                format!("table {{{{.Repository}}}}\\t{{{{.Tag}}}}{digest}\\t{{{{.ID}}}}\\t{created}\\t{{{{.Size}}}}")
            }
            (ListKind::Images, "raw") if self.quiet => "image_id: {{.ID}}".into(),
            (ListKind::Images, "raw") => {
                let digest = if self.digests { "digest: {{.Digest}}\n" } else { "" };
                format!(
                    "repository: {{{{ .Repository }}}}\ntag: {{{{.Tag}}}}\n{digest}image_id: {{{{.ID}}}}\n\
                     created_at: {{{{.CreatedAt}}}}\nvirtual_size: {{{{.Size}}}}\n"
                )
            }
            (ListKind::Images, custom)
                if custom.starts_with("table") && self.digests && !custom.contains("{{.Digest}}") =>
            {
                format!("{custom}\\t{{{{.Digest}}}}")
            }
            (ListKind::Volumes, "table") => "table {{.Driver}}\\t{{.Name}}".into(),
            (ListKind::Volumes, "raw") if self.quiet => "name: {{.Name}}".into(),
            (ListKind::Volumes, "raw") => "name: {{.Name}}\\ndriver: {{.Driver}}\\n".into(),
            (ListKind::Networks, "table") => "table {{.ID}}\\t{{.Name}}\\t{{.Driver}}\\t{{.Scope}}".into(),
            (ListKind::Networks, "raw") if self.quiet => "network_id: {{.ID}}".into(),
            (ListKind::Networks, "raw") => {
                "network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n".into()
            }
            (ListKind::History, "table") if self.human => {
                "table {{.ID}}\\t{{.CreatedSince}}\\t{{.CreatedBy}}\\t{{.Size}}\\t{{.Comment}}".into()
            }
            (ListKind::History, "table") => {
                "table {{.ID}}\\t{{.CreatedAt}}\\t{{.CreatedBy}}\\t{{.Size}}\\t{{.Comment}}".into()
            }
            (_, custom) => custom.to_string(),
        }
    }
}

/// The output of a list command (`docker ps`, `images`, `volume ls`, `network ls`, `history`) for `rows`, the
/// formatter objects that `--format '{{json .}}'` prints, and the user's `--format` (`None`: the default table).
/// Handles `table …`, `json`, `raw` and plain templates; the output ends with a newline per row.
pub fn render_rows(format: Option<&str>, rows: &[Value], list: &ListFormat) -> Result<String, FormatError> {
    let source = format.unwrap_or("");
    if list.kind == ListKind::Containers && !source.is_empty() {
        // `docker ps` first runs the user's format, untouched, on an empty container to see which fields it
        // uses; its errors are the ones users see.
        let t = parse::parse(source).map_err(|e| fail("failed to parse template: ", &e))?;
        let empty = value::from_json(&empty_container(), list.kind.shape());
        exec::execute(&t, source, &empty, Options::default())
            .1
            .map_err(|e| fail("failed to execute template: ", &e))?;
    }
    let resolved = list.resolve(source);
    let is_table = resolved.starts_with("table");
    let mut text = if is_table {
        resolved["table".len()..].to_string()
    } else if resolved == "json" {
        "{{json .}}".to_string()
    } else {
        resolved
    };
    text = text.trim_matches(' ').replace("\\t", "\t").replace("\\n", "\n");
    let tree = parse::parse(&text).map_err(|e| fail("template parsing error: ", &e))?;
    let mut body = String::new();
    for row in rows {
        let data = value::from_json(row, list.kind.shape());
        let (out, r) = exec::execute(&tree, &text, &data, Options::default());
        r.map_err(|e| fail("template parsing error: ", &e))?;
        body.push_str(&out);
        body.push('\n');
    }
    if !is_table {
        return Ok(body);
    }
    let header = value::header(list.kind.headers());
    let (head, _) = exec::execute(&tree, &text, &header, Options { header: true, ..Options::default() });
    Ok(tabwriter::align(&format!("{head}\n{body}")))
}

/// The context `docker ps` checks a format against: a container with every field empty.
fn empty_container() -> Value {
    PsRow::default().to_value(true, SystemTime::UNIX_EPOCH)
}

/// Options of `docker ps` for [`render_ps`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PsOptions<'a> {
    pub format: Option<&'a str>,
    pub quiet: bool,
    pub no_trunc: bool,
    pub size: bool,
}

/// `docker ps` output for `rows`, with times measured at `now`.
pub fn render_ps(rows: &[PsRow], opts: &PsOptions<'_>, now: SystemTime) -> Result<String, FormatError> {
    let values: Vec<Value> = rows.iter().map(|r| r.to_value(!opts.no_trunc, now)).collect();
    let list = ListFormat { quiet: opts.quiet, size: opts.size, ..ListFormat::new(ListKind::Containers) };
    render_rows(opts.format, &values, &list)
}

/// Options shared by `docker images`, `volume ls`, `network ls` and `history` for the `render_*` functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListOptions<'a> {
    pub format: Option<&'a str>,
    pub quiet: bool,
    pub no_trunc: bool,
    /// `docker images --digests`
    pub digests: bool,
    /// `docker history --human` (default true)
    pub human: bool,
}

impl Default for ListOptions<'_> {
    fn default() -> Self {
        ListOptions { format: None, quiet: false, no_trunc: false, digests: false, human: true }
    }
}

impl ListOptions<'_> {
    fn list(&self, kind: ListKind) -> ListFormat {
        ListFormat { quiet: self.quiet, digests: self.digests, human: self.human, ..ListFormat::new(kind) }
    }
}

/// `docker images` output.
pub fn render_images(rows: &[ImageRow], opts: &ListOptions<'_>, now: SystemTime) -> Result<String, FormatError> {
    let values: Vec<Value> = rows.iter().map(|r| r.to_value(!opts.no_trunc, now)).collect();
    render_rows(opts.format, &values, &opts.list(ListKind::Images))
}

/// `docker volume ls` output.
pub fn render_volumes(rows: &[VolumeRow], opts: &ListOptions<'_>) -> Result<String, FormatError> {
    let values: Vec<Value> = rows.iter().map(VolumeRow::to_value).collect();
    render_rows(opts.format, &values, &opts.list(ListKind::Volumes))
}

/// `docker network ls` output.
pub fn render_networks(rows: &[NetworkRow], opts: &ListOptions<'_>) -> Result<String, FormatError> {
    let values: Vec<Value> = rows.iter().map(|r| r.to_value(!opts.no_trunc)).collect();
    render_rows(opts.format, &values, &opts.list(ListKind::Networks))
}

/// `docker history` output.
pub fn render_history(rows: &[HistoryRow], opts: &ListOptions<'_>, now: SystemTime) -> Result<String, FormatError> {
    let values: Vec<Value> = rows.iter().map(|r| r.to_value(!opts.no_trunc, opts.human, now)).collect();
    render_rows(opts.format, &values, &opts.list(ListKind::History))
}

enum InspectMode {
    Indented,
    Json,
    Template(Template),
}

/// `docker inspect [--format F] NAME...`: feed it each object's inspect JSON (or the error for a name that was
/// not found) in the order of the names, then [`Inspector::finish`].
pub struct Inspector {
    mode: InspectMode,
    elements: Vec<Value>,
    out: String,
    errors: Vec<String>,
}

/// What `docker inspect` prints: stdout, stderr (empty or ending in a newline) and the exit status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InspectOutput {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
}

impl Inspector {
    /// A template that does not parse fails here, with Docker's status 64.
    pub fn new(format: Option<&str>) -> Result<Inspector, FormatError> {
        let mode = match format.unwrap_or("") {
            "" => InspectMode::Indented,
            "json" => InspectMode::Json,
            f => InspectMode::Template(
                Template::parse(f)
                    .map_err(|e| FormatError { message: format!("template parsing error: {e}"), status: 64 })?,
            ),
        };
        Ok(Inspector { mode, elements: Vec::new(), out: String::new(), errors: Vec::new() })
    }

    /// Adds one inspected object: the typed pass first, then Docker's raw-map fallback.
    pub fn add(&mut self, element: &Value) {
        let InspectMode::Template(t) = &self.mode else {
            self.elements.push(element.clone());
            return;
        };
        let (out, r) = t.run(&value::from_json(element, Shape::Typed), Options::default());
        if r.is_ok() {
            self.out.push_str(&out);
            self.out.push('\n');
            return;
        }
        let raw = Options { missing_key_error: true, boxed: true, header: false };
        match t.run(&value::from_json(element, Shape::Raw), raw) {
            (out, Ok(())) => {
                self.out.push_str(&out);
                self.out.push('\n');
            }
            (_, Err(e)) => self.errors.push(format!("template parsing error: {e}")),
        }
    }

    /// Records an error for a name (such as `Error: No such object: x`), in order with template errors.
    pub fn add_error(&mut self, message: &str) {
        self.errors.push(message.to_string());
    }

    #[must_use]
    pub fn finish(self) -> InspectOutput {
        let stdout = match self.mode {
            InspectMode::Template(_) if self.out.is_empty() => "\n".to_string(),
            InspectMode::Template(_) => self.out,
            _ if self.elements.is_empty() => "[]\n".to_string(),
            mode => {
                let indent = matches!(mode, InspectMode::Indented).then_some("    ");
                let mut s = String::new();
                json::daemon_json(&Value::Array(self.elements), indent, &mut s);
                s.push('\n');
                s
            }
        };
        let stderr = if self.errors.is_empty() { String::new() } else { self.errors.join("\n") + "\n" };
        InspectOutput { stdout, stderr, status: i32::from(!self.errors.is_empty()) }
    }
}
