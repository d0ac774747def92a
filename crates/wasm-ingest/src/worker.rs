//! The ingest module inside a dedicated Web Worker. `www/js/ingest-worker.js`
//! loads the module and calls [`run_worker`]; from then on every message is a
//! request and every answer a message back (`www/js/ingest.js` is the other
//! side):
//!
//! | request | replies |
//! |---|---|
//! | `{ type: 'parse', id, files: [{ name, text, base? }] }` | `{ type: 'parsed', id, items, done, total, last }`, as many as it takes: `items` are articles or `{ name, error }`, in file order; the last has `last: true` |
//! | `{ type: 'extract', id, html, url }` | `{ type: 'extracted', id, article }` |
//! | `{ type: 'sanitize', id, html }` | `{ type: 'sanitized', id, html }` |
//!
//! A request that cannot be done is answered `{ type: 'failed', id, error }`.
//! When the worker starts it says `{ type: 'ready', version }`. Parsed
//! articles go back in small chunks, so the page can add them to its list and
//! paint between chunks instead of waiting for the whole batch.

use crate::{parse_batch, Parsed};
use lectern_ingest::files::InputFile;
use lectern_ingest::Article;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Articles per `parsed` reply, at most.
const CHUNK_ARTICLES: usize = 16;
/// Bytes of article HTML and text per `parsed` reply before it is sent early.
const CHUNK_BYTES: usize = 1024 * 1024;

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
enum Request {
    Parse { id: u32, files: Vec<InputFile> },
    Extract { id: u32, html: String, url: String },
    Sanitize { id: u32, html: String },
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
enum Reply {
    Ready { version: &'static str },
    Parsed { id: u32, items: Vec<Parsed>, done: usize, total: usize, last: bool },
    Extracted { id: u32, article: Box<Article> },
    Sanitized { id: u32, html: String },
    Failed { id: Option<u32>, error: String },
}

/// Serves requests in this worker until it is terminated. Throws when it is
/// not called inside a dedicated worker.
#[wasm_bindgen(js_name = runWorker)]
pub fn run_worker() -> Result<(), JsError> {
    let scope: DedicatedWorkerGlobalScope = js_sys::global()
        .dyn_into()
        .map_err(|_| JsError::new("runWorker: not inside a dedicated Web Worker"))?;
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        handle(&replies, event.data());
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&scope, &Reply::Ready { version: env!("CARGO_PKG_VERSION") });
    Ok(())
}

fn handle(scope: &DedicatedWorkerGlobalScope, data: JsValue) {
    let request: Request = match serde_wasm_bindgen::from_value(data.clone()) {
        Ok(request) => request,
        Err(err) => {
            let id = js_sys::Reflect::get(&data, &"id".into()).ok().and_then(|v| v.as_f64()).map(|v| v as u32);
            post(scope, &Reply::Failed { id, error: format!("not a request the ingest worker knows: {err}") });
            return;
        }
    };
    match request {
        Request::Parse { id, files } => parse(scope, id, files),
        Request::Extract { id, html, url } => {
            let reply = match lectern_ingest::extract_article(&html, &url) {
                Ok(article) => Reply::Extracted { id, article: Box::new(article) },
                Err(err) => Reply::Failed { id: Some(id), error: err.to_string() },
            };
            post(scope, &reply);
        }
        Request::Sanitize { id, html } => post(scope, &Reply::Sanitized { id, html: lectern_ingest::sanitize(&html) }),
    }
}

/// Parses the files of one request, replying in chunks.
fn parse(scope: &DedicatedWorkerGlobalScope, id: u32, files: Vec<InputFile>) {
    let total = files.len();
    let mut items = Vec::with_capacity(CHUNK_ARTICLES);
    let mut bytes = 0usize;
    let mut done = 0usize;
    let mut sent_last = false;
    for item in parse_batch(files) {
        if let Parsed::Article(article) = &item {
            bytes += article.html.len() + article.text.len();
        }
        items.push(item);
        done += 1;
        if items.len() >= CHUNK_ARTICLES || bytes >= CHUNK_BYTES {
            let chunk = std::mem::replace(&mut items, Vec::with_capacity(CHUNK_ARTICLES));
            sent_last = done == total;
            post(scope, &Reply::Parsed { id, items: chunk, done, total, last: sent_last });
            bytes = 0;
        }
    }
    if !sent_last {
        post(scope, &Reply::Parsed { id, items, done, total, last: true });
    }
}

fn post(scope: &DedicatedWorkerGlobalScope, reply: &Reply) {
    let message = match reply.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
        Ok(message) => message,
        Err(err) => {
            let id = match reply {
                Reply::Parsed { id, .. } | Reply::Extracted { id, .. } | Reply::Sanitized { id, .. } => Some(*id),
                Reply::Failed { id, .. } => *id,
                Reply::Ready { .. } => None,
            };
            let error = format!("the ingest worker could not convert its answer: {err}");
            match serde_wasm_bindgen::to_value(&Reply::Failed { id, error }) {
                Ok(message) => message,
                Err(_) => return,
            }
        }
    };
    if let Err(err) = scope.post_message(&message) {
        web_sys::console::error_2(&"the ingest worker could not post its answer".into(), &err);
    }
}
