//! Finding the article in a prepared page (Mozilla Readability's algorithm,
//! written for ammonia's DOM): drop page furniture, score paragraphs and give
//! their score to their ancestors, take the best-scoring ancestor, and add the
//! siblings that look like part of the same article.

use super::clean::clean_article;
use super::dom::{
    ancestors, append, attr, body, children, class_and_id, create_element, document_element, element_children,
    first_element_child, has_ancestor_tag, is_element, is_tag, is_text, key, next_node, parent, parent_element,
    remove_and_get_next, rename, replace, tag, text_content,
};
use super::patterns::{is_byline, is_negative, is_positive, is_unlikely_candidate, UNLIKELY_ROLES};
use super::prepare::{is_phrasing_content, is_whitespace};
use super::text::{count_commas, inner_text, inner_text_len, js_len, js_trim, text_similarity};
use super::visibility::is_probably_visible;
use ammonia::rcdom::{Handle, Node};
use std::collections::HashMap;

/// Elements whose text is scored.
const TAGS_TO_SCORE: &[&str] = &["section", "h2", "h3", "h4", "h5", "h6", "p", "td", "pre"];

/// Block elements that keep a `<div>` from becoming a paragraph.
pub const DIV_TO_P_ELEMENTS: &[&str] = &["blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul"];

/// Elements kept as they are when added to the article; others become `<div>`.
const ALTER_TO_DIV_EXCEPTIONS: &[&str] = &["div", "article", "section", "p", "ol", "ul"];

/// How many top-scoring candidates are compared.
const TOP_CANDIDATES: usize = 5;

/// How many of them must share an ancestor for it to be taken instead.
const MINIMUM_TOP_CANDIDATES: usize = 3;

/// Which heuristics an attempt uses; each failed attempt drops one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flags {
    /// Remove elements whose class/id say they are page furniture, before scoring.
    pub strip_unlikely: bool,
    /// Let class/id add to or subtract from scores.
    pub weight_classes: bool,
    /// Remove tables, lists, divs that look like furniture after extraction.
    pub clean_conditionally: bool,
}

impl Flags {
    /// Every heuristic on.
    pub const ALL: Flags = Flags { strip_unlikely: true, weight_classes: true, clean_conditionally: true };

    /// The next, more lenient attempt, or `None` after the last.
    pub fn relaxed(self) -> Option<Flags> {
        if self.strip_unlikely {
            Some(Flags { strip_unlikely: false, ..self })
        } else if self.weight_classes {
            Some(Flags { weight_classes: false, ..self })
        } else if self.clean_conditionally {
            Some(Flags { clean_conditionally: false, ..self })
        } else {
            None
        }
    }
}

/// +25 for a content-like class or id, -25 for a furniture-like one, each.
pub fn class_weight(node: &Handle, flags: Flags) -> f64 {
    if !flags.weight_classes {
        return 0.0;
    }
    let mut weight = 0.0;
    for value in [attr(node, "class"), attr(node, "id")].into_iter().flatten().filter(|v| !v.is_empty()) {
        if is_negative(&value) {
            weight -= 25.0;
        }
        if is_positive(&value) {
            weight += 25.0;
        }
    }
    weight
}

/// How much of a node's text is link text (same-page `#` links count a fifth).
pub fn link_density(node: &Handle) -> f64 {
    let text_length = inner_text_len(node);
    if text_length == 0 {
        return 0.0;
    }
    let mut link_length = 0.0;
    for link in super::dom::descendants(node, &["a"]) {
        let coefficient = match attr(&link, "href") {
            Some(href) if href.len() > 1 && href.starts_with('#') => 0.2,
            _ => 1.0,
        };
        link_length += inner_text_len(&link) as f64 * coefficient;
    }
    link_length / text_length as f64
}

/// True when an element has exactly one element child, named `name`, and no text of its own.
pub fn has_single_tag_inside(node: &Handle, name: &str) -> bool {
    let kids = element_children(node);
    if kids.len() != 1 || !is_tag(&kids[0], name) {
        return false;
    }
    !node
        .children
        .borrow()
        .iter()
        .any(|c| is_text(c) && text_content(c).ends_with(|ch: char| !super::text::is_js_space(ch)))
}

/// True when a block element is somewhere inside.
fn has_child_block_element(node: &Handle) -> bool {
    let mut stack: Vec<Handle> = children(node);
    while let Some(current) = stack.pop() {
        if let Some(name) = tag(&current) {
            if DIV_TO_P_ELEMENTS.contains(&name) {
                return true;
            }
            stack.extend(children(&current));
        }
    }
    false
}

