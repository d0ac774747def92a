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
//!   [`crate::limits::MAX_HTML_DEPTH`] anyway).
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

use crate::limits::{MAX_ATTRIBUTES_PER_ELEMENT, MAX_FORMATTING_RECONSTRUCTIONS, MAX_PARSE_DEPTH};
use std::borrow::Cow;
use std::collections::HashMap;

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

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// One tag as the tokenizer reads it.
struct Tag {
    /// Lower-case name.
    name: String,
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
    let name = String::from_utf8_lossy(&bytes[name_at..i]).to_ascii_lowercase();
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
        let close = html[body..].find("-->").map(|p| body + p + 3);
        let bang = html[body..].find("--!>").map(|p| body + p + 4);
        return match (close, bang) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => html.len(),
        };
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
    name: String,
    on_stack: bool,
}

/// The pass's state: a simplified stack of open elements and list of active
/// formatting elements, and the output being built (copied on first change).
struct Pass<'a> {
    html: &'a str,
    out: Option<String>,
    copied_to: usize,
    stack: Vec<String>,
    formatting: Vec<Formatting>,
    /// Start tags dropped, by name, whose end tags are still to drop.
    dropped_open: HashMap<String, usize>,
    /// The stack height at which SVG/MathML content started, if inside it.
    foreign_from: Option<usize>,
    reconstructed: usize,
    result: Bounded<'a>,
}

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

    /// Pops the stack down to and including entry `index`. Formatting
    /// elements popped on the way stay active, off the stack; the entry
    /// itself, closed by its own end tag, is no longer active.
    fn pop_to_index(&mut self, index: usize, by_end_tag: bool) {
        while self.stack.len() > index {
            let Some(name) = self.stack.pop() else { break };
            if FORMATTING.contains(&name.as_str()) {
                if let Some(entry) = self.formatting.iter().rposition(|e| e.on_stack && e.name == name) {
                    if by_end_tag && self.stack.len() == index {
                        self.formatting.remove(entry);
                    } else {
                        self.formatting[entry].on_stack = false;
                    }
                }
            }
        }
        if self.foreign_from.is_some_and(|from| self.stack.len() <= from) {
            self.foreign_from = None;
        }
    }

    /// The index of the topmost element named in `names`, searching down
    /// from the top and stopping at any element for which `stop` is true.
    fn find(&self, names: &[&str], stop: impl Fn(&str) -> bool) -> Option<usize> {
        for (index, name) in self.stack.iter().enumerate().rev() {
            if names.contains(&name.as_str()) {
                return Some(index);
            }
            if stop(name) {
                return None;
            }
        }
        None
    }

    fn close(&mut self, names: &[&str], stop: impl Fn(&str) -> bool) {
        if let Some(index) = self.find(names, stop) {
            self.pop_to_index(index, false);
        }
    }

    /// Before text or a start tag, the parser re-creates the active
    /// formatting elements that are off the stack. Past the budget (or the
    /// depth limit), they are closed explicitly instead.
    fn reconstruct(&mut self, at: usize) {
        let off_stack = self.formatting.iter().filter(|e| !e.on_stack).count();
        if off_stack == 0 {
            return;
        }
        self.copy_to(at);
        if self.reconstructed + off_stack > MAX_FORMATTING_RECONSTRUCTIONS || self.stack.len() + off_stack > MAX_PARSE_DEPTH {
            let mut closing = String::new();
            for entry in self.formatting.iter().rev().filter(|e| !e.on_stack) {
                closing.push_str("</");
                closing.push_str(&entry.name);
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
    fn implied_closes(&mut self, name: &str) {
        if CLOSES_P.contains(&name) {
            self.close(&["p"], |n| SCOPE.contains(&n) || n == "button");
        }
        let special_except_address_div_p = |n: &str| SPECIAL.contains(&n) && !matches!(n, "address" | "div" | "p");
        match name {
            "li" => self.close(&["li"], special_except_address_div_p),
            "dd" | "dt" => self.close(&["dd", "dt"], special_except_address_div_p),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                if self.stack.last().is_some_and(|top| matches!(top.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6")) =>
            {
                self.pop_to_index(self.stack.len() - 1, false);
            }
            "a" => {
                if let Some(index) = self.find(&["a"], |n| SCOPE.contains(&n)) {
                    self.pop_to_index(index, true);
                }
                if let Some(entry) = self.formatting.iter().rposition(|e| e.name == "a") {
                    self.formatting.remove(entry);
                }
            }
            "td" | "th" => self.close(&["td", "th"], |n| matches!(n, "table" | "tr" | "template" | "html")),
            "tr" => self.close(&["tr", "td", "th"], |n| matches!(n, "table" | "template" | "html")),
            "tbody" | "thead" | "tfoot" | "caption" | "colgroup" => self.close(
                &["tbody", "thead", "tfoot", "caption", "colgroup", "tr", "td", "th"],
                |n| matches!(n, "table" | "template" | "html"),
            ),
            "option" | "optgroup" => self.close(&["option"], |n| matches!(n, "select" | "html")),
            "rb" | "rt" | "rtc" | "rp" => self.close(&["rb", "rt", "rtc", "rp"], |n| matches!(n, "ruby" | "html")),
            _ => {}
        }
    }

    fn start_tag(&mut self, tag: &Tag, at: usize) {
        let name = tag.name.as_str();
        if self.in_foreign() && BREAKS_OUT_OF_FOREIGN.contains(&name) {
            if let Some(from) = self.foreign_from {
                self.pop_to_index(from, false);
            }
        }
        let foreign = self.in_foreign();
        let foreign_root = matches!(name, "svg" | "math");
        let nests = !VOID.contains(&name) && !(tag.self_closing && (foreign || foreign_root));
        if !foreign {
            self.implied_closes(name);
            let blocks = CLOSES_P.contains(&name) && name != "xmp";
            if !blocks && !NO_RECONSTRUCTION.contains(&name) {
                self.reconstruct(at);
            }
        }
        if nests && self.stack.len() >= MAX_PARSE_DEPTH {
            self.copy_to(at);
            self.skip_to(tag.stop);
            *self.dropped_open.entry(tag.name.clone()).or_default() += 1;
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
            if FORMATTING.contains(&name) && !foreign {
                self.formatting.push(Formatting { name: tag.name.clone(), on_stack: true });
            }
            self.stack.push(tag.name.clone());
        }
    }

    fn end_tag(&mut self, tag: &Tag, at: usize) {
        let name = tag.name.as_str();
        if let Some(count) = self.dropped_open.get_mut(name).filter(|c| **c > 0) {
            *count -= 1;
            self.copy_to(at);
            self.skip_to(tag.stop);
            self.result.tags_dropped += 1;
            return;
        }
        // Block and formatting end tags close an element in scope; any other
        // end tag only an element above the nearest special one.
        let in_scope = self.in_foreign() || SPECIAL.contains(&name) || FORMATTING.contains(&name);
        let headings: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];
        let names: &[&str] = if headings.contains(&name) { headings } else { &[name] };
        let found = if in_scope {
            self.find(names, |n| SCOPE.contains(&n) || name == "li" && matches!(n, "ol" | "ul"))
        } else {
            self.find(names, |n| SPECIAL.contains(&n))
        };
        match found {
            Some(index) => self.pop_to_index(index, true),
            None => {
                if let Some(entry) = self.formatting.iter().rposition(|e| e.name == name && !e.on_stack) {
                    // Active but not open: the parser drops it from the list.
                    self.formatting.remove(entry);
                }
            }
        }
    }
}

/// Bounds `html` for parsing (see the [module docs](self)).
///
/// ```
/// use lectern::sanitize::bounds::bound;
/// let ordinary = "<p>An <b>ordinary</b> article.</p>";
/// assert!(matches!(bound(ordinary).html, std::borrow::Cow::Borrowed(_)));
/// let deep = "<div>".repeat(1000);
/// assert_eq!(bound(&deep).html.matches("<div>").count(), lectern::limits::MAX_PARSE_DEPTH);
/// ```
pub fn bound(html: &str) -> Bounded<'_> {
    let bytes = html.as_bytes();
    let mut pass = Pass {
        html,
        out: None,
        copied_to: 0,
        stack: Vec::new(),
        formatting: Vec::new(),
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
                    if RAW_TEXT.contains(&tag.name.as_str()) {
                        i = raw_text_end(html, i, &tag.name);
                    } else if tag.name == "plaintext" {
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
