import { paperHomes } from './links';

/** Links to the paper's other homes, built from its id alone; nothing for a paper without an arXiv id. */
export function PaperHomes({ arxivId, class: className }: { arxivId: string | null; class?: string }) {
  const homes = paperHomes(arxivId);
  if (!homes.length) return null;
  return (
    <nav class={className ?? 'm-homes'} aria-label="This paper elsewhere" data-testid="paper-homes">
      {homes.map((home) => (
        <a key={home.kind} href={home.url} target="_blank" rel="noopener noreferrer" data-home={home.kind}>
          {home.label}
        </a>
      ))}
    </nav>
  );
}

/** "v3 since you saved v1": shown when the page is a newer version than the one saved. */
export function newerVersionText(pageVersion: number | null | undefined, savedVersion: number | null | undefined): string | null {
  if (!pageVersion || !savedVersion || pageVersion <= savedVersion) return null;
  return `v${pageVersion} since you saved v${savedVersion}`;
}