/// An element with no text and nothing but `<br>`/`<hr>` inside.
fn is_element_without_content(node: &Handle) -> bool {
    if !js_trim(&text_content(node)).is_empty() {
        return false;
    }
    let kids = element_children(node);
    kids.is_empty() || {
        let breaks = super::dom::descendants(node, &["br", "hr"]).len();
        kids.len() == breaks
    }
}

/// What one attempt found.
pub struct Grabbed {
    /// A detached `<div>` holding the article.
    pub content: Handle,
    /// The length of its normalised text.
    pub text_length: usize,
    /// The `dir` of the article's nearest ancestor that declares one.
    pub dir: Option<String>,
}

/// Scores kept beside the tree (the handle keeps the node, and so its key, alive).
#[derive(Default)]
pub struct Scores {
    map: HashMap<*const Node, (Handle, f64)>,
}

impl Scores {
    /// The score of a node that has one.
    pub fn get(&self, node: &Handle) -> Option<f64> {
        self.map.get(&key(node)).map(|(_, s)| *s)
    }

    fn set(&mut self, node: &Handle, score: f64) {
        self.map.insert(key(node), (node.clone(), score));
    }

    fn add(&mut self, node: &Handle, delta: f64) {
        if let Some(entry) = self.map.get_mut(&key(node)) {
            entry.1 += delta;
        }
    }

    fn moved(&mut self, from: &Handle, to: &Handle) {
        if let Some((_, score)) = self.map.remove(&key(from)) {
            self.set(to, score);
        }
    }

    /// Gives a node its starting score from its tag and class/id.
    fn initialize(&mut self, node: &Handle, flags: Flags) {
        let base = match tag(node).unwrap_or("") {
            "div" => 5.0,
            "pre" | "td" | "blockquote" => 3.0,
            "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
            _ => 0.0,
        };
        self.set(node, base + class_weight(node, flags));
    }
}

/// The state an extraction carries across attempts.
pub struct Grabber<'a> {
    /// The article's title, to drop a heading that repeats it.
    pub title: &'a str,
    /// The author line found in the page (kept across attempts).
    pub byline: Option<String>,
    /// False when the page's metadata already names the author.
    pub look_for_byline: bool,
}

