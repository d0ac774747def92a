//! Plain text, outline and lead image, read from the sanitised DOM in the same
//! pass that produced it (no second parse).

use super::dom::{attr, tag};
use lectern_core::limits::MAX_OUTLINE_HEADINGS;
use ammonia::rcdom::{Handle, NodeData};
pub use lectern_core::article::Heading;
pub use lectern_core::metrics::is_cjk;

/// What the extraction pass reads from the DOM.
#[derive(Debug, Default)]
pub struct Extracted {
    /// Plain text: blocks separated by `\n`, whitespace collapsed.
    pub text: String,
    /// Headings in document order.
    pub outline: Vec<Heading>,
    /// The `src` of the first image, if any.
    pub first_image: Option<String>,
}

/// Elements that start a new line of text ([`is_block`] is this list as a `match`).
#[cfg_attr(not(test), allow(dead_code))]
const BLOCKS: &[&str] = &[
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "ol", "p", "pre",
    "section", "summary", "table", "td", "th", "tr", "ul", "video", "audio", "picture",
];

enum Visit {
    Enter(Handle),
    Leave(Handle),
}

struct Writer {
    text: String,
    pending_space: bool,
    pending_newline_in_space: bool,
}

impl Writer {
    fn block_break(&mut self) {
        self.pending_space = false;
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
    }

    /// Appends text whose white space collapses: runs of it become one space
    /// (none at a line start, none for a line break between CJK characters).
    fn push_collapsed(&mut self, chunk: &str) {
        let mut rest = chunk;
        while let Some(first) = rest.chars().next() {
            if collapses(first) {
                let end = rest.find(|c: char| !collapses(c)).unwrap_or(rest.len());
                self.pending_space = true;
                self.pending_newline_in_space |= rest[..end].contains('\n');
                rest = &rest[end..];
                continue;
            }
            let (end, has_no_break_space) = next_collapsible(rest);
            let (run, after) = rest.split_at(end);
            rest = after;
            if has_no_break_space {
                run.chars().for_each(|c| self.push_visible(c));
            } else {
                // Only the first character of a run can follow collapsed space.
                let mut chars = run.chars();
                if let Some(c) = chars.next() {
                    self.push_visible(c);
                }
                self.text.push_str(chars.as_str());
            }
        }
    }

    /// Appends one character that is not collapsible white space.
    fn push_visible(&mut self, c: char) {
        let c = if c == '\u{a0}' { ' ' } else { c };
        if self.pending_space && !self.text.is_empty() && !self.text.ends_with(['\n', ' ']) {
            // A line break between two CJK characters is not a space.
            let previous = self.text.chars().next_back().unwrap_or(' ');
            if !(self.pending_newline_in_space && is_cjk(previous) && is_cjk(c)) {
                self.text.push(' ');
            }
        }
        self.pending_space = false;
        self.pending_newline_in_space = false;
        if c != ' ' || !self.text.ends_with(['\n', ' ']) && !self.text.is_empty() {
            self.text.push(c);
        }
    }

    fn push_preformatted(&mut self, chunk: &str) {
        if self.pending_space && !self.text.is_empty() && !self.text.ends_with(['\n', ' ']) {
            self.text.push(' ');
        }
        self.pending_space = false;
        self.text.push_str(chunk);
    }
}

/// White space that collapses in text (a no-break space does not).
fn collapses(c: char) -> bool {
    c.is_whitespace() && c != '\u{a0}'
}

/// The byte offset of the first collapsible white space in `text` (its length if
/// none), and whether a no-break space comes before it.
/// Scans bytes: only ASCII white space and the lead bytes of the few non-ASCII
/// white space characters (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000) need a closer look.
fn next_collapsible(text: &str) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut no_break_space = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b' ' => return (i, no_break_space),
            0xC2 | 0xE1 | 0xE2 | 0xE3 => match text[i..].chars().next() {
                Some(c) if collapses(c) => return (i, no_break_space),
                Some('\u{a0}') => no_break_space = true,
                _ => {}
            },
            _ => {}
        }
        i += 1;
    }
    (bytes.len(), no_break_space)
}

/// Elements that start a new line of text (see [`BLOCKS`]).
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address" | "article" | "aside" | "blockquote" | "br" | "caption" | "dd" | "details" | "div" | "dl" | "dt"
            | "figcaption" | "figure" | "footer" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "header" | "hgroup"
            | "hr" | "li" | "main" | "ol" | "p" | "pre" | "section" | "summary" | "table" | "td" | "th" | "tr"
            | "ul" | "video" | "audio" | "picture"
    )
}

