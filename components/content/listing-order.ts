/**
 * Reordering a listing's own entry nodes (sort by closeness, and back). An entry's block is the highest ancestor of its
 * anchor that holds no other entry; the nodes before it back to the previous block, except headings, go with it
 * (arXiv's <dt> before each <dd>). Each container keeps its own entries (arXiv's /new sorts new submissions,
 * cross-lists and replacements each in place), and its other nodes (headings, text) stay where they were.
 */
export interface ListingOrder {
  /** `rank[i]` orders entry i (higher first); equal ranks keep the page's order. */
  sort(rank: readonly number[]): void;
  /** The page's own order, exactly as it was. */
  restore(): void;
  /** The page's nodes of entry i (to dim them). */
  nodes(i: number): Element[];
}

export function listingOrder(anchors: readonly Element[]): ListingOrder {
  const counts = new Map<Element, number>();
  for (const anchor of anchors) for (let el: Element | null = anchor; el; el = el.parentElement) counts.set(el, (counts.get(el) ?? 0) + 1);
  const blocks = anchors.map((anchor) => {
    let el = anchor;
    while (el.parentElement && counts.get(el.parentElement) === 1) el = el.parentElement;
    return el;
  });
  const blockIndex = new Map(blocks.map((block, i) => [block, i]));
  const groups: Node[][] = blocks.map((block) => {
    const before: Node[] = [];
    for (let node = block.previousSibling; node && !blockIndex.has(node as Element); node = node.previousSibling) {
      if (node instanceof Element && (/^H[1-6]$/.test(node.tagName) || counts.has(node) || node.hasAttribute('data-margin'))) break;
      if (node instanceof Element) before.unshift(node);
    }
    // Margin's own annotation, when it sits beside the block rather than in it, goes along.
    const after: Node[] = [];
    for (let node = block.nextSibling; node; node = node.nextSibling) {
      if (node instanceof Element) {
        if (!node.hasAttribute('data-margin')) break;
        after.push(node);
      }
    }
    return [...before, block, ...after];
  });
  const containers = new Map<Node, { children: Node[]; entries: number[] }>();
  blocks.forEach((block, i) => {
    const parent = block.parentNode!;
    let c = containers.get(parent);
    if (!c) containers.set(parent, (c = { children: Array.from(parent.childNodes), entries: [] }));
    c.entries.push(i);
  });

  return {
    sort(rank) {
      for (const [parent, { children, entries }] of containers) {
        const sorted = [...entries].sort((a, b) => rank[b]! - rank[a]! || a - b);
        const first = new Map(entries.map((entry, slot) => [groups[entry]![0], slot]));
        const grouped = new Set(entries.flatMap((entry) => groups[entry]!));
        const order: Node[] = [];
        for (const node of children) {
          const slot = first.get(node);
          if (slot !== undefined) order.push(...groups[sorted[slot]!]!);
          else if (!grouped.has(node)) order.push(node);
        }
        (parent as Element).replaceChildren(...order, ...added(parent, children));
      }
    },
    restore() {
      for (const [parent, { children }] of containers) (parent as Element).replaceChildren(...children, ...added(parent, children));
    },
    nodes: (i) => groups[i]!.filter((node): node is Element => node instanceof Element),
  };
}

/** Nodes the page put in a container after it was read: kept (at the end) rather than dropped. */
function added(parent: Node, known: readonly Node[]): Node[] {
  const set = new Set(known);
  return Array.from(parent.childNodes).filter((node) => !set.has(node));
}