impl Grabber<'_> {
    /// One attempt over a freshly prepared page. Returns `None` when the page has no body.
    pub fn grab(&mut self, document: &Handle, flags: Flags) -> Option<Grabbed> {
        let page = body(document)?;
        let mut scores = Scores::default();
        let elements_to_score = self.walk(document, flags);

        // Score paragraphs and give the score to five levels of ancestors.
        let mut candidates: Vec<Handle> = Vec::new();
        for element in &elements_to_score {
            if parent_element(element).is_none() {
                continue;
            }
            let text = inner_text(element, true);
            let length = js_len(&text);
            if length < 25 {
                continue;
            }
            let ancestors = ancestors(element, 5);
            if ancestors.is_empty() {
                continue;
            }
            let score = 1.0 + (count_commas(&text) + 1) as f64 + (length / 100).min(3) as f64;
            for (level, ancestor) in ancestors.iter().enumerate() {
                if !is_element(ancestor) || parent_element(ancestor).is_none() {
                    continue;
                }
                if scores.get(ancestor).is_none() {
                    scores.initialize(ancestor, flags);
                    candidates.push(ancestor.clone());
                }
                let divider = match level {
                    0 => 1.0,
                    1 => 2.0,
                    _ => level as f64 * 3.0,
                };
                scores.add(ancestor, score / divider);
            }
        }

        // Scale by link density and keep the best few.
        let mut top: Vec<(Handle, f64)> = Vec::new();
        for candidate in &candidates {
            let score = scores.get(candidate).unwrap_or(0.0) * (1.0 - link_density(candidate));
            scores.set(candidate, score);
            let at = top.iter().position(|(_, s)| score > *s).unwrap_or(top.len());
            if at < TOP_CANDIDATES {
                top.insert(at, (candidate.clone(), score));
                top.truncate(TOP_CANDIDATES);
            }
        }

        let top_candidate = match top.first() {
            Some((candidate, _)) if !is_tag(candidate, "body") => self.refine(candidate, &top, &mut scores, flags),
            _ => {
                // Nothing scored: the whole body is the article.
                let div = create_element("div");
                super::dom::move_children(&page, &div);
                append(&page, &div);
                scores.initialize(&div, flags);
                div
            }
        };
        let parent_of_top = parent(&top_candidate)?;

        let content = gather_siblings(&top_candidate, &parent_of_top, &mut scores);
        clean_article(&content, flags);

        let text_length = inner_text_len(&content);
        let dir = [parent_of_top.clone(), top_candidate.clone()]
            .into_iter()
            .chain(ancestors(&parent_of_top, 0))
            .filter(is_element)
            .find_map(|node| attr(&node, "dir").filter(|d| !d.is_empty()));
        Some(Grabbed { content, text_length, dir })
    }

    /// Walks the page once: removes hidden elements, the byline, a heading
    /// repeating the title and (with the flag) page furniture; turns divs of
    /// inline content into paragraphs; returns the elements to score.
    fn walk(&mut self, document: &Handle, flags: Flags) -> Vec<Handle> {
        let mut to_score = Vec::new();
        let mut should_remove_title_header = true;
        let mut node = document_element(document);
        while let Some(current) = node {
            let name = tag(&current).unwrap_or("").to_owned();
            let match_string = class_and_id(&current);
            if !is_probably_visible(&current) {
                node = remove_and_get_next(&current);
                continue;
            }
            if attr(&current, "aria-modal").as_deref() == Some("true")
                && attr(&current, "role").as_deref() == Some("dialog")
            {
                node = remove_and_get_next(&current);
                continue;
            }
            if self.byline.is_none() && self.look_for_byline && is_valid_byline(&current, &match_string) {
                self.byline = Some(byline_text(&current));
                node = remove_and_get_next(&current);
                continue;
            }
            if should_remove_title_header && self.header_duplicates_title(&current) {
                should_remove_title_header = false;
                node = remove_and_get_next(&current);
                continue;
            }
            if flags.strip_unlikely {
                if is_unlikely_candidate(&match_string)
                    && !has_ancestor_tag(&current, "table", 3, |_| true)
                    && !has_ancestor_tag(&current, "code", 3, |_| true)
                    && name != "body"
                    && name != "a"
                {
                    node = remove_and_get_next(&current);
                    continue;
                }
                if attr(&current, "role").is_some_and(|role| UNLIKELY_ROLES.contains(&role.as_str())) {
                    node = remove_and_get_next(&current);
                    continue;
                }
            }
            if matches!(name.as_str(), "div" | "section" | "header" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
                && is_element_without_content(&current)
            {
                node = remove_and_get_next(&current);
                continue;
            }
            if TAGS_TO_SCORE.contains(&name.as_str()) {
                to_score.push(current.clone());
            }
            let mut current = current;
            if name == "div" {
                wrap_phrasing_runs(&current);
                if has_single_tag_inside(&current, "p") && link_density(&current) < 0.25 {
                    if let Some(only) = first_element_child(&current) {
                        replace(&current, &only);
                        current = only;
                        to_score.push(current.clone());
                    }
                } else if !has_child_block_element(&current) {
                    current = rename(&current, "p");
                    to_score.push(current.clone());
                }
            }
            node = next_node(&current, false);
        }
        to_score
    }

    /// An `<h1>`/`<h2>` whose text is (nearly) the title.
    fn header_duplicates_title(&self, node: &Handle) -> bool {
        if !(is_tag(node, "h1") || is_tag(node, "h2")) {
            return false;
        }
        text_similarity(self.title, &inner_text(node, false)) > 0.75
    }

    /// Moves up from the best candidate when several top candidates share an
    /// ancestor, or a parent scores well too; then past single-child wrappers.
    fn refine(&self, best: &Handle, top: &[(Handle, f64)], scores: &mut Scores, flags: Flags) -> Handle {
        let mut top_candidate = best.clone();
        let best_score = top[0].1;
        let alternatives: Vec<Vec<Handle>> = top[1..]
            .iter()
            .filter(|(_, score)| score / best_score >= 0.75)
            .map(|(node, _)| ancestors(node, 0))
            .collect();
        if alternatives.len() >= MINIMUM_TOP_CANDIDATES {
            let mut ancestor = parent(&top_candidate);
            while let Some(current) = ancestor.filter(|a| is_element(a) && !is_tag(a, "body")) {
                let lists =
                    alternatives.iter().filter(|list| list.iter().any(|a| std::rc::Rc::ptr_eq(a, &current))).count();
                if lists >= MINIMUM_TOP_CANDIDATES {
                    top_candidate = current;
                    break;
                }
                ancestor = parent(&current);
            }
        }
        if scores.get(&top_candidate).is_none() {
            scores.initialize(&top_candidate, flags);
        }

        // A parent that scores better than the candidate holds more of the article.
        let mut last_score = scores.get(&top_candidate).unwrap_or(0.0);
        let threshold = last_score / 3.0;
        let mut ancestor = parent(&top_candidate);
        while let Some(current) = ancestor.filter(|a| is_element(a) && !is_tag(a, "body")) {
            let Some(parent_score) = scores.get(&current) else {
                ancestor = parent(&current);
                continue;
            };
            if parent_score < threshold {
                break;
            }
            if parent_score > last_score {
                top_candidate = current;
                break;
            }
            last_score = parent_score;
            ancestor = parent(&current);
        }

        // A wrapper with no other child is the same article.
        while let Some(parent) = parent(&top_candidate).filter(|p| is_element(p) && !is_tag(p, "body")) {
            if element_children(&parent).len() != 1 {
                break;
            }
            top_candidate = parent;
        }
        if scores.get(&top_candidate).is_none() {
            scores.initialize(&top_candidate, flags);
        }
        top_candidate
    }
}

