import { describe, expect, it } from 'vitest';
import { latexToText } from '../../lib/import/latex';
import { splitAuthors } from '../../lib/import/records';

describe('latexToText', () => {
  it.each([
    ['Black-box $\\alpha$-divergence Minimization', 'Black-box α-divergence Minimization'],
    ['R{\\\'e}nyi Divergence', 'Rényi Divergence'],
    ['Schr{\\"o}dinger and Schr\\"{o}dinger and Schr\\"odinger', 'Schrödinger and Schrödinger and Schrödinger'],
    ['\\textit{Llama 2-Chat} and \\emph{really} \\textbf{bold}', 'Llama 2-Chat and really bold'],
    ['{\\em Emphasis} in {\\it old} style', 'Emphasis in old style'],
    ['Erd\\H{o}s, Ha\\v{c}ek, Fran\\c{c}ois, \\L{}ukasz, Stra\\ss e, Bj\\o rn, na\\"\\i ve', 'Erdős, Haček, François, Łukasz, Straße, Bjørn, naïve'],
    ['$O(n \\log n)$ time, $\\ell_1$ and $\\mathcal{O}(1)$', 'O(n log n) time, ℓ_1 and O(1)'],
    ['$\\Delta$-learning with $\\epsilon \\to 0$, $\\sim$100 and $\\infty$', 'Δ-learning with ε → 0, ∼100 and ∞'],
    ['100\\% of \\$5 \\& \\{braces\\}', '100% of $5 & {braces}'],
    ['\\LaTeX{} and \\unknowncommand{x}', 'LaTeX and unknowncommandx'],
    ['No markup at all', 'No markup at all'],
  ])('%s', (input, expected) => {
    expect(latexToText(input).replace(/\s+/g, ' ').trim()).toBe(expected);
  });

  it('does not confuse accent macros with commands that start with the same letter', () => {
    expect(latexToText('$a \\cdot b \\in \\mathbb{R}$, $\\int f$, $\\infty$, $\\ldots$, \\url{x}')).toBe('a · b ∈ R, ∫ f, ∞, …, x');
  });
});

describe('splitAuthors', () => {
  it('splits "A, B and C", drops affiliations, decodes accents', () => {
    expect(splitAuthors("Jos\\'e Miguel Hern\\'andez-Lobato (Cambridge), Yingzhen Li, and Richard E.\n  Turner")).toEqual([
      'José Miguel Hernández-Lobato',
      'Yingzhen Li',
      'Richard E. Turner',
    ]);
    expect(splitAuthors('A. One and B. Two')).toEqual(['A. One', 'B. Two']);
  });
});

describe('latexToText and prototype keys', () => {
  it('leaves commands named like Object.prototype members as words', async () => {
    const { latexToText } = await import('../../lib/import/latex');
    expect(latexToText('A \\constructor and \\toString of $\\alpha$')).toBe('A constructor and toString of α');
  });
});
