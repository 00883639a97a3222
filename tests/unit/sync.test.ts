import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodePage, pageText } from '../../lib/sync/codec';
import { NOTES_CONFLICT_MARKER } from '../../lib/sync/record';
import { SYNC_LIMITS } from '../../lib/sync/plan';
import { syntheticEntries } from '../../scripts/sync-capacity';
import { mulberry32 } from '../../lib/util/random';
import { World, visible } from './sync-helpers';

let world: World;
beforeEach(() => {
  world = new World();
});
afterEach(async () => {
  await world.dispose();
});

const MINUTE = 60_000;

describe('sync between two browsers', () => {
  it('a save, a status, a note and a removal made in one browser reach the other', async () => {
    const [work, home] = [world.browser('work'), world.browser('home')];
    await work.save('2401.04088', { title: 'Mixtral of Experts' });
    await work.save('t:abc', { title: 'A paper without an arXiv id', arxivId: null });
    await world.settle();
    expect((await home.list()).map(visible)).toEqual((await work.list()).map(visible));
    expect((await home.entry('2401.04088'))?.title).toBe('Mixtral of Experts');
    expect(home.applied).toEqual(expect.arrayContaining([{ paperId: '2401.04088', saved: true }]));

    world.advance(MINUTE);
    await work.edit('2401.04088', { status: 'reading', notes: 'Read section 3 on routing.' });
    await world.settle();
    expect(visible(await home.entry('2401.04088'))).toMatchObject({ status: 'reading', notes: 'Read section 3 on routing.' });

    world.advance(MINUTE);
    await home.remove('t:abc');
    await world.settle();
    expect(await work.entry('t:abc')).toBeUndefined();
    expect(work.applied).toContainEqual({ paperId: 't:abc', saved: false });
    expect((await work.list()).map((e) => e.paperId)).toEqual(['2401.04088']);
  });

  it('concurrent edits of the same entry: per field, the later edit wins, and both browsers agree', async () => {
    const [a, b] = [world.browser('a'), world.browser('b')];
    await a.save('2401.00001');
    await a.save('2401.00002');
    await world.settle();
    a.area.online = false;
    world.advance(MINUTE);
    await a.edit('2401.00001', { status: 'reading' });
    await a.edit('2401.00002', { status: 'done' });
    world.advance(MINUTE);
    await b.edit('2401.00001', { status: 'done' });
    await b.edit('2401.00002', { notes: 'Only b wrote a note here.' });
    await a.sync();
    await b.sync();
    a.area.online = true;
    await world.settle();
    for (const browser of [a, b]) {
      expect(visible(await browser.entry('2401.00001')), browser.name).toMatchObject({ status: 'done' });
      // Different fields edited on each side: both edits survive.
      expect(visible(await browser.entry('2401.00002')), browser.name).toMatchObject({ status: 'done', notes: 'Only b wrote a note here.' });
    }
    expect((await a.list()).map(visible)).toEqual((await b.list()).map(visible));
  });

  it('remove versus edit: the later one wins, and a removal never takes a note it had not seen', async () => {
    const [a, b] = [world.browser('a'), world.browser('b')];
    for (const id of ['2401.00001', '2401.00002', '2401.00003']) await a.save(id);
    await world.settle();
    b.area.online = false;
    // 1: edited on b, then removed on a later → removed.  2: removed on a, then edited on b later → kept.
    // 3: a note written on b, then removed on a (which never saw the note) → kept, note and all.
    world.advance(MINUTE);
    await b.edit('2401.00001', { status: 'reading' });
    await b.edit('2401.00003', { notes: 'Key insight: the router is learned.' });
    world.advance(MINUTE);
    await a.remove('2401.00001');
    await a.remove('2401.00002');
    await a.remove('2401.00003');
    await a.sync();
    world.advance(MINUTE);
    await b.edit('2401.00002', { status: 'done' });
    await a.sync();
    await b.sync();
    b.area.online = true;
    await world.settle();
    for (const browser of [a, b]) {
      expect(await browser.entry('2401.00001'), browser.name).toBeUndefined();
      expect(visible(await browser.entry('2401.00002')), browser.name).toMatchObject({ status: 'done' });
      expect(visible(await browser.entry('2401.00003')), browser.name).toMatchObject({ notes: 'Key insight: the router is learned.' });
    }
    // A removal made after the note was seen does remove it.
    world.advance(MINUTE);
    await a.remove('2401.00003');
    await world.settle();
    expect(await b.entry('2401.00003')).toBeUndefined();
  });

  it('a note edited on both sides keeps both texts (the later first); later edits of it sync without duplicates', async () => {
    const [a, b] = [world.browser('a'), world.browser('b')];
    await a.save('2401.00001', { notes: 'Shared start.' });
    await world.settle();
    a.area.online = false;
    world.advance(MINUTE);
    await a.edit('2401.00001', { notes: 'Shared start. Written on the laptop.' });
    world.advance(MINUTE);
    await b.edit('2401.00001', { notes: 'Shared start. Written on the desktop.' });
    await a.sync();
    await b.sync();
    a.area.online = true;
    await world.settle();
    const merged = 'Shared start. Written on the desktop.' + NOTES_CONFLICT_MARKER + 'Shared start. Written on the laptop.';
    expect((await a.entry('2401.00001'))?.notes).toBe(merged);
    expect((await b.entry('2401.00001'))?.notes).toBe(merged);

    // Editing the merged note (tidying it up) is an ordinary later edit: it replaces the note everywhere.
    world.advance(MINUTE);
    await b.edit('2401.00001', { notes: 'Tidied: laptop and desktop thoughts.' });
    await world.settle();
    expect((await a.entry('2401.00001'))?.notes).toBe('Tidied: laptop and desktop thoughts.');

    // Several saves of one note in a row on one side (typing) are one line of edits, not a conflict.
    world.advance(MINUTE);
    for (const text of ['T', 'Ty', 'Typed slowly.']) {
      await a.edit('2401.00001', { notes: text });
      await a.sync();
      world.advance(1000);
    }
    await world.settle();
    expect((await b.entry('2401.00001'))?.notes).toBe('Typed slowly.');
  });

  it('two browsers that had the same paper with different notes before sync keep both notes', async () => {
    const [a, b] = [world.browser('a'), world.browser('b')];
    await a.save('2401.00001', { notes: 'Notes from a.' });
    world.advance(MINUTE);
    await b.save('2401.00001', { notes: 'Notes from b.', status: 'reading' });
    await world.settle();
    for (const browser of [a, b]) {
      expect(visible(await browser.entry('2401.00001')), browser.name).toMatchObject({ notes: 'Notes from b.' + NOTES_CONFLICT_MARKER + 'Notes from a.', status: 'reading' });
    }
  });

  it('replaying the same change (or an older page) changes nothing and writes nothing', async () => {
    const [a, b] = [world.browser('a'), world.browser('b')];
    await a.save('2401.00001', { notes: 'v1' });
    await world.settle();
    const oldPage = (await b.area.get(['m:0']))['m:0'];
    world.advance(MINUTE);
    await a.edit('2401.00001', { notes: 'v2', status: 'done' });
    await world.settle();
    const before = await b.list();
    const writes = b.area.writeCount + a.area.writeCount;
    const current = (await b.area.get(['m:0']))['m:0'];
    // The same page delivered again, twice.
    b.area.putForeign({ 'm:0': current });
    b.area.putForeign({ 'm:0': current });
    await b.sync();
    expect(await b.list()).toEqual(before);
    expect(b.applied.filter((c) => c.saved)).toHaveLength(1);
    // The older page delivered again: the newer edit stays, and b restores the area's newer page.
    b.area.putForeign({ 'm:0': oldPage });
    await b.sync();
    expect(visible(await b.entry('2401.00001'))).toMatchObject({ notes: 'v2', status: 'done' });
    await world.settle();
    expect(visible(await a.entry('2401.00001'))).toMatchObject({ notes: 'v2', status: 'done' });
    expect(b.area.writeCount + a.area.writeCount).toBe(writes + 1);
  });

  it('clock skew: an edit made after receiving a change wins even when its browser’s clock is an hour behind', async () => {
    const a = world.browser('a');
    const b = world.browser('b', -60 * MINUTE);
    await a.save('2401.00001');
    await world.settle();
    world.advance(MINUTE);
    await a.edit('2401.00001', { status: 'reading', notes: 'from a' });
    await world.settle();
    expect(visible(await b.entry('2401.00001'))).toMatchObject({ status: 'reading' });
    world.advance(MINUTE);
    // b's wall clock says 58 minutes before a's edit, but b saw that edit: b's edit comes after it.
    await b.edit('2401.00001', { status: 'done', notes: 'from b, later' });
    await world.settle();
    for (const browser of [a, b]) expect(visible(await browser.entry('2401.00001')), browser.name).toMatchObject({ status: 'done', notes: 'from b, later' });
    // And removing it on the slow browser removes it too.
    world.advance(MINUTE);
    await b.remove('2401.00001');
    await world.settle();
    expect(await a.entry('2401.00001')).toBeUndefined();
  });

  it('a full quota: the area stays within Chrome’s limits, notes and the newest entries go first, the rest stays local and is reported', async () => {
    const [a, b] = [world.browser('a'), world.browser('b')];
    const total = 1600;
    // Realistic titles and first authors (the capacity script's entries): about 1,250 fit without notes.
    const entries = syntheticEntries(total, 0).map((entry, i) => ({ ...entry, notes: i % 50 === 0 ? `Note ${i}: ${'worth rereading. '.repeat(10)}` : '' }));
    await a.db.readingList.bulkPut(entries);
    await world.settle();
    const items = await a.area.get(null);
    expect(a.area.bytesInUse()).toBeLessThanOrEqual(SYNC_LIMITS.totalBytes);
    for (const [key, value] of Object.entries(items)) expect(key.length + JSON.stringify(value).length, key).toBeLessThanOrEqual(SYNC_LIMITS.itemBytes);
    const status = await a.engine.status();
    expect(status.notSynced.entries).toBeGreaterThan(0);
    expect(status.entriesSynced + status.notSynced.entries).toBe(total);
    expect(status.bytesUsed).toBe(a.area.bytesInUse());
    // Nothing is lost locally; the other browser has the notes and the newest entries.
    expect(await a.db.readingList.count()).toBe(total);
    const home = await b.list();
    expect(home).toHaveLength(status.entriesSynced);
    expect(home.filter((e) => e.notes)).toHaveLength(total / 50);
    const newestLeft = Math.max(...(await a.list()).filter((e) => !home.some((h) => h.paperId === e.paperId)).map((e) => e.addedAt));
    expect(Math.min(...home.filter((e) => !e.notes).map((e) => e.addedAt))).toBeGreaterThan(newestLeft);
    // Edits still flow for what fits, and the local-only entries stay on a.
    world.advance(MINUTE);
    await b.edit(home[0]!.paperId, { status: 'done' });
    await world.settle();
    expect((await a.entry(home[0]!.paperId))?.status).toBe('done');
    expect(await a.db.readingList.count()).toBe(total);
  }, 60_000);

  it('a corrupt or foreign item in the area is ignored with a message; nothing is lost and the rest still syncs', async () => {
    const [a, b] = [world.browser('a'), world.browser('b')];
    await a.save('2401.00001', { notes: 'keep me' });
    await b.save('2401.00002');
    await world.settle();
    const good = await encodePage(pageText([]));
    b.area.putForeign({
      theme: 'dark',
      'm:7': 'M1!!not base64 at all',
      'm:8': { some: 'object' },
      'm:9': good.slice(0, 12) + 'AAAA' + good.slice(16),
      'm:10': await encodePage(JSON.stringify([{ i: '2401.00009', d: 1, p: 'not-a-stamp' }, 42])),
    });
    await b.sync();
    const status = await b.engine.status();
    expect(status.problems.join('\n')).toMatch(/“theme” is not Margin’s/);
    expect(status.problems.join('\n')).toMatch(/“m:7”: damaged/);
    expect(status.problems.join('\n')).toMatch(/“m:8”: not in Margin’s format/);
    expect(status.problems.join('\n')).toMatch(/2 unreadable entries in “m:10”/);
    expect(b.logs.join('\n')).toMatch(/theme/);
    expect((await b.list()).map((e) => e.paperId)).toEqual(['2401.00001', '2401.00002']);
    expect((await b.entry('2401.00001'))?.notes).toBe('keep me');
    // The foreign item is left alone; Margin's damaged pages are replaced by what the browsers hold.
    await world.settle();
    expect((await a.area.get(['theme'])).theme).toBe('dark');
    expect(Object.keys(await a.area.get(null)).sort()).toEqual(['m:0', 'theme']);
    world.advance(MINUTE);
    await b.edit('2401.00001', { status: 'done' });
    await world.settle();
    expect((await a.entry('2401.00001'))?.status).toBe('done');
  });

  it('a very long note is split over several items and arrives whole; a damaged piece is ignored with a message', async () => {
    const [a, b] = [world.browser('a'), world.browser('b')];
    const rng = mulberry32(11);
    const words = ['attention', 'sparse', 'router', 'expert', 'token', 'loss', 'gradient', 'layer', 'scale', 'data', 'bench', 'prompt'];
    const note = Array.from({ length: 9000 }, () => words[Math.floor(rng() * words.length)]! + (rng() < 0.1 ? '.\n' : ' ')).join('');
    await a.save('2401.00001', { notes: note });
    await a.save('2401.00002', { notes: 'short' });
    await world.settle();
    const items = await a.area.get(null);
    const pieces = Object.entries(items).filter(([, value]) => String(value).startsWith('M2'));
    expect(pieces.length).toBeGreaterThan(1);
    for (const [key, value] of Object.entries(items)) expect(key.length + JSON.stringify(value).length).toBeLessThanOrEqual(SYNC_LIMITS.itemBytes);
    expect((await b.entry('2401.00001'))?.notes).toBe(note);
    expect((await b.entry('2401.00002'))?.notes).toBe('short');

    // One piece damaged in transit: the long note is not applied from it, nothing local changes, the rest syncs.
    const [key, value] = pieces[1]!;
    const c = world.browser('c');
    await c.save('2401.00003');
    c.area.putForeign({ ...items, [key]: String(value).slice(0, -40) + 'A'.repeat(40) });
    await c.sync();
    expect((await c.engine.status()).problems.join('\n')).toMatch(/long entry .* do not match/);
    expect(await c.entry('2401.00001')).toBeUndefined();
    expect((await c.entry('2401.00002'))?.notes).toBe('short');
    expect(await c.entry('2401.00003')).toBeDefined();
  });

  it('while a long entry’s pieces are still arriving, a browser writes nothing over them', async () => {
    const a = world.browser('a');
    const rng = mulberry32(12);
    const note = Array.from({ length: 9000 }, () => Math.floor(rng() * 1e6).toString(36) + ' ').join('');
    await a.save('2401.00001', { notes: note });
    await a.sync();
    const items = await a.area.get(null);
    const pieceKeys = Object.keys(items).filter((key) => String(items[key]).startsWith('M2'));
    expect(pieceKeys.length).toBeGreaterThan(1);

    const c = world.browser('c');
    await c.save('2401.00003');
    // Only the first piece has arrived.
    c.area.putForeign({ [pieceKeys[0]!]: items[pieceKeys[0]!] });
    await c.sync();
    expect(c.area.writeCount).toBe(0);
    expect((await c.area.get([pieceKeys[0]!]))[pieceKeys[0]!]).toBe(items[pieceKeys[0]!]);
    expect((await c.engine.status()).error).toMatch(/rest of a long entry/);
    // The rest arrives: the note is applied and c's own entry goes out.
    c.area.putForeign(items);
    await c.sync();
    expect((await c.entry('2401.00001'))?.notes).toBe(note);
    expect(c.area.writeCount).toBeGreaterThan(0);
  });
});