/// The candidate and the siblings that look like part of the article, in a new `<div>`.
fn gather_siblings(top_candidate: &Handle, parent: &Handle, scores: &mut Scores) -> Handle {
    let content = create_element("div");
    let top_score = scores.get(top_candidate).unwrap_or(0.0);
    let threshold = (top_score * 0.2).max(10.0);
    let top_class = attr(top_candidate, "class").unwrap_or_default();
    for sibling in element_children(parent) {
        let append_it = if std::rc::Rc::ptr_eq(&sibling, top_candidate) {
            true
        } else {
            let mut bonus = 0.0;
            if !top_class.is_empty() && attr(&sibling, "class").as_deref() == Some(top_class.as_str()) {
                bonus += top_score * 0.2;
            }
            match scores.get(&sibling) {
                Some(score) if score + bonus >= threshold => true,
                _ if is_tag(&sibling, "p") => {
                    let density = link_density(&sibling);
                    let text = inner_text(&sibling, true);
                    let length = js_len(&text);
                    (length > 80 && density < 0.25)
                        || (length < 80 && length > 0 && density == 0.0 && ends_sentence_somewhere(&text))
                }
                _ => false,
            }
        };
        if append_it {
            let name = tag(&sibling).unwrap_or("");
            let sibling = if ALTER_TO_DIV_EXCEPTIONS.contains(&name) {
                sibling
            } else {
                let renamed = rename(&sibling, "div");
                scores.moved(&sibling, &renamed);
                renamed
            };
            append(&content, &sibling);
        }
    }
    content
}

/// A `.` followed by a space or the end: the text has a sentence.
fn ends_sentence_somewhere(text: &str) -> bool {
    text.match_indices('.').any(|(i, _)| text[i + 1..].is_empty() || text[i + 1..].starts_with(' '))
}

/// Inline runs directly inside a `<div>` become paragraphs.
fn wrap_phrasing_runs(div: &Handle) {
    let mut paragraph: Option<Handle> = None;
    for child in children(div) {
        if is_phrasing_content(&child) {
            match &paragraph {
                Some(p) => append(p, &child),
                None if !is_whitespace(&child) => {
                    let p = create_element("p");
                    replace(&child, &p);
                    append(&p, &child);
                    paragraph = Some(p);
                }
                None => {}
            }
        } else if let Some(p) = paragraph.take() {
            while let Some(last) = children(&p).last().cloned() {
                if !is_whitespace(&last) {
                    break;
                }
                super::dom::remove(&last);
            }
        }
    }
}

/// A short element marked as the author line (`rel=author`, `itemprop=author`, a byline class).
fn is_valid_byline(node: &Handle, match_string: &str) -> bool {
    let rel_author = attr(node, "rel").as_deref() == Some("author");
    let itemprop_author = attr(node, "itemprop").is_some_and(|p| p.contains("author"));
    if !(rel_author || itemprop_author || is_byline(match_string)) {
        return false;
    }
    let length = js_len(js_trim(&text_content(node)));
    length > 0 && length < 100
}

/// The byline's text: its `itemprop=name` descendant's, else its own.
fn byline_text(node: &Handle) -> String {
    let end = next_node(node, true);
    let mut next = next_node(node, false);
    while let Some(current) = next {
        if end.as_ref().is_some_and(|e| std::rc::Rc::ptr_eq(e, &current)) {
            break;
        }
        if attr(&current, "itemprop").is_some_and(|p| p.contains("name")) {
            return js_trim(&text_content(&current)).to_owned();
        }
        next = next_node(&current, false);
    }
    js_trim(&text_content(node)).to_owned()
}
