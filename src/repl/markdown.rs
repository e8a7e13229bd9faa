//! Lesson prose for the terminal: the Markdown that lessons are written in, rendered the way a reader expects to
//! see it rather than as its source. Headings are bold, `code` and fenced blocks coloured, lists get bullets,
//! links read as `text (url)`, and paragraphs are wrapped to the terminal's width by display width, so a line of
//! Korean (two columns a syllable) wraps where it should and words are never cut in half.
//!
//! Without colour (`NO_COLOR`, a pipe, `--color never`) the text stays readable: inline code keeps its
//! backticks, since nothing else would set a command apart from the sentence around it.

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use unicode_width::UnicodeWidthStr;

/// How to render: the width to wrap to and whether to colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub width: usize,
    pub colour: bool,
}

/// Prose is hard to read in lines much longer than this, however wide the terminal.
const MAX_WIDTH: usize = 100;

impl Style {
    /// The terminal's width (80 when standard output is not a terminal), and colour as `--color` and
    /// `NO_COLOR` decided.
    #[must_use]
    pub fn terminal() -> Style {
        Style {
            width: textwrap::termwidth().clamp(20, MAX_WIDTH),
            colour: colored::control::SHOULD_COLORIZE.should_colorize(),
        }
    }

    #[must_use]
    pub fn plain(width: usize) -> Style {
        Style { width, colour: false }
    }
}

/// Markdown rendered for the terminal, without a trailing newline.
#[must_use]
pub fn render(markdown: &str, style: Style) -> String {
    Renderer::new(style, String::new()).run(markdown)
}

/// Markdown rendered after a label on the same line (`Hint 1/3: …`); the lines that follow are indented to
/// where the text began. The label may be coloured already.
#[must_use]
pub fn render_after(label: &str, markdown: &str, style: Style) -> String {
    Renderer::new(style, label.to_string()).run(markdown)
}

/// One line of inline Markdown (a title), its markup rendered, not wrapped.
#[must_use]
pub fn inline(markdown: &str, style: Style) -> String {
    render(markdown, Style { width: usize::MAX, ..style }).replace('\n', " ")
}

/// The styles a run of inline text carries.
// Markdown's inline styles nest freely, so each is a flag of its own; an enum would only rename them.
#[allow(clippy::struct_excessive_bools)]
#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Marks {
    strong: bool,
    emphasis: bool,
    strike: bool,
    code: bool,
    /// The `(url)` after a link's text.
    url: bool,
}

/// A prefix that containers (list items, block quotes, the label) put before lines: `first` before the first
/// line of the first block inside, `rest` before every other line.
struct Frame {
    first: String,
    rest: String,
    used: bool,
}

struct Renderer {
    style: Style,
    out: Vec<String>,
    frames: Vec<Frame>,
    /// Counters of the open lists: `None` for bullets, the next number for ordered lists.
    lists: Vec<Option<u64>>,
    /// The inline text of the paragraph or heading being read.
    runs: Vec<(String, Marks)>,
    marks: Marks,
    heading: Option<HeadingLevel>,
    /// Where each open link's text starts in `runs`, and its destination.
    links: Vec<(usize, String)>,
    code_block: Option<String>,
    /// Whether the next block is set off from the one before by a blank line.
    gap: bool,
}

impl Renderer {
    fn new(style: Style, label: String) -> Renderer {
        let mut frames = Vec::new();
        if !label.is_empty() {
            let rest = " ".repeat(visible_width(&label));
            frames.push(Frame { first: label, rest, used: false });
        }
        Renderer {
            style,
            out: Vec::new(),
            frames,
            lists: Vec::new(),
            runs: Vec::new(),
            marks: Marks::default(),
            heading: None,
            links: Vec::new(),
            code_block: None,
            gap: false,
        }
    }

