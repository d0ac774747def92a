//! A bounded pre-pass over HTML before it is parsed, so that no input makes
//! the parser slow or makes its tree much larger than the input.
//!
//! The HTML parser (html5ever, like a browser's) has three costs that grow
//! faster than the input:
//!
//! - **deep nesting**: many start tags check "is there a `p` in scope?" by
//!   walking the stack of open elements, so 100,000 unclosed `<div>`s take
//!   seconds. Start tags nested deeper than [`MAX_PARSE_DEPTH`] are dropped
//!   here (their text is kept; the sanitiser flattens everything below
//!   [`lectern_core::limits::MAX_HTML_DEPTH`] anyway).
//! - **many attributes**: the tokenizer looks for a duplicate name among the
//!   attributes read so far, so one tag with 100,000 attributes is quadratic.
//!   Attributes after the first [`MAX_ATTRIBUTES_PER_ELEMENT`] of a tag are
//!   dropped.
//! - **formatting-element reconstruction**: formatting elements (`b`, `i`,
//!   `font`, ...) left open when a block closes are re-created at the next
//!   text, once per block: 500 distinct unclosed `<b>`s followed by 20,000
//!   `<p>x</p>` build ten million elements from 160 KB. Once the elements
//!   re-created this way pass [`MAX_FORMATTING_RECONSTRUCTIONS`], formatting
//!   elements that would be re-created are closed explicitly instead.
//!
//! The pass follows the tokenizer's rules for tags, attributes, comments and
//! raw text, and tracks a simplified stack of open elements. It only removes
//! markup or adds end tags for open formatting elements; what it gives to the
//! parser is still sanitised as a whole, so an approximation here can cost
//! fidelity on pathological input, never safety. Ordinary articles pass
//! through unchanged and uncopied.

use lectern_core::limits::{MAX_ATTRIBUTES_PER_ELEMENT, MAX_FORMATTING_RECONSTRUCTIONS, MAX_PARSE_DEPTH};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The input, bounded, and what was changed.
#[derive(Debug)]
pub struct Bounded<'a> {
    /// The HTML to parse (borrowed when nothing changed).
    pub html: Cow<'a, str>,
    /// Start tags dropped for nesting deeper than [`MAX_PARSE_DEPTH`] (and
    /// their end tags).
    pub tags_dropped: usize,
    /// Attributes dropped beyond [`MAX_ATTRIBUTES_PER_ELEMENT`] on one tag.
    pub attributes_dropped: usize,
    /// Formatting elements closed explicitly so they are not re-created.
    pub formatting_closed: usize,
}

impl Bounded<'_> {
    /// Warnings for what was changed, if anything.
    pub fn describe(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.tags_dropped > 0 {
            out.push(format!("html: {} tag(s) nested deeper than {MAX_PARSE_DEPTH} levels dropped", self.tags_dropped));
        }
        if self.attributes_dropped > 0 {
            out.push(format!(
                "html: {} attribute(s) beyond {MAX_ATTRIBUTES_PER_ELEMENT} on one element dropped",
                self.attributes_dropped
            ));
        }
        if self.formatting_closed > 0 {
            out.push(format!(
                "html: {} formatting element(s) closed early (left open across more than {MAX_FORMATTING_RECONSTRUCTIONS} blocks)",
                self.formatting_closed
            ));
        }
        out
    }
}

/// Elements that never have content.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
];

/// Formatting elements: re-created by the parser when left open.
const FORMATTING: &[&str] =
    &["a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"];

/// Elements whose content is text up to their end tag (outside SVG/MathML).
const RAW_TEXT: &[&str] = &["script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title"];

/// HTML start tags that end SVG/MathML content.
const BREAKS_OUT_OF_FOREIGN: &[&str] = &[
    "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "font", "h1",
    "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre",
    "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var",
];

