//! Decoding HTML character references (`&#123;`, `&nbsp;`, `&amp;`) in
//! front-matter text, with the HTML parser the sanitiser already carries.

use ammonia::rcdom::{NodeData, RcDom};
use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, ParseOpts, QualName};

/// Decodes character references in `text` the way a browser decodes the text of
/// a `<title>` element: entities are replaced, tags are kept as literal text.
///
/// ```
/// assert_eq!(lectern_ingest::entities::decode("a &#123;b&#125; &amp; <c>"), "a {b} & <c>");
/// ```
pub fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let context = QualName::new(None, ns!(html), local_name!("title"));
    let dom = html5ever::parse_fragment(RcDom::default(), ParseOpts::default(), context, vec![], false)
        .one(text);
    let mut out = String::with_capacity(text.len());
    let mut stack = vec![dom.document.clone()];
    while let Some(node) = stack.pop() {
        if let NodeData::Text { contents } = &node.data {
            out.push_str(&contents.borrow());
        }
        stack.extend(node.children.borrow().iter().rev().cloned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_hexo_brace_entities() {
        assert_eq!(decode("&#123;&#125;"), "{}");
    }

    #[test]
    fn decodes_named_entities_and_keeps_tags_as_text() {
        assert_eq!(decode("Tom&nbsp;&amp;&nbsp;Jerry <b>"), "Tom\u{a0}&\u{a0}Jerry <b>");
    }

    #[test]
    fn leaves_text_without_ampersand_alone() {
        assert_eq!(decode("plain <i>text</i>"), "plain <i>text</i>");
    }
}
