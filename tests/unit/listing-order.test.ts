// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { listingOrder } from '../../components/content/listing-order';

/** arXiv's /new layout: sections of <dt>/<dd> pairs under a heading, each annotation inside its <dd>. */
function arxivNew(): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = `
    <dl><h3>New submissions</h3>
      <dt>A</dt><dd><div class="meta">a</div></dd>
      <dt>B</dt><dd><div class="meta">b</div></dd>
      <dt>C</dt><dd><div class="meta">c</div></dd>
    </dl>
    <dl><h3>Replacements</h3>
      <dt>D</dt><dd><div class="meta">d</div></dd>
      <dt>E</dt><dd><div class="meta">e</div></dd>
    </dl>`;
  document.body.replaceChildren(root);
  return root;
}
const sequence = (root: Element) => Array.from(root.querySelectorAll('h3, dt, dd'), (el) => el.textContent!.trim());

describe('listingOrder', () => {
  it('sorts each section by rank, moving each <dt> with its <dd>, headings in place; restore is exact', () => {
    const root = arxivNew();
    const before = root.innerHTML;
    const order = listingOrder(Array.from(root.querySelectorAll('.meta')));
    order.sort([0.1, 0.9, 0.5, 0.2, 0.8]);
    expect(sequence(root)).toEqual(['New submissions', 'B', 'b', 'C', 'c', 'A', 'a', 'Replacements', 'E', 'e', 'D', 'd']);
    order.restore();
    expect(root.innerHTML).toBe(before);
  });

  it('keeps the page order among equal ranks, and gives each entry its own nodes', () => {
    const root = arxivNew();
    const order = listingOrder(Array.from(root.querySelectorAll('.meta')));
    order.sort([0, 0, 1, 0, 0]);
    expect(sequence(root).slice(0, 7)).toEqual(['New submissions', 'C', 'c', 'A', 'a', 'B', 'b']);
    expect(order.nodes(3).map((el) => el.tagName)).toEqual(['DT', 'DD']);
  });

  it('search-result style lists (one <li> per entry) sort their items', () => {
    document.body.innerHTML = '<ol><li><p class="t">x</p></li><li><p class="t">y</p></li><li><p class="t">z</p></li></ol>';
    const order = listingOrder(Array.from(document.querySelectorAll('.t')));
    order.sort([1, 3, 2]);
    expect(Array.from(document.querySelectorAll('li'), (li) => li.textContent)).toEqual(['y', 'z', 'x']);
    order.restore();
    expect(Array.from(document.querySelectorAll('li'), (li) => li.textContent)).toEqual(['x', 'y', 'z']);
  });
});
