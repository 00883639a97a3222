import { runMargin } from '@/components/content/annotate';
import { HF_READERS } from '@/lib/detect/extract';

export default defineContentScript({
  // All of /papers*, not just paper pages: HF moves between its lists and papers without page loads.
  matches: ['*://huggingface.co/papers*'],
  runAt: 'document_end',
  main(ctx) {
    runMargin(ctx, HF_READERS);
  },
});
