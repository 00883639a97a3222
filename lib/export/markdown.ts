import type { ReadingListEntry, ReadingStatus } from '../schema';
import { arxivUrl } from './names';

/**
 * A Markdown reading list:
 *
 *   - [Mixtral of Experts](https://arxiv.org/abs/2401.04088) — Albert Q. Jiang et al. (2024) · to read
 *     > my note
 *
 * Every piece of text is data: all Markdown/HTML-significant ASCII punctuation is backslash-escaped
 * (CommonMark allows escaping any ASCII punctuation), so a title or note can never form a link,
 * an image, raw HTML or emphasis. The only link is the arXiv URL built from a validated id.
 */

export const STATUS_LABEL: Record<ReadingStatus, string> = { 'to-read': 'to read', reading: 'reading', done: 'done' };

export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~&]/g, '\\$&');
}

/** One line of inline text: whitespace (incl. newlines) collapsed, escaped. */
function inline(text: string): string {
  return escapeMarkdown(text.replace(/\s+/g, ' ').trim());
}

function byline(authors: string[]): string {
  const named = authors.map((a) => a.trim()).filter(Boolean);
  if (named.length === 0) return '';
  if (named.length === 1) return named[0]!;
  if (named.length === 2) return `${named[0]} and ${named[1]}`;
  return `${named[0]} et al.`;
}

export function toMarkdownLine(e: ReadingListEntry): string {
  const url = arxivUrl(e.arxivId);
  const title = inline(e.title);
  let line = url ? `- [${title}](${url})` : `- ${title}`;
  const who = byline(e.authors);
  if (who) line += ` — ${inline(who)}`;
  if (e.year) line += ` (${e.year})`;
  line += ` · ${STATUS_LABEL[e.status]}`;
  const notes = e.notes.replace(/\r\n?/g, '\n').trim();
  if (notes) {
    const quoted = notes.split('\n').map((l) => (l.trim() === '' ? '  >' : `  > ${escapeMarkdown(l.trimEnd())}`));
    line += '\n' + quoted.join('\n');
  }
  return line;
}

export function toMarkdown(entries: ReadingListEntry[], heading = 'Reading list'): string {
  const body = entries.map(toMarkdownLine).join('\n');
  return `# ${escapeMarkdown(heading)}\n\n${body}${body ? '\n' : ''}`;
}
