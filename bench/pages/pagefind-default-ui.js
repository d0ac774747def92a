// Sets up Pagefind's default UI (pagefind-ui.css, pagefind-ui.js and
// `new PagefindUI({ element: '#search' })`) from the bundle at ?bundle=, as a
// site's page does with two tags and a line of script. `window.benchUiReady`
// resolves once the UI is drawn (its search box is there).
const bundle = new URL(location.href).searchParams.get('bundle');
if (!bundle || !bundle.endsWith('/pagefind/')) throw new Error('pagefind-default-ui.html needs ?bundle=/…/pagefind/');

function load(tag, attributes) {
  return new Promise((resolve, reject) => {
    const element = Object.assign(document.createElement(tag), attributes);
    element.addEventListener('load', resolve);
    element.addEventListener('error', () => reject(new Error(`could not load ${attributes.href ?? attributes.src}`)));
    document.head.append(element);
  });
}

window.benchUiReady = (async () => {
  await Promise.all([
    load('link', { rel: 'stylesheet', href: `${bundle}pagefind-ui.css` }),
    load('script', { src: `${bundle}pagefind-ui.js` }),
  ]);
  // eslint-disable-next-line no-undef
  new PagefindUI({ element: '#search', bundlePath: bundle, showSubResults: false });
  while (!document.querySelector('#search input')) await new Promise((resolve) => requestAnimationFrame(resolve));
  return true;
})();
