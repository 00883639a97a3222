import 'fake-indexeddb/auto';
import { afterEach, beforeEach } from 'vitest';
import { MarginDatabase } from '../../lib/db/database';
import { toBackupText } from '../../lib/export/backup';
import type { Reply } from '../../lib/messaging/protocol';
import { createDispatcher } from '../../lib/messaging/rpc';
import { MarginService, type ServiceOptions } from '../../lib/service/margin';
import type { ReadingListEntry } from '../../lib/schema';
import { bundledCorpus } from './corpus';

let databases = 0;

/** A database of its own (fake-indexeddb), deleted after the test. */
export function freshDatabase(prefix: string): MarginDatabase {
  return new MarginDatabase(`${prefix}-${++databases}-${Math.random().toString(36).slice(2)}`);
}

export interface BackgroundUnderTest {
  db: MarginDatabase;
  service: MarginService;
  dispatch: (message: unknown) => Promise<Reply<unknown>>;
  /** A raw message through the dispatcher, as an extension page sends it; the reply as it comes back. */
  send: (name: string, data: unknown) => Promise<Reply<unknown>>;
  /** Like `send`, but the reply's data, or a throw with its error. */
  call: (name: string, data: unknown) => Promise<any>;
  /** The reading list as the user would export it (fixed time stamp: two exports compare byte for byte). */
  exportedList: () => Promise<string>;
}

/**
 * Before each test: a fresh database and the background's service on it with the bundled corpus, reached through the
 * same dispatcher as in the extension; after: the database is deleted. `install: true` installs the corpus first, as
 * the background does when its worker starts.
 */
export function useBackground(options: { prefix: string; install?: boolean } & Partial<Omit<ServiceOptions, 'loadBundledCorpus'>>): BackgroundUnderTest {
  const { prefix, install, ...serviceOptions } = options;
  const current = {} as BackgroundUnderTest;
  beforeEach(async () => {
    const db = freshDatabase(prefix);
    const service = new MarginService(db, { loadBundledCorpus: async () => bundledCorpus(), ...serviceOptions });
    const dispatch = createDispatcher(service.handlers());
    const send = (name: string, data: unknown) => dispatch({ margin: 1, name, data });
    Object.assign(current, {
      db,
      service,
      dispatch,
      send,
      call: async (name: string, data: unknown) => {
        const reply = await send(name, data);
        if (!reply.ok) throw new Error(reply.error);
        return reply.data;
      },
      exportedList: async () => {
        const reply = await send('readingList', {});
        if (!reply.ok) throw new Error(reply.error);
        return toBackupText(reply.data as ReadingListEntry[], new Date(0));
      },
    } satisfies BackgroundUnderTest);
    if (install) await service.installCorpus();
  });
  afterEach(async () => {
    current.db.close();
    await current.db.delete();
  });
  return current;
}
