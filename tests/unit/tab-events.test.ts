import { describe, expect, it } from 'vitest';
import { createTabListener, readTabEvent, RpcError } from '../../lib/messaging/call';
import { TabEvent } from '../../lib/messaging/protocol';
import { createTabClient } from '../../lib/messaging/rpc';
import type { PagePaper } from '../../lib/schema';

const paper: PagePaper = {
  arxivId: '2401.04088',
  title: 'Mixtral of Experts',
  abstract: 'A sparse mixture of experts.',
  authors: ['Albert Q. Jiang'],
  categories: ['cs.LG'],
  published: '2024-01-08',
  version: 1,
};

describe('tab events: what the content script accepts is what the contract says', () => {
  const messages: unknown[] = [
    { margin: 1, event: 'getPaper' },
    { margin: 1, event: 'toggleSave', extra: 'dropped' },
    { margin: 1, event: 'savedChanged', changes: [{ paperId: '2401.04088', saved: true }] },
    { margin: 1, event: 'savedChanged', changes: [] },
    { margin: 1, event: 'savedChanged', changes: [{ paperId: 5, saved: true }] },
    { margin: 1, event: 'savedChanged', changes: [{ paperId: 'x', saved: 'yes' }] },
    { margin: 1, event: 'savedChanged', changes: 'all' },
    { margin: 1, event: 'savedChanged' },
    { margin: 2, event: 'getPaper' },
    { event: 'getPaper' },
    { margin: 1, event: 'deleteEverything' },
    { margin: 1, name: 'stats', data: {} },
    null,
    'getPaper',
    [],
  ];
  it.each(messages.map((message) => [JSON.stringify(message), message]))('%s', (_, message) => {
    const parsed = TabEvent.safeParse(message);
    expect(readTabEvent(message)).toEqual(parsed.success ? parsed.data : null);
  });
});

describe('asking a tab (popup and background), with the content script answering', () => {
  function tabAnswering(reply: unknown) {
    const sent: unknown[] = [];
    const ask = createTabClient(async (tabId, message) => {
      sent.push({ tabId, message });
      return reply;
    });
    return { ask, sent };
  }

  it('sends the event in the contract and returns the parsed reply', async () => {
    const { ask, sent } = tabAnswering(paper);
    await expect(ask(7, 'getPaper')).resolves.toEqual(paper);
    expect(sent).toEqual([{ tabId: 7, message: { margin: 1, event: 'getPaper' } }]);
    await expect(tabAnswering(null).ask(7, 'getPaper')).resolves.toBeNull();
  });

  it('rejects a malformed reply with what is wrong with it, instead of passing it on', async () => {
    await expect(tabAnswering({ ...paper, title: '   ' }).ask(7, 'getPaper')).rejects.toThrow(new RpcError('Unexpected "getPaper" reply from the tab: title: must not be empty'));
    await expect(tabAnswering({ title: 42 }).ask(7, 'getPaper')).rejects.toThrow(/^Unexpected "getPaper" reply from the tab: /);
    await expect(tabAnswering('yes').ask(7, 'toggleSave')).rejects.toBeInstanceOf(RpcError);
    // No answer at all (a content script of an older Margin): not "handled".
    await expect(tabAnswering(undefined).ask(7, 'toggleSave')).rejects.toBeInstanceOf(RpcError);
  });

  it('says so when the tab has no Margin to answer', async () => {
    const ask = createTabClient(() => Promise.reject(new Error('Could not establish connection. Receiving end does not exist.')));
    await expect(ask(7, 'getPaper')).rejects.toThrow(new RpcError('Margin is not running in this tab.'));
  });

  it('a content script listener answers each event through the contract, and ignores what is not one', async () => {
    const heard: unknown[] = [];
    const listener = createTabListener({
      getPaper: () => paper,
      toggleSave: () => true,
      savedChanged: ({ changes }) => void heard.push(...changes),
    });
    const ask = createTabClient(
      (_tabId, message) =>
        new Promise((resolve, reject) => {
          listener(message, resolve);
          setTimeout(() => reject(new Error('no reply')), 0);
        }),
    );
    await expect(ask(1, 'getPaper')).resolves.toEqual(paper);
    await expect(ask(1, 'toggleSave')).resolves.toBe(true);

    const replies: unknown[] = [];
    for (const message of [{ margin: 1, event: 'savedChanged', changes: [{ paperId: 'a', saved: false }] }, { margin: 1, event: 'savedChanged', changes: 'a' }, { margin: 1, name: 'stats', data: {} }]) {
      expect(listener(message, (reply) => replies.push(reply))).toBe(false);
    }
    expect(heard).toEqual([{ paperId: 'a', saved: false }]);
    expect(replies).toEqual([]);
  });
});