/// The parser's "special" elements (which stop some of its searches).
const SPECIAL: &[&str] = &[
    "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body", "br",
    "button", "caption", "center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt", "embed", "fieldset",
    "figcaption", "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "head",
    "header", "hgroup", "hr", "html", "iframe", "img", "input", "keygen", "li", "link", "listing", "main", "marquee",
    "menu", "meta", "nav", "noembed", "noframes", "noscript", "object", "ol", "p", "param", "plaintext", "pre",
    "script", "search", "section", "select", "source", "style", "summary", "table", "tbody", "td", "template",
    "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp",
];

/// Elements that end the parser's default scope.
const SCOPE: &[&str] = &["applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "svg", "math"];

/// Start tags that close an open `p` (in button scope).
const CLOSES_P: &[&str] = &[
    "address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
    "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p", "search", "section",
    "summary", "ul", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "listing", "form", "table", "hr", "xmp", "li", "dd",
    "dt", "plaintext",
];

/// Start tags before which the parser does not re-create formatting
/// elements (blocks, table parts, and what belongs in `<head>`).
const NO_RECONSTRUCTION: &[&str] = &[
    "param", "source", "track", "textarea", "iframe", "noembed", "noscript", "rb", "rp", "rt", "rtc", "caption",
    "col", "colgroup", "frame", "head", "tbody", "td", "tfoot", "th", "thead", "tr", "frameset", "body", "html",
    "base", "basefont", "bgsound", "link", "meta", "noframes", "script", "style", "template", "title", "image",
];

/// Names the rules below mention that are in none of the lists above.
const OTHER_NAMES: &[&str] = &["option", "optgroup"];

const VOID_FLAG: u16 = 1;
const FORMATTING_FLAG: u16 = 1 << 1;
const RAW_TEXT_FLAG: u16 = 1 << 2;
const BREAKS_OUT_FLAG: u16 = 1 << 3;
const SPECIAL_FLAG: u16 = 1 << 4;
const SCOPE_FLAG: u16 = 1 << 5;
const CLOSES_P_FLAG: u16 = 1 << 6;
const NO_RECONSTRUCTION_FLAG: u16 = 1 << 7;

/// Every element name the pass has a rule for, sorted, with its flags: built
/// once from the lists above, so each tag costs one binary search.
static KNOWN: LazyLock<Vec<(&'static str, u16)>> = LazyLock::new(|| {
    let lists: [(&[&str], u16); 8] = [
        (VOID, VOID_FLAG),
        (FORMATTING, FORMATTING_FLAG),
        (RAW_TEXT, RAW_TEXT_FLAG),
        (BREAKS_OUT_OF_FOREIGN, BREAKS_OUT_FLAG),
        (SPECIAL, SPECIAL_FLAG),
        (SCOPE, SCOPE_FLAG),
        (CLOSES_P, CLOSES_P_FLAG),
        (NO_RECONSTRUCTION, NO_RECONSTRUCTION_FLAG),
    ];
    let mut names: Vec<&'static str> = lists.iter().flat_map(|(list, _)| list.iter().copied()).chain(OTHER_NAMES.iter().copied()).collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|name| (name, lists.iter().filter(|(list, _)| list.contains(&name)).fold(0, |flags, (_, flag)| flags | flag)))
        .collect()
});

/// A lower-case element name: one the pass knows (no allocation), or another.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Name {
    Known(usize),
    Other(Box<str>),
}

impl Name {
    fn of(bytes: &[u8]) -> Name {
        let mut lower = [0u8; 16];
        if let Some(buffer) = lower.get_mut(..bytes.len()) {
            for (to, from) in buffer.iter_mut().zip(bytes) {
                *to = from.to_ascii_lowercase();
            }
            if let Ok(name) = std::str::from_utf8(buffer) {
                if let Ok(index) = KNOWN.binary_search_by(|(known, _)| (*known).cmp(name)) {
                    return Name::Known(index);
                }
            }
        }
        Name::Other(String::from_utf8_lossy(bytes).to_ascii_lowercase().into())
    }

