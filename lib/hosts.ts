/** Match patterns for the two sites Margin works on; kept in one place for manifest, tabs and menus. */
export const ARXIV_MATCHES = ['*://arxiv.org/*', '*://www.arxiv.org/*', '*://export.arxiv.org/*'];
export const HF_MATCHES = ['*://huggingface.co/*'];
export const HOST_MATCHES = [...ARXIV_MATCHES, ...HF_MATCHES];

/** Links the context menu offers to save: paper pages on both sites. */
export const PAPER_LINK_PATTERNS = [
  ...ARXIV_MATCHES.flatMap((host) => ['abs', 'pdf', 'html'].map((kind) => host.replace('/*', `/${kind}/*`))),
  '*://huggingface.co/papers/*',
];
