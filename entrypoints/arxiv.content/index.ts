import { runMargin } from '@/components/content/annotate';
import { ARXIV_READERS } from '@/lib/detect/extract';
import { ARXIV_MATCHES } from '@/lib/hosts';

export default defineContentScript({
  matches: ARXIV_MATCHES,
  runAt: 'document_end',
  main(ctx) {
    runMargin(ctx, ARXIV_READERS);
  },
});
