//! Where the sanitiser's time goes, natively: the throughput of each stage on
//! the same inputs, from html5ever's tokenizer alone up to `lectern_ingest::sanitize`.
//! The bench's sanitiser note cites its output.
//!
//! ```sh
//! cargo run --release --example profile_sanitize -- INPUT.json [ROUNDS] [STAGE]
//! ```
//!
//! `INPUT.json` is a JSON array of HTML strings (as `lectern sanitize --json` reads).
//! `STAGE` runs only the stages whose label contains it: with one round, under
//! `valgrind --tool=cachegrind --cache-sim=no`, it gives instruction counts that
//! other work on the machine does not disturb.

use ammonia::rcdom::RcDom;
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::{BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{local_name, ns, parse_fragment, Attribute, ExpandedName, ParseOpts, QualName};
use std::borrow::Cow;
use std::hint::black_box;
use std::rc::Rc;
use std::time::Instant;

/// Counts tokens, keeps nothing.
struct CountTokens(std::cell::Cell<usize>);

impl TokenSink for CountTokens {
    type Handle = ();
    fn process_token(&self, _token: Token, _line: u64) -> TokenSinkResult<()> {
        self.0.set(self.0.get() + 1);
        TokenSinkResult::Continue
    }
}

/// A tree builder sink that keeps element names only: the cost of html5ever's
/// tree construction without building a DOM.
#[derive(Default)]
struct NamesOnly {
    created: std::cell::Cell<usize>,
}

type Name = Rc<QualName>;

impl TreeSink for NamesOnly {
    type Handle = Name;
    type Output = usize;
    type ElemName<'a> = ExpandedName<'a>;
    fn finish(self) -> usize {
        self.created.get()
    }
    fn parse_error(&self, _msg: Cow<'static, str>) {}
    fn get_document(&self) -> Name {
        Rc::new(QualName::new(None, ns!(), local_name!("")))
    }
    fn elem_name<'a>(&'a self, target: &'a Name) -> ExpandedName<'a> {
        target.expanded()
    }
    fn create_element(&self, name: QualName, _attrs: Vec<Attribute>, _flags: ElementFlags) -> Name {
        self.created.set(self.created.get() + 1);
        Rc::new(name)
    }
    fn create_comment(&self, _text: StrTendril) -> Name {
        self.get_document()
    }
    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Name {
        self.get_document()
    }
    fn append(&self, _parent: &Name, _child: NodeOrText<Name>) {}
    fn append_based_on_parent_node(&self, _element: &Name, _prev: &Name, _child: NodeOrText<Name>) {}
    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}
    fn get_template_contents(&self, target: &Name) -> Name {
        target.clone()
    }
    fn same_node(&self, x: &Name, y: &Name) -> bool {
        Rc::ptr_eq(x, y)
    }
    fn set_quirks_mode(&self, _mode: QuirksMode) {}
    fn append_before_sibling(&self, _sibling: &Name, _new: NodeOrText<Name>) {}
    fn add_attrs_if_missing(&self, _target: &Name, _attrs: Vec<Attribute>) {}
    fn remove_from_parent(&self, _target: &Name) {}
    fn reparent_children(&self, _node: &Name, _new_parent: &Name) {}
}

fn div() -> QualName {
    QualName::new(None, ns!(html), local_name!("div"))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: profile_sanitize INPUT.json [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let only = args.next();
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    let items: Vec<String> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: not a JSON array of strings: {e}"));
    let bytes: usize = items.iter().map(String::len).sum();
    println!("{} documents, {:.2} MB, best of {rounds} rounds", items.len(), bytes as f64 / 1e6);

    let stage = |label: &str, run: &dyn Fn(&str) -> usize| {
        if only.as_deref().is_some_and(|only| !label.contains(only)) {
            return;
        }
        let mut best = f64::INFINITY;
        for _ in 0..rounds {
            let started = Instant::now();
            for html in &items {
                black_box(run(html));
            }
            best = best.min(started.elapsed().as_secs_f64());
        }
        println!("{label:<52} {:>8.1} MB/s  {:>8.2} ms", bytes as f64 / 1e6 / best, best * 1000.0);
    };

    stage("html5ever tokenizer alone", &|html| {
        let tokenizer = Tokenizer::new(CountTokens(Default::default()), Default::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(html));
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        tokenizer.sink.0.get()
    });
    stage("html5ever tokenizer + tree builder (no DOM)", &|html| {
        parse_fragment(NamesOnly::default(), ParseOpts::default(), div(), vec![], false).one(html)
    });
    stage("html5ever parse into RcDom (ammonia's DOM)", &|html| {
        let dom = parse_fragment(RcDom::default(), ParseOpts::default(), div(), vec![], false).one(html);
        let children = dom.document.children.borrow().len();
        children
    });
    stage("ammonia clean with Lectern's policy (no serialise)", &|html| {
        let document = lectern_ingest::sanitize::policy::BUILDER.clean(html);
        let children = document.to_dom_node().children.borrow().len();
        children
    });
    stage("ammonia clean + serialise (ammonia alone)", &|html| lectern_ingest::sanitize::policy::BUILDER.clean(html).to_string().len());
    stage("lectern_ingest::sanitize (WASM's sanitize)", &|html| lectern_ingest::sanitize(html).len());
    stage("lectern_ingest::sanitize_document (+ text, outline)", &|html| lectern_ingest::sanitize_document(html, None).html.len());
}