    fn as_str(&self) -> &str {
        match self {
            Name::Known(index) => KNOWN.get(*index).map_or("", |(name, _)| name),
            Name::Other(name) => name,
        }
    }

    fn has(&self, flag: u16) -> bool {
        matches!(self, Name::Known(index) if KNOWN.get(*index).is_some_and(|(_, flags)| flags & flag != 0))
    }

    fn is(&self, names: &[&str]) -> bool {
        matches!(self, Name::Known(_)) && names.contains(&self.as_str())
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// One tag as the tokenizer reads it.
struct Tag {
    name: Name,
    self_closing: bool,
    /// Byte ranges of attributes beyond the limit (to drop).
    excess_attributes: Vec<(usize, usize)>,
    /// Where the tag ends (after `>`), or the input's end.
    stop: usize,
    /// False when the input ended inside the tag (the tokenizer drops it).
    complete: bool,
}

/// Reads a tag whose name starts at `name_at`, following the tokenizer's
/// attribute states (quotes, `=`, `/`).
fn read_tag(bytes: &[u8], name_at: usize) -> Tag {
    let mut i = name_at;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = Name::of(&bytes[name_at..i]);
    let mut tag = Tag { name, self_closing: false, excess_attributes: Vec::new(), stop: bytes.len(), complete: false };
    let mut count = 0usize;
    loop {
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        match bytes.get(i) {
            None => return tag,
            Some(b'>') => {
                tag.stop = i + 1;
                tag.complete = true;
                return tag;
            }
            Some(b'/') => {
                if bytes.get(i + 1) == Some(&b'>') {
                    tag.self_closing = true;
                    tag.stop = i + 2;
                    tag.complete = true;
                    return tag;
                }
                i += 1;
                continue;
            }
            Some(_) => {}
        }
        // An attribute name (its first character may be '=').
        let attribute_start = i;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let mut j = i;
        while j < bytes.len() && is_space(bytes[j]) {
            j += 1;
        }
        if bytes.get(j) == Some(&b'=') {
            j += 1;
            while j < bytes.len() && is_space(bytes[j]) {
                j += 1;
            }
            match bytes.get(j) {
                Some(&quote @ (b'"' | b'\'')) => {
                    j += 1;
                    while j < bytes.len() && bytes[j] != quote {
                        j += 1;
                    }
                    j = (j + 1).min(bytes.len());
                }
                Some(b'>') | None => {}
                Some(_) => {
                    while j < bytes.len() && !is_space(bytes[j]) && bytes[j] != b'>' {
                        j += 1;
                    }
                }
            }
            i = j;
        }
        count += 1;
        if count > MAX_ATTRIBUTES_PER_ELEMENT {
            tag.excess_attributes.push((attribute_start, i));
        }
    }
}

/// Where a comment or bogus comment starting at `start` (at `<`) ends.
fn comment_end(html: &str, start: usize) -> usize {
    let bytes = html.as_bytes();
    if bytes[start..].starts_with(b"<!--") {
        let body = start + 4;
        if bytes[body..].starts_with(b">") {
            return body + 1;
        }
        if bytes[body..].starts_with(b"->") {
            return body + 2;
        }
        // The first "-->" or "--!>" ends it (one scan: a search for each would
        // look to the end of the input for the one that is absent).
        let mut from = body;
        while let Some(p) = html[from..].find("--") {
            let dashes = from + p;
            match bytes.get(dashes + 2) {
                Some(b'>') => return dashes + 3,
                Some(b'!') if bytes.get(dashes + 3) == Some(&b'>') => return dashes + 4,
                _ => from = dashes + 1,
            }
        }
        return html.len();
    }
    html[start + 1..].find('>').map_or(html.len(), |p| start + 1 + p + 1)
}

/// Where the raw text of `name` that starts at `from` ends (at its `</name`).
fn raw_text_end(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut i = from;
    while let Some(p) = html[i..].find("</") {
        let at = i + p;
        let after = at + 2 + name.len();
        if bytes.len() >= after
            && bytes[at + 2..after].eq_ignore_ascii_case(name.as_bytes())
            && bytes.get(after).is_none_or(|&b| is_space(b) || b == b'/' || b == b'>')
        {
            return at;
        }
        i = at + 2;
    }
    html.len()
}

/// One entry of the list of active formatting elements.
struct Formatting {
    name: Name,
    on_stack: bool,
}

/// The pass's state: a simplified stack of open elements and list of active
/// formatting elements, and the output being built (copied on first change).
struct Pass<'a> {
    html: &'a str,
    out: Option<String>,
    copied_to: usize,
    stack: Vec<Name>,
    formatting: Vec<Formatting>,
    /// Entries of `formatting` that are off the stack.
    off_stack: usize,
    /// Start tags dropped, by name, whose end tags are still to drop.
    dropped_open: HashMap<Name, usize>,
    /// The stack height at which SVG/MathML content started, if inside it.
    foreign_from: Option<usize>,
    reconstructed: usize,
    result: Bounded<'a>,
}

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

impl<'a> Pass<'a> {
    fn output(&mut self) -> &mut String {
        let (html, upto) = (self.html, self.copied_to);
        self.out.get_or_insert_with(|| {
            let mut out = String::with_capacity(html.len());
            out.push_str(&html[..upto]);
            out
        })
    }

