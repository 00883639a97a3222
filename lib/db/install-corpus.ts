import { BundledCorpus, describeZodError } from '../schema';
import { bumpRevision, getMeta, setMeta, type MarginDatabase } from './database';

export interface CorpusInstall {
  /** False when this version was already installed (nothing written). */
  installed: boolean;
  papers: number;
  removed: number;
  version: string;
}

/**
 * Puts the bundled corpus into the database when its version differs from the one installed.
 * One transaction over papers and meta: a failure leaves the previous corpus as it was.
 * The reading list is outside the transaction's scope, so installing cannot touch it.
 */
export async function installCorpus(db: MarginDatabase, input: unknown): Promise<CorpusInstall> {
  const parsed = BundledCorpus.safeParse(input);
  if (!parsed.success) throw new Error(`The bundled corpus is invalid: ${describeZodError(parsed.error)}`);
  const corpus = parsed.data;
  return db.transaction('rw', db.papers, db.meta, async () => {
    if ((await getMeta<string>(db, 'corpusVersion')) === corpus.version) {
      return { installed: false, papers: corpus.papers.length, removed: 0, version: corpus.version };
    }
    const incoming = new Set(corpus.papers.map((paper) => paper.id));
    const stale = (await db.papers.where('origin').equals('bundled').primaryKeys()).filter((id) => !incoming.has(id));
    await db.papers.bulkDelete(stale);
    await db.papers.bulkPut(corpus.papers);
    await setMeta(db, 'corpusVersion', corpus.version);
    // The key keeps its first name: profiles in the field have it.
    await setMeta(db, 'seededAt', Date.now());
    await bumpRevision(db);
    return { installed: true, papers: corpus.papers.length, removed: stale.length, version: corpus.version };
  });
}
