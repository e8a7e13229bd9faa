//! Docker's fork of Go's text/tabwriter, as the formatter configures it (`minwidth 10, tabwidth 1, padding 3,
//! padchar ' '`): tab-terminated cells in consecutive lines form a column as wide as its widest cell plus the
//! padding; the text after a line's last tab belongs to no column. Widths are display widths.

use unicode_width::UnicodeWidthStr;

pub(crate) const MIN_WIDTH: usize = 10;
pub(crate) const PADDING: usize = 3;

struct Cell<'a> {
    text: &'a str,
    width: usize,
}

struct Writer<'a> {
    lines: Vec<Vec<Cell<'a>>>,
    widths: Vec<usize>,
    out: String,
}

/// Aligns `text` as Docker's table writer does.
pub(crate) fn align(text: &str) -> String {
    let lines: Vec<Vec<Cell<'_>>> = text
        .split('\n')
        .map(|line| line.split('\t').map(|t| Cell { text: t, width: UnicodeWidthStr::width(t) }).collect())
        .collect();
    let n = lines.len();
    let mut w = Writer { lines, widths: Vec::new(), out: String::with_capacity(text.len() * 2) };
    w.format(0, n);
    w.out
}

impl Writer<'_> {
    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            let line = &self.lines[i];
            let last = line.len() - 1;
            for (j, c) in line.iter().enumerate() {
                self.out.push_str(c.text);
                // The last cell of a line is not tab-terminated and so belongs to no column.
                if j < last && j < self.widths.len() {
                    let pad = self.widths[j].saturating_sub(c.width);
                    self.out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            if i + 1 < self.lines.len() {
                self.out.push('\n');
            }
        }
    }

    /// Go's tabwriter.format: finds column blocks recursively, left to right.
    fn format(&mut self, line0: usize, line1: usize) {
        let mut line0 = line0;
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            self.write_lines(line0, this);
            line0 = this;
            let mut width = MIN_WIDTH;
            while this < line1 && column + 1 < self.lines[this].len() {
                width = width.max(self.lines[this][column].width + PADDING);
                this += 1;
            }
            self.widths.push(width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1);
    }
}