    /// Keeps the input up to `to`.
    fn copy_to(&mut self, to: usize) {
        let (html, from) = (self.html, self.copied_to);
        if let Some(out) = self.out.as_mut() {
            out.push_str(&html[from..to]);
        }
        self.copied_to = to;
    }

    /// Leaves out the input from where it was kept up to `to`.
    fn skip_to(&mut self, to: usize) {
        self.output();
        self.copied_to = to;
    }

    fn in_foreign(&self) -> bool {
        self.foreign_from.is_some_and(|from| self.stack.len() > from)
    }

    /// Removes entry `index` of the formatting list.
    fn forget_formatting(&mut self, index: usize) {
        if !self.formatting.remove(index).on_stack {
            self.off_stack -= 1;
        }
    }

    /// Pops the stack down to and including entry `index`. Formatting
    /// elements popped on the way stay active, off the stack; the entry
    /// itself, closed by its own end tag, is no longer active.
    fn pop_to_index(&mut self, index: usize, by_end_tag: bool) {
        while self.stack.len() > index {
            let Some(name) = self.stack.pop() else { break };
            if name.has(FORMATTING_FLAG) {
                if let Some(entry) = self.formatting.iter().rposition(|e| e.on_stack && e.name == name) {
                    if by_end_tag && self.stack.len() == index {
                        self.forget_formatting(entry);
                    } else {
                        self.formatting[entry].on_stack = false;
                        self.off_stack += 1;
                    }
                }
            }
        }
        if self.foreign_from.is_some_and(|from| self.stack.len() <= from) {
            self.foreign_from = None;
        }
    }

    /// The index of the topmost element for which `target` is true, searching
    /// down from the top and stopping at any element for which `stop` is true.
    fn find(&self, target: impl Fn(&Name) -> bool, stop: impl Fn(&Name) -> bool) -> Option<usize> {
        for (index, name) in self.stack.iter().enumerate().rev() {
            if target(name) {
                return Some(index);
            }
            if stop(name) {
                return None;
            }
        }
        None
    }

    fn close(&mut self, names: &[&str], stop: impl Fn(&Name) -> bool) {
        if let Some(index) = self.find(|n| n.is(names), stop) {
            self.pop_to_index(index, false);
        }
    }

