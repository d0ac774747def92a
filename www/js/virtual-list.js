// A list that renders only the rows on screen (plus a few), so ten thousand
// articles scroll as smoothly as ten. Rows have one fixed height, read from
// the CSS; the list scrolls with the page.

const OVERSCAN = 6;

export class VirtualList {
  #list;
  #renderRow;
  #count = 0;
  #rowHeight = 0;
  #rows = new Map();
  #frame = 0;
  #onScroll = () => this.#schedule();

  /**
   * @param {HTMLOListElement} list the container; its rows are absolutely placed
   * @param {(index: number, row: HTMLLIElement|undefined) => HTMLLIElement} renderRow
   *        builds (or refreshes, when given) the row for an index
   */
  constructor(list, renderRow) {
    this.#list = list;
    this.#renderRow = renderRow;
    window.addEventListener('scroll', this.#onScroll, { passive: true });
    window.addEventListener('resize', () => {
      this.#rowHeight = 0;
      this.render(true);
    });
  }

  /** Height of one row in pixels (from the CSS variable --row-height). */
  get rowHeight() {
    if (!this.#rowHeight) {
      const probe = document.createElement('li');
      probe.className = 'item probe';
      this.#list.append(probe);
      this.#rowHeight = probe.getBoundingClientRect().height || 120;
      probe.remove();
    }
    return this.#rowHeight;
  }

  /** Sets the number of rows and redraws everything visible. */
  setCount(count) {
    this.#count = count;
    this.#list.style.height = `${count * this.rowHeight}px`;
    this.render(true);
  }

  get count() {
    return this.#count;
  }

  #schedule() {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.render(false);
    });
  }

  /** The index range [first, last) on screen, with overscan. */
  visibleRange() {
    if (this.#list.offsetParent === null) return [0, 0];
    const height = this.rowHeight;
    const top = this.#list.getBoundingClientRect().top;
    const first = Math.max(0, Math.floor(-top / height) - OVERSCAN);
    const last = Math.min(this.#count, Math.ceil((window.innerHeight - top) / height) + OVERSCAN);
    return [first, Math.max(first, last)];
  }

  /** Draws the visible rows; `refresh` rebuilds rows already drawn too. */
  render(refresh) {
    const [first, last] = this.visibleRange();
    for (const [index, row] of this.#rows) {
      if (index < first || index >= last || index >= this.#count) {
        row.remove();
        this.#rows.delete(index);
      }
    }
    const height = this.rowHeight;
    for (let index = first; index < last; index++) {
      const existing = this.#rows.get(index);
      if (existing && !refresh) continue;
      const row = this.#renderRow(index, existing);
      row.style.transform = `translateY(${index * height}px)`;
      row.setAttribute('aria-posinset', String(index + 1));
      row.setAttribute('aria-setsize', String(this.#count));
      if (row !== existing) {
        existing?.remove();
        this.#list.append(row);
        this.#rows.set(index, row);
      }
    }
  }

  /** The drawn row for an index, if on screen. */
  row(index) {
    return this.#rows.get(index);
  }

  /** Scrolls so that row `index` is fully visible (below the sticky bar). */
  scrollIntoView(index, topOffset = 0) {
    const height = this.rowHeight;
    const listTop = this.#list.getBoundingClientRect().top + window.scrollY;
    const rowTop = listTop + index * height;
    const viewTop = window.scrollY + topOffset;
    const viewBottom = window.scrollY + window.innerHeight;
    if (rowTop < viewTop) window.scrollTo(0, rowTop - topOffset);
    else if (rowTop + height > viewBottom) window.scrollTo(0, rowTop + height - window.innerHeight);
    this.render(false);
  }
}