/// Reads text, outline and first image from the children of `root`.
pub fn extract(root: &Handle) -> Extracted {
    let mut writer = Writer { text: String::new(), pending_space: false, pending_newline_in_space: false };
    let mut outline = Vec::new();
    let mut first_image = None;
    let mut heading: Option<(u8, usize)> = None; // level, text offset where it started
    let mut pre_depth = 0usize;
    let mut stack: Vec<Visit> = root.children.borrow().iter().rev().cloned().map(Visit::Enter).collect();
    while let Some(visit) = stack.pop() {
        match visit {
            Visit::Enter(node) => match &node.data {
                NodeData::Text { contents } => {
                    if pre_depth > 0 {
                        writer.push_preformatted(&contents.borrow());
                    } else {
                        writer.push_collapsed(&contents.borrow());
                    }
                }
                NodeData::Element { .. } => {
                    let name = tag(&node).unwrap_or("");
                    if is_block(name) {
                        writer.block_break();
                    }
                    match name {
                        "pre" => pre_depth += 1,
                        "img" if first_image.is_none() => first_image = attr(&node, "src"),
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if heading.is_none() => {
                            let level = name.as_bytes()[1] - b'0';
                            heading = Some((level, writer.text.len()));
                        }
                        _ => {}
                    }
                    stack.push(Visit::Leave(node.clone()));
                    stack.extend(node.children.borrow().iter().rev().cloned().map(Visit::Enter));
                }
                _ => {}
            },
            Visit::Leave(node) => {
                let name = tag(&node).unwrap_or("");
                if name == "pre" {
                    pre_depth = pre_depth.saturating_sub(1);
                }
                if let Some((level, start)) = heading {
                    if name.len() == 2 && name.as_bytes()[0] == b'h' && name.as_bytes()[1] - b'0' == level {
                        let text = writer.text[start..].split_whitespace().collect::<Vec<_>>().join(" ");
                        if !text.is_empty() && outline.len() < MAX_OUTLINE_HEADINGS {
                            outline.push(Heading { level, text });
                        }
                        heading = None;
                    }
                }
                if is_block(name) {
                    writer.block_break();
                }
            }
        }
    }
    let text = writer.text.trim().to_owned();
    Extracted { text, outline, first_image }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The writer as it was, one character at a time: the reference for the run-based one.
    fn collapsed_char_by_char(chunks: &[&str]) -> String {
        let mut w = Writer { text: String::new(), pending_space: false, pending_newline_in_space: false };
        for chunk in chunks {
            for c in chunk.chars() {
                if collapses(c) {
                    w.pending_space = true;
                    w.pending_newline_in_space |= c == '\n';
                } else {
                    w.push_visible(c);
                }
            }
        }
        w.text
    }

    fn collapsed(chunks: &[&str]) -> String {
        let mut w = Writer { text: String::new(), pending_space: false, pending_newline_in_space: false };
        chunks.iter().for_each(|chunk| w.push_collapsed(chunk));
        w.text
    }

    #[test]
    fn collapsing_by_runs_gives_the_text_collapsing_by_characters_gives() {
        let cases: &[&[&str]] = &[
            &["  Hello   world \n"],
            &["a\u{a0}\u{a0} b", " \u{a0}c"],
            &["\u{a0}lead", "trail\u{a0} "],
            &["東京\n大学", " 東京 大学"],
            &["x\t\r\n\u{2003}y", "", "   ", "z"],
            &["中\n", "文", "\n字"],
            &["", "\u{a0}", "\u{a0}", "a"],
        ];
        for chunks in cases {
            assert_eq!(collapsed(chunks), collapsed_char_by_char(chunks), "{chunks:?}");
        }
    }

    #[test]
    fn finds_every_kind_of_collapsible_white_space() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let text = format!("ab中{c}");
            let expected = if collapses(c) { "ab中".len() } else { text.len() };
            assert_eq!(next_collapsible(&text), (expected, c == '\u{a0}'), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn block_names_match_the_list() {
        for name in BLOCKS {
            assert!(is_block(name), "{name}");
        }
        for name in ["span", "a", "img", "b", "em", "code", "tbody", ""] {
            assert!(!is_block(name), "{name}");
        }
    }
}