    fn run(mut self, markdown: &str) -> String {
        for event in Parser::new(markdown) {
            self.event(event);
        }
        self.flush();
        while self.out.last().is_some_and(|l| l.trim().is_empty()) {
            self.out.pop();
        }
        // A label with nothing after it still shows.
        if self.out.is_empty()
            && let Some(f) = self.frames.first()
            && !f.used
        {
            return f.first.trim_end().to_string();
        }
        self.out.join("\n")
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if let Some(code) = &mut self.code_block {
                    code.push_str(&t);
                } else {
                    self.text(&t);
                }
            }
            Event::Code(t) => {
                let marks = Marks { code: true, ..self.marks };
                self.runs.push((t.to_string(), marks));
            }
            Event::InlineMath(t) | Event::DisplayMath(t) | Event::InlineHtml(t) | Event::FootnoteReference(t) => {
                self.text(&t);
            }
            Event::Html(t) => {
                self.flush();
                for line in t.lines() {
                    let line = format!("{}{line}", self.prefix());
                    self.out.push(line);
                }
            }
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.text("\n"),
            Event::Rule => {
                self.flush();
                self.open_block();
                let prefix = self.prefix();
                let width = self.style.width.saturating_sub(visible_width(&prefix)).clamp(3, 40);
                let rule = "─".repeat(width);
                self.out.push(format!("{prefix}{}", self.paint(&rule, DIM)));
                self.close_block();
            }
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => self.flush(),
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(level);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.frames.push(Frame { first: "│ ".into(), rest: "│ ".into(), used: false });
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code_block = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let depth = self.lists.len();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ if depth > 1 => "◦ ".to_string(),
                    _ => "• ".to_string(),
                };
                let rest = " ".repeat(marker.width());
                self.frames.push(Frame { first: marker, rest, used: false });
            }
            Tag::Emphasis => self.marks.emphasis = true,
            Tag::Strong => self.marks.strong = true,
            Tag::Strikethrough => self.marks.strike = true,
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                self.links.push((self.runs.len(), dest_url.to_string()));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Heading(_) => self.flush(),
            TagEnd::CodeBlock => {
                let code = self.code_block.take().unwrap_or_default();
                self.open_block();
                for line in code.trim_end_matches('\n').lines() {
                    let prefix = self.prefix();
                    let line = format!("{prefix}    {}", self.paint(line, CYAN));
                    self.out.push(line.trim_end().to_string());
                }
                self.close_block();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.gap = true;
                }
            }
            TagEnd::BlockQuote(_) | TagEnd::Item => {
                self.flush();
                self.frames.pop();
            }
            TagEnd::Emphasis => self.marks.emphasis = false,
            TagEnd::Strong => self.marks.strong = false,
            TagEnd::Strikethrough => self.marks.strike = false,
            TagEnd::Link | TagEnd::Image => {
                let Some((at, url)) = self.links.pop() else { return };
                let text: String = self.runs[at..].iter().map(|(t, _)| t.as_str()).collect();
                let bare = url.strip_prefix("mailto:").unwrap_or(&url);
                // Autolinks (`<https://…>`) already show their address, and a link within the page says nothing
                // in a terminal.
                if !url.is_empty() && !url.starts_with('#') && text != bare {
                    let marks = Marks { url: true, ..Marks::default() };
                    self.runs.push((format!(" ({url})"), marks));
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        self.runs.push((text.to_string(), self.marks));
    }

    /// Starts a block: a blank line after the block before it, unless both sit in one list.
    fn open_block(&mut self) {
        if self.gap && !self.out.is_empty() {
            let blank = self
                .frames
                .iter()
                .map(|f| if f.used && f.rest.starts_with('│') { "│" } else { "" })
                .collect::<String>();
            self.out.push(blank);
        }
        self.gap = false;
    }

    fn close_block(&mut self) {
        self.gap = self.lists.is_empty();
    }

    /// The prefix for the next line, marking every frame's first line as used.
    fn prefix(&mut self) -> String {
        let mut prefix = String::new();
        for f in &mut self.frames {
            prefix.push_str(if f.used { &f.rest } else { &f.first });
            f.used = true;
        }
        prefix
    }

    /// The prefix for lines after the first.
    fn rest_prefix(&self) -> String {
        self.frames.iter().map(|f| f.rest.as_str()).collect()
    }

    /// Wraps and writes out the paragraph or heading read so far.
    fn flush(&mut self) {
        let heading = self.heading.take();
        if self.runs.iter().all(|(t, _)| t.trim().is_empty()) {
            self.runs.clear();
            return;
        }
        let runs = std::mem::take(&mut self.runs);
        let mut text = String::new();
        for (t, marks) in &runs {
            let marks = Marks { strong: marks.strong || heading.is_some(), ..*marks };
            text.push_str(&self.styled(t, marks));
        }
        self.open_block();
        let first = self.prefix();
        let rest = self.rest_prefix();
        let mut lines = Vec::new();
        for (i, piece) in text.split('\n').enumerate() {
            let options = textwrap::Options::new(self.style.width)
                .initial_indent(if i == 0 { &first } else { &rest })
                .subsequent_indent(&rest)
                .word_splitter(textwrap::WordSplitter::NoHyphenation)
                .break_words(true);
            lines.extend(
                textwrap::wrap(piece.trim_matches(' '), &options).into_iter().map(std::borrow::Cow::into_owned),
            );
        }
        if self.style.colour {
            carry_styles(&mut lines);
        }
        self.out.extend(lines);
        self.close_block();
    }

    fn styled(&self, text: &str, marks: Marks) -> String {
        if !self.style.colour {
            return if marks.code { format!("`{text}`") } else { text.to_string() };
        }
        let codes: Vec<&str> = [
            (marks.strong, BOLD),
            (marks.url, DIM),
            (marks.emphasis, ITALIC),
            (marks.strike, STRIKE),
            (marks.code, CYAN),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, code)| *code)
        .collect();
        sgr(text, &codes.join(";"))
    }

    fn paint(&self, text: &str, code: &str) -> String {
        if self.style.colour { sgr(text, code) } else { text.to_string() }
    }
}

// Select Graphic Rendition codes, written here rather than through `colored` so that the style passed in alone
// decides (tests render both ways, whatever the process-wide colour setting is).
const BOLD: &str = "1";
const DIM: &str = "2";
const ITALIC: &str = "3";
const STRIKE: &str = "9";
const CYAN: &str = "36";

