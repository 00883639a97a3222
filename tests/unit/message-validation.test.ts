import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { protocol, type MessageName } from '../../lib/messaging/protocol';
import { createDispatcher, type Handlers } from '../../lib/messaging/rpc';
import { bundledCorpus } from '../helpers/corpus';
import { hostilePage } from '../helpers/factories';
import { useBackground } from '../helpers/service';

/**
 * Every message into the background is parsed against the contract before a handler sees it, and every reply before
 * it leaves: malformed, hostile or oversized messages get an error reply and change nothing.
 */

const corpus = bundledCorpus();
let clock = 1_700_000_000_000;
// The background installs the corpus when its worker starts (entrypoints/background.ts).
const bg = useBackground({ prefix: 'margin-messages', install: true, now: () => ++clock });
const send = (name: string, data: unknown) => bg.send(name, data);
const exportedList = () => bg.exportedList();
const dispatch = (message: unknown) => bg.dispatch(message);

describe('messages into the background are validated', () => {
  const malformed: Array<[string, unknown]> = [
    ['undefined', undefined],
    ['null', null],
    ['a string', 'setSaved'],
    ['a number', 42],
    ['an array', [1, 'setSaved', {}]],
    ['an empty object', {}],
    ['the wrong protocol version', { margin: 2, name: 'stats', data: {} }],
    ['a name that is not a string', { margin: 1, name: 7, data: {} }],
    ['an unknown name', { margin: 1, name: 'dropDatabase', data: {} }],
    ['an inherited property name', { margin: 1, name: 'constructor', data: {} }],
    ['__proto__', JSON.parse('{"margin":1,"name":"__proto__","data":{}}')],
    ['toString', { margin: 1, name: 'toString', data: {} }],
    ['hasOwnProperty', { margin: 1, name: 'hasOwnProperty', data: {} }],
    ['an over-long name', { margin: 1, name: 'x'.repeat(5000), data: {} }],
    ['setSaved without data', { margin: 1, name: 'setSaved' }],
    ['setSaved with saved as a string', { margin: 1, name: 'setSaved', data: { paperId: '2401.04088', saved: 'yes' } }],
    ['setSaved with a 10 KB id', { margin: 1, name: 'setSaved', data: { paperId: 'x'.repeat(10_000), saved: true } }],
    ['setSaved with a javascript: arXiv id', { margin: 1, name: 'setSaved', data: { page: { ...hostilePage(0, 'x'), arxivId: 'javascript:alert(1)' }, saved: true } }],
    ['setSaved with a blank title', { margin: 1, name: 'setSaved', data: { page: { ...hostilePage(0, 'x'), title: ' \n\t ' }, saved: true } }],
    ['updateEntry with a 200 KB note', { margin: 1, name: 'updateEntry', data: { paperId: '2401.04088', notes: 'n'.repeat(200_000) } }],
    ['updateEntry with an unknown status', { margin: 1, name: 'updateEntry', data: { paperId: '2401.04088', status: 'burned' } }],
    ['restoreEntry with a forged entry', { margin: 1, name: 'restoreEntry', data: { paperId: 'x', title: '<script>', addedAt: -1 } }],
    ['importEntries with entries as an object', { margin: 1, name: 'importEntries', data: { entries: { 0: {} } } }],
    ['listingView with 2001 entries', { margin: 1, name: 'listingView', data: { entries: Array.from({ length: 2001 }, (_, i) => ({ key: String(i), paper: hostilePage(i, 'x') })) } }],
    ['search with a 1 MB query', { margin: 1, name: 'search', data: { query: 'q'.repeat(1_000_000) } }],
    ['paperView with limit 10^9', { margin: 1, name: 'paperView', data: { arxivId: '2401.04088', limit: 1e9 } }],
    ['prototype pollution in data', JSON.parse('{"margin":1,"name":"settings","data":{"__proto__":{"polluted":true},"learnFromBrowsing":"no"}}')],
  ];

  it.each(malformed)('rejects %s with an error reply and writes nothing', async (_label, message) => {
    const handlers = Object.fromEntries(Object.keys(protocol).map((name) => [name, vi.fn(async () => ({}))])) as unknown as Handlers;
    const guarded = createDispatcher(handlers);
    const reply = await guarded(message);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error).toMatch(/^(Not a Margin message\.|Unknown message "|Invalid ")/);
      expect(reply.error.length).toBeLessThan(400);
    }
    for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a barrage of malformed messages against the real service changes nothing and the service keeps answering', async () => {
    await send('setSaved', { paperId: corpus.papers[0]!.id, saved: true });
    const before = await exportedList();
    const replies = await Promise.all(malformed.map(([, message]) => dispatch(message)));
    expect(replies.every((reply) => reply.ok === false)).toBe(true);
    expect(await exportedList()).toBe(before);
    const stats = await send('stats', {});
    expect(stats).toMatchObject({ ok: true, data: { papers: 318, saved: 1 } });
  });

  it('a handler that throws anything (even null or a string) becomes an error reply, never a rejection', async () => {
    const throwing = [null, undefined, 'boom', 42, new Error(''), { name: 'Weird' }];
    for (const thrown of throwing) {
      const guarded = createDispatcher({ stats: async () => Promise.reject(thrown) } as unknown as Handlers);
      await expect(guarded({ margin: 1, name: 'stats', data: {} })).resolves.toEqual({ ok: false, error: expect.any(String) });
    }
  });

  it('a reply that does not match the contract is refused instead of reaching a page', async () => {
    const guarded = createDispatcher({ setSaved: async () => ({ saved: 'maybe', paperId: 1 }) } as unknown as Handlers);
    const reply = await guarded({ margin: 1, name: 'setSaved', data: { paperId: 'a', saved: true } });
    expect(reply).toEqual({ ok: false, error: expect.stringMatching(/invalid "setSaved" reply/) });
  });

  it('every message of the protocol has a handler in the service', () => {
    expect(Object.keys(bg.service.handlers()).sort()).toEqual((Object.keys(protocol) as MessageName[]).sort());
  });
});
