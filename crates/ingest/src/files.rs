//! Article files in, articles out: a batch of files parsed one by one (a file
//! that cannot be read is a failure beside the others), optionally straight
//! into a [`Library`].

use crate::article::{parse_article, ParseOptions};
use lectern_core::library::Library;
use lectern_core::Article;
use serde::{Deserialize, Serialize};

/// An article file to parse: its name (path in the collection), its text, and
/// the URL it was loaded from (the base for relative links).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// File name: the article's id is derived from it.
    pub name: String,
    /// File contents.
    pub text: String,
    /// Where the file was loaded from.
    #[serde(default)]
    pub base: Option<String>,
}

/// A file that could not be read as an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The file name.
    pub name: String,
    /// Why, in words.
    pub error: String,
}

/// Parses one file of a batch: the article, or why it could not be read.
pub fn parse_file(file: InputFile) -> Result<Article, Failure> {
    let options = ParseOptions { base: file.base };
    parse_article(&file.name, file.text.as_bytes(), &options).map_err(|err| Failure { name: file.name, error: err.to_string() })
}

/// What [`add_files`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddReport {
    /// Ids of the articles added or replaced, in input order.
    pub added: Vec<String>,
    /// Files that could not be read as articles.
    pub failures: Vec<Failure>,
}

/// Parses article files and adds them to `library`. A file whose name was
/// added before replaces that article. Files that cannot be read are
/// reported, and the others are still added.
///
/// ```
/// use lectern_ingest::files::{add_files, InputFile};
/// let mut library = lectern_core::library::Library::new();
/// let report = add_files(&mut library, vec![InputFile { name: "a.md".into(), text: "# 東京の夜\n\n夜行バスが出発した。".into(), base: None }]);
/// let results = library.search("夜行バス", &Default::default()).unwrap();
/// assert_eq!(results.hits[0].id, report.added[0]);
/// assert!(library.article(&report.added[0]).unwrap().html.contains("夜行バス"));
/// ```
pub fn add_files(library: &mut Library, files: Vec<InputFile>) -> AddReport {
    let mut report = AddReport::default();
    let mut articles = Vec::with_capacity(files.len());
    for file in files {
        match parse_file(file) {
            Ok(article) => {
                report.added.push(article.id.clone());
                articles.push(article);
            }
            Err(failure) => report.failures.push(failure),
        }
    }
    library.add_articles(articles);
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use lectern_core::search::SearchOptions;

    fn file(name: &str, text: &str) -> InputFile {
        InputFile { name: name.into(), text: text.into(), base: None }
    }

    #[test]
    fn adding_the_same_name_again_replaces_the_article() {
        let mut library = Library::new();
        add_files(&mut library, vec![file("a.md", "# Old\n\nsourdough")]);
        let report = add_files(&mut library, vec![file("a.md", "# New\n\nstarter"), file("bad.md", "  ")]);
        assert_eq!(library.len(), 1);
        assert_eq!(report.failures.len(), 1);
        assert!(report.failures[0].error.contains("empty"), "{:?}", report.failures);
        assert_eq!(library.search("sourdough", &SearchOptions::default()).unwrap().total, 0);
        assert_eq!(library.search("starter", &SearchOptions::default()).unwrap().total, 1);
        assert_eq!(library.article(&report.added[0]).unwrap().title, "New");
    }

    #[test]
    fn a_parsed_article_comes_back_whole_from_a_saved_library() {
        let mut library = Library::new();
        let report = add_files(&mut library, vec![file("a.md", "---\ntitle: Café\ndate: 2021-03-04\n---\n\n<p>Le <b>café</b> du coin</p>")]);
        let loaded = Library::load(&library.save()).unwrap();
        let id = &report.added[0];
        assert_eq!(loaded.article(id), library.article(id));
        assert!(loaded.article(id).unwrap().html.contains("<b>café</b>"));
    }
}
