/** Topic tagging time, measured in Node with the product's own tagger. */
import { tagPaper } from '../lib/topics/tagger';
import type { Paper } from '../lib/schema';
import { GOALS, report } from './config';
import { fromSummary } from './report';
import { summarize } from './stats';

/** Topic tagging of one paper (title + abstract), the product's own tagger, in Node: each bundled paper, 5 rounds after a warm-up. */
export function taggingTime(papers: readonly Paper[]) {
  for (const paper of papers) tagPaper(paper);
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const paper of papers) {
      const started = performance.now();
      tagPaper(paper);
      samples.push(performance.now() - started);
    }
  }
  report.add({
    id: 'tagging.one',
    group: 'Topics',
    label: 'tag one paper (title + abstract), Node',
    unit: 'ms',
    ...fromSummary(summarize(samples)),
    goal: { stat: 'median', op: '<=', target: GOALS.tagMs },
    note: `${papers.length} bundled papers × 5 rounds`,
  });
}
