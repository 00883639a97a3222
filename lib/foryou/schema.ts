import { z } from 'zod';
import { ArxivId } from '../schema';

/**
 * A paper the user marked "not interested" on a listing or a panel: a negative example for the for-you ranking.
 * It keeps its own title and abstract (the paper may be in no corpus), and it never touches the reading list.
 */
export const NotInterestedEntry = z.object({
  paperId: z.string().min(1).max(200),
  arxivId: ArxivId.nullable(),
  title: z.string().min(1).max(1000),
  abstract: z.string().max(20000),
  categories: z.array(z.string().max(40)).max(50),
  /** Epoch milliseconds. */
  addedAt: z.number().int().nonnegative(),
});
export type NotInterestedEntry = z.infer<typeof NotInterestedEntry>;
