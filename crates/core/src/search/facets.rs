//! Filters (category, source, author, date range) and facet counts
//! (categories, sources, years) over a set of documents.

use super::corpus::{Corpus, DocInfo, Table};
use super::index::date_seconds;
use super::SearchError;
use chrono::Datelike;
use serde::{Deserialize, Serialize};

/// Restricts results. Within one list a document needs any of the values; all
/// the given lists and bounds must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Filters {
    /// Keep documents with any of these categories (exact values, as the facets give them).
    pub categories: Vec<String>,
    /// Keep documents from any of these sources.
    pub sources: Vec<String>,
    /// Keep documents by any of these authors.
    pub authors: Vec<String>,
    /// Keep documents dated at or after this (RFC 3339, or `YYYY-MM-DD` for the start of that day, UTC).
    pub from: Option<String>,
    /// Keep documents dated at or before this (RFC 3339, or `YYYY-MM-DD` for the whole of that day, UTC).
    pub to: Option<String>,
    /// Keep only the documents with these ids (a reader's starred articles, say); unknown ids are ignored.
    pub ids: Option<Vec<String>>,
    /// Leave out the documents with these ids (a reader's read articles, say).
    pub except_ids: Vec<String>,
}

impl Filters {
    /// True when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        self.categories.is_empty() && self.sources.is_empty() && self.authors.is_empty() && self.from.is_none() && self.to.is_none() && !self.filters_ids()
    }

    /// True when the filters name documents by id.
    pub fn filters_ids(&self) -> bool {
        self.ids.is_some() || !self.except_ids.is_empty()
    }
}

/// Filters resolved against one index: value ids, seconds and slots.
#[derive(Debug, Default)]
pub(crate) struct CompiledFilters {
    categories: Option<Vec<u32>>,
    sources: Option<Vec<u32>>,
    authors: Option<Vec<u32>>,
    from: Option<i64>,
    to: Option<i64>,
    /// Slots below this are not checked against the dates (a corpus that
    /// applies them as a range of slots there: see `without_dates`).
    dated_from: u32,
    /// The slots kept (sorted), when filtered by id.
    only: Option<Vec<u32>>,
    /// The slots left out (sorted).
    except: Vec<u32>,
}

fn bound(field: &'static str, value: Option<&str>, end_of_day: bool) -> Result<Option<i64>, SearchError> {
    let Some(raw) = value else { return Ok(None) };
    let seconds = date_seconds(raw).ok_or_else(|| SearchError::BadDate { field, value: raw.to_owned() })?;
    let is_plain_day = raw.trim().len() == 10;
    Ok(Some(if end_of_day && is_plain_day { seconds + 86_399 } else { seconds }))
}