fn sgr(text: &str, code: &str) -> String {
    if code.is_empty() || text.is_empty() { text.to_string() } else { format!("\x1b[{code}m{text}\x1b[0m") }
}

/// The width a line takes on screen, colour codes not counted.
fn visible_width(s: &str) -> usize {
    textwrap::core::display_width(s)
}

/// A styled run that wrapping cut in two: ends the style at the end of the first line (so the next line's indent
/// is not painted) and starts it again after that indent.
fn carry_styles(lines: &mut [String]) {
    let mut open: Option<String> = None;
    for line in lines.iter_mut() {
        if let Some(code) = open.take() {
            let indent = line.len() - line.trim_start_matches(' ').len();
            line.insert_str(indent, &code);
        }
        // The last escape sequence in the line says whether a style is still on at its end.
        if let Some(at) = line.rfind("\x1b[") {
            let end = line[at..].find('m').map_or(line.len(), |e| at + e + 1);
            let code = &line[at..end];
            if code != "\x1b[0m" {
                open = Some(code.to_string());
                line.push_str("\x1b[0m");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(markdown: &str, width: usize) -> String {
        render(markdown, Style::plain(width))
    }

    #[test]
    fn headings_lists_code_and_links_read_as_text() {
        let md = "# Volumes\n\nData *outlives* the **container**. See [the docs](https://docs.docker.com/) or \
                  <https://example.com>.\n\n- one\n- two with `code`\n  1. first\n  2. second\n\n```sh\ndocker \
                  volume ls\n```\n\n> quoted\n\n---\n\nEnd.";
        assert_eq!(
            plain(md, 100),
            "Volumes\n\
             \n\
             Data outlives the container. See the docs (https://docs.docker.com/) or https://example.com.\n\
             \n\
             • one\n\
             • two with `code`\n  \
               1. first\n  \
               2. second\n\
             \n    \
                 docker volume ls\n\
             \n\
             │ quoted\n\
             \n\
             ────────────────────────────────────────\n\
             \n\
             End."
        );
    }

    #[test]
    fn paragraphs_wrap_to_the_width_without_cutting_words() {
        let md = "A container is an ordinary process on the host's kernel, fenced off so that it sees only its own \
                  files.\nThere is nothing to boot.";
        let out = plain(md, 30);
        assert!(out.lines().count() > 3, "{out}");
        for line in out.lines() {
            assert!(line.width() <= 30, "{line:?} is wider than 30");
        }
        // Soft line breaks in the source are spaces; the words are all there, in order.
        let words: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(words, md.split_whitespace().collect::<Vec<_>>());
    }

    #[test]
    fn korean_wraps_by_display_width_between_words() {
        let md = "컨테이너는 가상 머신이 아닙니다. 가상 머신은 운영체제 전체를 부팅하지만, 컨테이너는 호스트 커널 \
                  위에서 돌아가는 평범한 프로세스일 뿐이라서 눈 깜짝할 사이에 시작됩니다.";
        let out = plain(md, 30);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() >= 4, "{out}");
        for line in &lines {
            // Each Hangul syllable takes two columns: counted in characters, these lines would be twice as long.
            assert!(line.width() <= 30, "{line:?} takes {} columns", line.width());
            assert!(line.width() > 14, "{line:?} wraps too early");
        }
        // Wrapped only between words: joining the lines with spaces gives the paragraph back.
        assert_eq!(lines.join(" "), md.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn list_items_wrap_under_their_text() {
        let out = plain("- the first item is long enough to wrap onto another line\n- short", 24);
        assert_eq!(out, "• the first item is long\n  enough to wrap onto\n  another line\n• short");
    }

    #[test]
    fn a_label_goes_before_the_first_line() {
        let out =
            render_after("Hint 2/3: ", "Run `docker run --name NAME IMAGE` with the image you want", Style::plain(34));
        assert_eq!(out, "Hint 2/3: Run `docker run --name\n          NAME IMAGE` with the\n          image you want");
        assert_eq!(render_after("Note:", "", Style::plain(20)), "Note:");
    }

    #[test]
    fn inline_renders_a_title_on_one_line() {
        assert_eq!(inline("`EXPOSE` versus *-p*", Style::plain(5)), "`EXPOSE` versus -p");
    }

    #[test]
    fn colour_marks_code_and_headings_and_survives_wrapping() {
        let style = Style { width: 20, colour: true };
        let out = render("## Title\n\nRun `docker run --name web nginx` now", style);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[0].contains("\x1b[1m") && lines[0].contains("Title"), "{out:?}");
        assert!(!out.contains('`'), "{out:?}");
        // The code span is cut by the wrap: each piece is coloured, and each line ends with its style closed.
        let code_lines: Vec<&&str> = lines.iter().filter(|l| l.contains("\x1b[36m")).collect();
        assert!(code_lines.len() >= 2, "{out:?}");
        for l in &lines[2..] {
            assert!(visible_width(l) <= 20, "{l:?}");
            assert!(!l.contains("\x1b[") || l.ends_with("\x1b[0m") || l.ends_with("now"), "{l:?}");
        }
    }
}
