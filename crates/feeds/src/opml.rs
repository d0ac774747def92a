//! OPML subscription lists: read (nested outlines, the folder an outline is
//! in becomes its category) and written.

use crate::error::FeedError;
use crate::limits::MAX_OPML_OUTLINES;
use serde::{Deserialize, Serialize};

/// One feed of a subscription list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    /// The feed's address (`xmlUrl`).
    pub url: String,
    #[serde(default)]
    pub title: Option<String>,
    /// The site's address (`htmlUrl`).
    #[serde(default)]
    pub site: Option<String>,
    /// The folder (outline) it was listed in.
    #[serde(default)]
    pub category: Option<String>,
}

/// The feeds of an OPML document, in its order, each address once.
pub fn read_opml(text: &str) -> Result<Vec<Subscription>, FeedError> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let document = opml::OPML::from_str(text).map_err(|e| FeedError::Opml { reason: e.to_string() })?;
    let mut found = Vec::new();
    collect(&document.body.outlines, None, &mut found);
    if found.len() > MAX_OPML_OUTLINES {
        return Err(FeedError::Opml { reason: format!("it lists {} feeds, over the limit of {MAX_OPML_OUTLINES}", found.len()) });
    }
    Ok(found)
}

fn collect(outlines: &[opml::Outline], folder: Option<&str>, found: &mut Vec<Subscription>) {
    for outline in outlines {
        let name = outline.title.as_deref().filter(|t| !t.trim().is_empty()).unwrap_or(&outline.text).trim();
        match outline.xml_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => {
                if !found.iter().any(|s: &Subscription| s.url == url) {
                    found.push(Subscription {
                        url: url.to_owned(),
                        title: Some(name.to_owned()).filter(|n| !n.is_empty() && n != url),
                        site: outline.html_url.clone().filter(|u| !u.trim().is_empty()),
                        category: outline.category.clone().filter(|c| !c.trim().is_empty()).or_else(|| folder.map(str::to_owned)),
                    });
                }
            }
            None => collect(&outline.outlines, Some(name).filter(|n| !n.is_empty()).or(folder), found),
        }
        if found.len() > MAX_OPML_OUTLINES {
            return;
        }
    }
}

/// An OPML 2.0 document listing `subscriptions`, grouped in folders by category.
pub fn write_opml(title: &str, subscriptions: &[Subscription]) -> Result<String, FeedError> {
    let mut document = opml::OPML { version: "2.0".into(), ..Default::default() };
    document.head = Some(opml::Head { title: Some(title.to_owned()), ..Default::default() });
    let outline = |s: &Subscription| opml::Outline {
        text: s.title.clone().unwrap_or_else(|| s.url.clone()),
        title: s.title.clone(),
        r#type: Some("rss".into()),
        xml_url: Some(s.url.clone()),
        html_url: s.site.clone(),
        ..Default::default()
    };
    let mut folders: Vec<(String, Vec<opml::Outline>)> = Vec::new();
    for subscription in subscriptions {
        match &subscription.category {
            Some(category) => match folders.iter_mut().find(|(name, _)| name == category) {
                Some((_, list)) => list.push(outline(subscription)),
                None => folders.push((category.clone(), vec![outline(subscription)])),
            },
            None => document.body.outlines.push(outline(subscription)),
        }
    }
    for (name, outlines) in folders {
        document.body.outlines.push(opml::Outline { text: name.clone(), title: Some(name), outlines, ..Default::default() });
    }
    let xml = document.to_string().map_err(|e| FeedError::Opml { reason: e.to_string() })?;
    Ok(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{xml}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_become_categories_and_round_trip() {
        let list = vec![
            Subscription { url: "https://a.example/feed".into(), title: Some("A & B".into()), site: Some("https://a.example/".into()), category: Some("News".into()) },
            Subscription { url: "https://c.example/atom".into(), title: None, site: None, category: None },
        ];
        let written = write_opml("Lectern", &list).unwrap();
        assert!(written.contains("A &amp; B"), "{written}");
        let read = read_opml(&written).unwrap();
        assert_eq!(read.len(), 2);
        let find = |url: &str| read.iter().find(|s| s.url == url).unwrap();
        assert_eq!(find(&list[0].url), &list[0]);
        assert_eq!(find(&list[1].url), &list[1]);
    }

    #[test]
    fn not_opml_is_a_clear_error() {
        let error = read_opml("<rss version=\"2.0\"></rss>").unwrap_err();
        assert!(error.to_string().starts_with("the subscription list (OPML) could not be read"), "{error}");
    }
}
