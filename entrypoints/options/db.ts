import { MarginDatabase } from '@/lib/db/database';

/** The options page reads the reading list for backups and removes imports itself; writes that index go through the background. */
export const db = new MarginDatabase();
db.on('versionchange', () => {
  db.close();
  location.reload();
});
