// @citation-js/name ships no type declarations; this is the part Margin uses.
declare module '@citation-js/name' {
  export interface ParsedName {
    family?: string;
    given?: string;
    'non-dropping-particle'?: string;
    'dropping-particle'?: string;
    suffix?: string;
    literal?: string;
  }
  export function parse(name: string): ParsedName;
  export function format(name: ParsedName, reversed?: boolean): string;
}
