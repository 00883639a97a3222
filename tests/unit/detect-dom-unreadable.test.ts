import { describe, expect, it, test } from 'vitest';
import { extractListingEntries, extractPaper } from '../../lib/detect/extract';
import { page, parse, raw } from '../helpers/dom';

describe('unreadable pages give null or [] and never throw', () => {
  const singles: [string, string][] = [
    ['https://arxiv.org/abs/2401.04088', 'arxiv-abs'],
    ['https://arxiv.org/html/2407.16314v1', 'arxiv-html'],
    ['https://huggingface.co/papers/2401.04088', 'hf-paper'],
    ['https://arxiv.org/pdf/2401.04088', 'arxiv-pdf'],
  ];
  const lists = [
    'https://arxiv.org/list/cs.LG/new',
    'https://arxiv.org/search/?query=x',
    'https://huggingface.co/papers',
  ];
  const garbage = [
    '',
    '<html></html>',
    '<html><body>\u0000\u0001 garbage <<<>>> &&& <dl><dt><a title="Abstract" href="/abs/nope">x</a></dt><dd></dd></dl></body></html>',
    '<html><body><h1 class="title mathjax"><span class="descriptor">Title:</span>   </h1><blockquote class="abstract">text</blockquote></body></html>',
    '<html><head><title>Article identifier not recognized</title></head><body><h1>Article identifier \'2401.99999\' not recognized</h1></body></html>'.replace(
      '<title>Article identifier not recognized</title>',
      '',
    ),
  ];

  test.each(singles)('%s', (url) => {
    for (const html of garbage) {
      expect(() => extractPaper(parse(html), page(url))).not.toThrow();
      expect(extractPaper(parse(html), page(url)), `${url} with ${JSON.stringify(html.slice(0, 60))}`).toBeNull();
    }
  });

  test.each(lists)('%s', (url) => {
    for (const html of garbage) {
      expect(extractListingEntries(parse(html), page(url))).toEqual([]);
    }
  });

  it('an abs page whose title is missing is unreadable, even with authors and abstract', () => {
    const doc = parse(raw('arxiv-abs-nometa-hep-th-9711200.html'));
    doc.querySelector('h1.title')?.remove();
    doc.querySelector('head > title')?.remove();
    expect(extractPaper(doc, page('https://arxiv.org/abs/hep-th/9711200'))).toBeNull();
  });

  it('a document that throws on access gives null / []', () => {
    const hostile = new Proxy({} as Document, {
      get() {
        throw new Error('boom');
      },
    });
    expect(extractPaper(hostile, page('https://arxiv.org/abs/2401.04088'))).toBeNull();
    expect(extractListingEntries(hostile, page('https://arxiv.org/list/cs.LG/new'))).toEqual([]);
  });

  it('single-paper and listing readers do not answer for each other', () => {
    const listing = parse(raw('arxiv-list-cs-lg-new.html'));
    expect(extractPaper(listing, page('https://arxiv.org/list/cs.LG/new'))).toBeNull();
    expect(extractListingEntries(parse(raw('arxiv-abs-2023.html')), page('https://arxiv.org/abs/2401.04088'))).toEqual([]);
  });
});