impl CompiledFilters {
    pub(crate) fn new(corpus: &dyn Corpus, filters: &Filters) -> Result<CompiledFilters, SearchError> {
        let ids = |values: &[String], table: Table| -> Option<Vec<u32>> {
            (!values.is_empty()).then(|| values.iter().filter_map(|v| corpus.value_id(table, v)).collect())
        };
        let from = bound("from", filters.from.as_deref(), false)?;
        let to = bound("to", filters.to.as_deref(), true)?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(SearchError::EmptyDateRange {
                    from: filters.from.clone().unwrap_or_default(),
                    to: filters.to.clone().unwrap_or_default(),
                });
            }
        }
        let slots = |ids: &[String]| -> Vec<u32> {
            let mut slots: Vec<u32> = ids.iter().filter_map(|id| corpus.slot_of(id)).collect();
            slots.sort_unstable();
            slots.dedup();
            slots
        };
        Ok(CompiledFilters {
            categories: ids(&filters.categories, Table::Categories),
            sources: ids(&filters.sources, Table::Sources),
            authors: ids(&filters.authors, Table::Authors),
            from,
            to,
            dated_from: 0,
            only: filters.ids.as_deref().map(slots),
            except: slots(&filters.except_ids),
        })
    }

    /// True when nothing is filtered.
    pub(crate) fn is_empty(&self) -> bool {
        self.categories.is_none() && self.sources.is_none() && self.authors.is_none() && self.from.is_none() && self.to.is_none() && self.only.is_none() && self.except.is_empty()
    }

    /// True when the slot passes the id filters.
    pub(crate) fn keeps_slot(&self, slot: u32) -> bool {
        self.only.as_ref().is_none_or(|only| only.binary_search(&slot).is_ok()) && self.except.binary_search(&slot).is_err()
    }

    /// The date bounds (seconds): `from`, and `to` (inclusive).
    pub(crate) fn date_bounds(&self) -> (Option<i64>, Option<i64>) {
        (self.from, self.to)
    }

    /// True when a category, source or author is filtered.
    pub(crate) fn filters_values(&self) -> bool {
        self.categories.is_some() || self.sources.is_some() || self.authors.is_some()
    }

    /// The same filters with the date bounds checked only from slot `slot` on
    /// (below it, a corpus applies them as a range of slots).
    pub(crate) fn dated_from(self, slot: u32) -> CompiledFilters {
        CompiledFilters { dated_from: slot, ..self }
    }

    /// True when the document in `slot` passes every filter.
    pub(crate) fn accepts(&self, slot: u32, doc: &DocInfo<'_>) -> bool {
        if !self.keeps_slot(slot) {
            return false;
        }
        if let Some(wanted) = &self.categories {
            if !doc.categories.iter().any(|c| wanted.contains(c)) {
                return false;
            }
        }
        if let Some(wanted) = &self.sources {
            if !doc.source.is_some_and(|s| wanted.contains(&s)) {
                return false;
            }
        }
        if let Some(wanted) = &self.authors {
            if !doc.author.is_some_and(|a| wanted.contains(&a)) {
                return false;
            }
        }
        if (self.from.is_some() || self.to.is_some()) && slot >= self.dated_from {
            let Some(date) = doc.date else { return false };
            if self.from.is_some_and(|f| date < f) || self.to.is_some_and(|t| date > t) {
                return false;
            }
        }
        true
    }
}

/// How many documents have one value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount<T> {
    /// The value (a category, a source, a year).
    pub value: T,
    /// Number of documents with it.
    pub count: u32,
}

/// Facet counts over a set of documents. Categories and sources are ordered by
/// count (then value), years newest first; each list holds at most the
/// requested number of values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// Categories.
    pub categories: Vec<FacetCount<String>>,
    /// Sources (the author, else the host of the article's link).
    pub sources: Vec<FacetCount<String>>,
    /// Years of publication (documents without a date are not counted).
    pub years: Vec<FacetCount<i32>>,
}

/// The UTC year of a time in seconds since the Unix epoch.
pub fn year_of(seconds: i64) -> Option<i32> {
    chrono::DateTime::from_timestamp(seconds, 0).map(|d| d.year())
}

/// Counts facets over the documents in `slots` (none when `limit` is 0: nothing is counted).
pub(crate) fn count(corpus: &dyn Corpus, slots: impl Iterator<Item = u32>, limit: usize) -> Facets {
    if limit == 0 {
        return Facets::default();
    }
    let mut categories = vec![0u32; corpus.value_count(Table::Categories)];
    let mut sources = vec![0u32; corpus.value_count(Table::Sources)];
    let mut years: Vec<(i32, u32)> = Vec::new();
    for slot in slots {
        let Some(doc) = corpus.doc(slot) else { continue };
        for &c in doc.categories.iter() {
            if let Some(n) = categories.get_mut(c as usize) {
                *n += 1;
            }
        }
        if let Some(n) = doc.source.and_then(|s| sources.get_mut(s as usize)) {
            *n += 1;
        }
        if let Some(year) = doc.date.and_then(year_of) {
            // Kept newest first as they come.
            match years.binary_search_by(|(y, _)| year.cmp(y)) {
                Ok(i) => years[i].1 += 1,
                Err(i) => years.insert(i, (year, 1)),
            }
        }
    }
    let listed = |counts: Vec<u32>, table: Table| {
        let mut list: Vec<FacetCount<String>> = counts
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(id, &n)| FacetCount { value: corpus.value(table, id as u32).to_owned(), count: n })
            .collect();
        list.sort_unstable_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
        list.truncate(limit);
        list
    };
    years.truncate(limit);
    Facets {
        categories: listed(categories, Table::Categories),
        sources: listed(sources, Table::Sources),
        years: years.into_iter().map(|(value, count)| FacetCount { value, count }).collect(),
    }
}
