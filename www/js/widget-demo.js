// The widget demo's own script: lists the events the page receives from its
// <lectern-reader> elements, and turns the hostile style sheet on and off.
const log = document.getElementById('event-log');

for (const type of ['lectern-load', 'lectern-open', 'lectern-search', 'lectern-error']) {
  document.addEventListener(type, (event) => {
    const { detail } = event;
    const about = type === 'lectern-open' ? detail.title
      : type === 'lectern-search' ? `“${detail.query}”: ${detail.total}`
        : type === 'lectern-load' ? `${detail.count} articles`
          : detail.message;
    const item = document.createElement('li');
    item.textContent = `#${event.target.id} ${type}: ${about}`;
    log.prepend(item);
  });
}

const toggle = document.getElementById('hostile-toggle');
const hostile = document.getElementById('hostile-stylesheet');
toggle.addEventListener('change', () => {
  hostile.disabled = !toggle.checked;
});