    /// Before text or a start tag, the parser re-creates the active
    /// formatting elements that are off the stack. Past the budget (or the
    /// depth limit), they are closed explicitly instead.
    fn reconstruct(&mut self, at: usize) {
        if self.off_stack == 0 {
            return;
        }
        let off_stack = self.off_stack;
        self.copy_to(at);
        self.off_stack = 0;
        if self.reconstructed + off_stack > MAX_FORMATTING_RECONSTRUCTIONS || self.stack.len() + off_stack > MAX_PARSE_DEPTH {
            let mut closing = String::new();
            for entry in self.formatting.iter().rev().filter(|e| !e.on_stack) {
                closing.push_str("</");
                closing.push_str(entry.name.as_str());
                closing.push('>');
                self.result.formatting_closed += 1;
            }
            self.output().push_str(&closing);
            self.formatting.retain(|e| e.on_stack);
            return;
        }
        self.reconstructed += off_stack;
        for entry in self.formatting.iter_mut().filter(|e| !e.on_stack) {
            entry.on_stack = true;
            self.stack.push(entry.name.clone());
        }
    }

    /// The implied end tags the parser generates for a start tag.
    fn implied_closes(&mut self, name: &Name) {
        if name.has(CLOSES_P_FLAG) {
            self.close(&["p"], |n| n.has(SCOPE_FLAG) || n.is(&["button"]));
        }
        let special_except_address_div_p = |n: &Name| n.has(SPECIAL_FLAG) && !n.is(&["address", "div", "p"]);
        let table_scope = |n: &Name| n.is(&["table", "template", "html"]);
        match name.as_str() {
            "li" => self.close(&["li"], special_except_address_div_p),
            "dd" | "dt" => self.close(&["dd", "dt"], special_except_address_div_p),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if self.stack.last().is_some_and(|top| top.is(HEADINGS)) => {
                self.pop_to_index(self.stack.len() - 1, false);
            }
            "a" => {
                if let Some(index) = self.find(|n| n.is(&["a"]), |n| n.has(SCOPE_FLAG)) {
                    self.pop_to_index(index, true);
                }
                if let Some(entry) = self.formatting.iter().rposition(|e| e.name.is(&["a"])) {
                    self.forget_formatting(entry);
                }
            }
            "td" | "th" => self.close(&["td", "th"], |n| table_scope(n) || n.is(&["tr"])),
            "tr" => self.close(&["tr", "td", "th"], table_scope),
            "tbody" | "thead" | "tfoot" | "caption" | "colgroup" => {
                self.close(&["tbody", "thead", "tfoot", "caption", "colgroup", "tr", "td", "th"], table_scope)
            }
            "option" | "optgroup" => self.close(&["option"], |n| n.is(&["select", "html"])),
            "rb" | "rt" | "rtc" | "rp" => self.close(&["rb", "rt", "rtc", "rp"], |n| n.is(&["ruby", "html"])),
            _ => {}
        }
    }

    fn start_tag(&mut self, tag: &Tag, at: usize) {
        let name = &tag.name;
        if self.in_foreign() && name.has(BREAKS_OUT_FLAG) {
            if let Some(from) = self.foreign_from {
                self.pop_to_index(from, false);
            }
        }
        let foreign = self.in_foreign();
        let foreign_root = name.is(&["svg", "math"]);
        let nests = !name.has(VOID_FLAG) && !(tag.self_closing && (foreign || foreign_root));
        if !foreign {
            self.implied_closes(name);
            let blocks = name.has(CLOSES_P_FLAG) && !name.is(&["xmp"]);
            if !blocks && !name.has(NO_RECONSTRUCTION_FLAG) {
                self.reconstruct(at);
            }
        }
        if nests && self.stack.len() >= MAX_PARSE_DEPTH {
            self.copy_to(at);
            self.skip_to(tag.stop);
            *self.dropped_open.entry(name.clone()).or_default() += 1;
            self.result.tags_dropped += 1;
            return;
        }
        for &(from, to) in &tag.excess_attributes {
            self.copy_to(from);
            self.skip_to(to);
            self.result.attributes_dropped += 1;
        }
        if nests {
            if foreign_root && !foreign {
                self.foreign_from = Some(self.stack.len());
            }
            if name.has(FORMATTING_FLAG) && !foreign {
                self.formatting.push(Formatting { name: name.clone(), on_stack: true });
            }
            self.stack.push(name.clone());
        }
    }

