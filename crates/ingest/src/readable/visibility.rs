//! Whether an element is shown: inline `display: none` / `visibility: hidden`,
//! the `hidden` attribute, `aria-hidden="true"`.

use super::dom::attr;
use ammonia::rcdom::Handle;

/// The value of one property in an element's inline `style`, lowercased
/// (the last declaration wins, `!important` dropped).
pub fn inline_style(node: &Handle, property: &str) -> Option<String> {
    let style = attr(node, "style")?;
    style
        .split(';')
        .filter_map(|declaration| declaration.split_once(':'))
        .filter(|(name, _)| name.trim().eq_ignore_ascii_case(property))
        .map(|(_, value)| value.trim().trim_end_matches("!important").trim().to_ascii_lowercase())
        .next_back()
}

fn aria_hidden(node: &Handle) -> bool {
    attr(node, "aria-hidden").as_deref() == Some("true")
        && !attr(node, "class").is_some_and(|c| c.contains("fallback-image"))
}

/// Shown, as the readerable check sees it (`display`, `hidden`, `aria-hidden`).
pub fn is_node_visible(node: &Handle) -> bool {
    inline_style(node, "display").as_deref() != Some("none") && attr(node, "hidden").is_none() && !aria_hidden(node)
}

/// Shown, as extraction sees it (also `visibility: hidden`).
pub fn is_probably_visible(node: &Handle) -> bool {
    is_node_visible(node) && inline_style(node, "visibility").as_deref() != Some("hidden")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readable::dom::descendants;
    use crate::readable::parse::parse_page;

    #[test]
    fn hidden_by_style_attribute_or_aria() {
        let page = parse_page(
            r#"<p style="color: red; DISPLAY : none !important">a</p><p hidden>b</p><p aria-hidden="true">c</p>
            <p aria-hidden="true" class="fallback-image">d</p><p style="visibility:hidden">e</p><p>f</p>"#,
        );
        let shown: Vec<bool> = descendants(&page.document, &["p"]).iter().map(is_probably_visible).collect();
        assert_eq!(shown, [false, false, false, true, false, true]);
    }
}
