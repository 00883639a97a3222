import { runMargin } from '@/components/content/annotate';

export default defineContentScript({
  // All of /papers*, not just paper pages: HF moves between its lists and papers without page loads.
  matches: ['*://huggingface.co/papers*'],
  runAt: 'document_end',
  main(ctx) {
    runMargin(ctx);
  },
});