    fn end_tag(&mut self, tag: &Tag, at: usize) {
        let name = &tag.name;
        if !self.dropped_open.is_empty() {
            if let Some(count) = self.dropped_open.get_mut(name).filter(|c| **c > 0) {
                *count -= 1;
                self.copy_to(at);
                self.skip_to(tag.stop);
                self.result.tags_dropped += 1;
                return;
            }
        }
        // Block and formatting end tags close an element in scope; any other
        // end tag only an element above the nearest special one.
        let heading = name.is(HEADINGS);
        let target = |n: &Name| if heading { n.is(HEADINGS) } else { n == name };
        let found = if self.in_foreign() || name.has(SPECIAL_FLAG) || name.has(FORMATTING_FLAG) {
            let list_item = name.is(&["li"]);
            self.find(target, |n| n.has(SCOPE_FLAG) || list_item && n.is(&["ol", "ul"]))
        } else {
            self.find(target, |n| n.has(SPECIAL_FLAG))
        };
        match found {
            Some(index) => self.pop_to_index(index, true),
            None => {
                if let Some(entry) = self.formatting.iter().rposition(|e| e.name == *name && !e.on_stack) {
                    // Active but not open: the parser drops it from the list.
                    self.forget_formatting(entry);
                }
            }
        }
    }
}

/// Bounds `html` for parsing (see the [module docs](self)).
///
/// ```
/// use lectern_ingest::sanitize::bounds::bound;
/// let ordinary = "<p>An <b>ordinary</b> article.</p>";
/// assert!(matches!(bound(ordinary).html, std::borrow::Cow::Borrowed(_)));
/// let deep = "<div>".repeat(1000);
/// assert_eq!(bound(&deep).html.matches("<div>").count(), lectern_core::limits::MAX_PARSE_DEPTH);
/// ```
pub fn bound(html: &str) -> Bounded<'_> {
    let bytes = html.as_bytes();
    let mut pass = Pass {
        html,
        out: None,
        copied_to: 0,
        stack: Vec::new(),
        formatting: Vec::new(),
        off_stack: 0,
        dropped_open: HashMap::new(),
        foreign_from: None,
        reconstructed: 0,
        result: Bounded { html: Cow::Borrowed(html), tags_dropped: 0, attributes_dropped: 0, formatting_closed: 0 },
    };
    let mut i = 0;
    while i < bytes.len() {
        let at = html[i..].find('<').map_or(html.len(), |offset| i + offset);
        if at > i {
            pass.reconstruct(i);
        }
        if at >= html.len() {
            break;
        }
        match bytes.get(at + 1) {
            Some(b'!' | b'?') => i = comment_end(html, at),
            Some(b'/') => match bytes.get(at + 2) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let tag = read_tag(bytes, at + 2);
                    if tag.complete {
                        pass.end_tag(&tag, at);
                    }
                    i = tag.stop;
                }
                Some(b'>') => i = at + 3,
                _ => i = comment_end(html, at),
            },
            Some(c) if c.is_ascii_alphabetic() => {
                let tag = read_tag(bytes, at + 1);
                if !tag.complete {
                    break;
                }
                pass.start_tag(&tag, at);
                i = tag.stop;
                if !pass.in_foreign() && !tag.self_closing {
                    if tag.name.has(RAW_TEXT_FLAG) {
                        i = raw_text_end(html, i, tag.name.as_str());
                    } else if tag.name.is(&["plaintext"]) {
                        break;
                    }
                }
            }
            _ => i = at + 1,
        }
    }
    pass.copy_to(html.len());
    if let Some(out) = pass.out.take() {
        pass.result.html = Cow::Owned(out);
    }
    pass.result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_ordinary_html_untouched_and_uncopied() {
        for html in [
            "<p>a <b>b</b> <a href='x'>c</a></p><ul><li>1<li>2</ul><table><tr><td>x<td>y</table>",
            "<p><b>left open</p><p>across paragraphs</p>",
            "<script>if (a < b && c) { x('<div>') }</script><style>p > a {}</style><!-- <div> -->",
            "<svg><path d='M0 0'/><g/></svg><textarea><div><div></textarea>",
        ] {
            let bounded = bound(html);
            assert!(matches!(bounded.html, Cow::Borrowed(_)), "{html}: {:?}", bounded.html);
            assert!(bounded.describe().is_empty());
        }
    }

    #[test]
    fn drops_start_tags_nested_deeper_than_the_limit_and_their_end_tags() {
        let html = format!("{}x{}", "<div>".repeat(MAX_PARSE_DEPTH + 10), "</div>".repeat(MAX_PARSE_DEPTH + 10));
        let bounded = bound(&html);
        assert_eq!(bounded.html.matches("<div>").count(), MAX_PARSE_DEPTH);
        assert_eq!(bounded.html.matches("</div>").count(), MAX_PARSE_DEPTH);
        assert_eq!(bounded.tags_dropped, 20);
        assert!(bounded.html.contains('x'));
    }

    #[test]
    fn unmatched_end_tags_do_not_lower_the_depth() {
        let html = "<div></span>".repeat(MAX_PARSE_DEPTH + 5);
        assert_eq!(bound(&html).html.matches("<div>").count(), MAX_PARSE_DEPTH);
    }

    #[test]
    fn self_closed_html_elements_still_nest_but_svg_ones_do_not() {
        assert_eq!(bound(&"<div/>".repeat(MAX_PARSE_DEPTH + 5)).tags_dropped, 5);
        let svg = format!("<svg>{}</svg><p>after</p>", "<path/>".repeat(MAX_PARSE_DEPTH + 5));
        assert_eq!(bound(&svg).tags_dropped, 0);
    }

    #[test]
    fn drops_attributes_beyond_the_limit() {
        let attrs: String = (0..MAX_ATTRIBUTES_PER_ELEMENT + 3).map(|i| format!(" a{i}=\"v > {i}\"")).collect();
        let html = format!("<p{attrs} title=last>text</p>");
        let bounded = bound(&html);
        assert_eq!(bounded.attributes_dropped, 4);
        assert!(bounded.html.contains(&format!("a{}=", MAX_ATTRIBUTES_PER_ELEMENT - 1)));
        assert!(!bounded.html.contains("title=last"));
        assert!(bounded.html.ends_with(">text</p>"), "{}", bounded.html);
    }

    #[test]
    fn closes_formatting_elements_reconstructed_too_often() {
        let open: String = (0..500).map(|i| format!("<b x={i}>")).collect();
        for html in [format!("<p>{open}</p>{}", "<p>x</p>".repeat(2_000)), format!("<p>{open}{}", "<p>x".repeat(2_000))] {
            let bounded = bound(&html);
            assert_eq!(bounded.formatting_closed, 500, "{}", &html[..40]);
            assert!(bounded.describe()[0].contains("closed early"));
        }
    }

    #[test]
    fn raw_text_is_skipped_but_not_inside_svg() {
        let deep_in_script = format!("<script>{}</script>", "<div>".repeat(MAX_PARSE_DEPTH + 5));
        assert_eq!(bound(&deep_in_script).tags_dropped, 0);
        let deep_in_svg_style = format!("<svg><style>{}", "<div>".repeat(MAX_PARSE_DEPTH + 5));
        assert!(bound(&deep_in_svg_style).tags_dropped > 0);
    }
}
