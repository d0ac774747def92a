//! The limits Lectern enforces on its input, in one place, so the README, the
//! error messages and the code agree. Input over a limit gives a clear error or
//! a bounded result with a warning, never a hang, a crash or unbounded memory.

/// Largest article file accepted, in bytes (8 MiB). Real posts are a few KB;
/// a whole saved web page is rarely over 2 MB.
pub const MAX_ARTICLE_BYTES: usize = 8 * 1024 * 1024;

/// Largest front matter block, in bytes (64 KiB). A larger block is read as body.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// Deepest nesting of YAML/TOML/JSON values accepted in front matter.
pub const MAX_FRONT_MATTER_DEPTH: usize = 32;

/// Most values a front matter block may hold once YAML aliases are expanded:
/// this stops "billion laughs" alias bombs.
pub const MAX_FRONT_MATTER_VALUES: usize = 10_000;

/// Deepest element nesting kept in sanitised HTML. Deeper elements are
/// unwrapped (their text is kept). Browsers stop nesting at 512, so output
/// deeper than that would re-parse differently.
pub const MAX_HTML_DEPTH: usize = 256;

/// Deepest element nesting given to the HTML parser: deeper start tags are
/// dropped before parsing (their text is kept). Without it, 100,000 nested
/// elements take the parser seconds (it searches the stack of open elements
/// for each start tag).
pub const MAX_PARSE_DEPTH: usize = 2 * MAX_HTML_DEPTH;

/// Most formatting elements (`b`, `i`, `font`, ...) the HTML parser may
/// re-create for one article because they were left open across blocks.
/// Beyond it they are closed explicitly: otherwise a few hundred unclosed
/// formatting elements followed by many short paragraphs make a tree that is
/// thousands of times the size of the input.
pub const MAX_FORMATTING_RECONSTRUCTIONS: usize = 100_000;

/// Most attributes read on one element; the rest are dropped before parsing
/// (the parser's check for duplicate names is quadratic).
pub const MAX_ATTRIBUTES_PER_ELEMENT: usize = 64;

/// Most headings kept in an article's outline.
pub const MAX_OUTLINE_HEADINGS: usize = 200;

/// Length of a generated excerpt, in characters.
pub const EXCERPT_CHARS: usize = 200;

/// Most articles accepted in one batch call.
pub const MAX_BATCH_ARTICLES: usize = 200_000;

/// Most elements a web page may have to be saved as an article (a long
/// Wikipedia article has about 30,000).
pub const MAX_PAGE_ELEMENTS: usize = 200_000;
