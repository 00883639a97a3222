/**
 * LaTeX-ish markup in arXiv metadata (titles, abstracts, author names) turned into readable text:
 * `$\alpha$-divergence` → `α-divergence`, `\textit{GPT}` → `GPT`, `Schr{\"o}dinger` → `Schrödinger`.
 *
 * Deliberately small and table-driven: it is not a TeX engine, it only makes the common cases read well
 * (and match what arXiv and Hugging Face pages render). Unknown commands lose their backslash (`\LaTeX` → `LaTeX`).
 * The npm candidates were rejected: `latex-to-unicode` (2014, CommonJS, replaces only the first occurrence of
 * each symbol and prefix-matches `\in` inside `\infty`); `unicode2latex` is a large bibliography-oriented table.
 */

/** Accent macros → Unicode combining marks; composed with NFC. */
const ACCENTS: Record<string, string> = {
  '"': '\u0308', // ¨  \"o → ö
  "'": '\u0301', // ´  \'e → é
  '`': '\u0300', // `  \`a → à
  '^': '\u0302', // ˆ  \^o → ô
  '~': '\u0303', // ˜  \~n → ñ
  '=': '\u0304', // ¯  \=a → ā
  '.': '\u0307', // ˙  \.z → ż
  u: '\u0306', // ˘  \u{g} → ğ
  v: '\u030c', // ˇ  \v{c} → č
  H: '\u030b', // ˝  \H{o} → ő
  c: '\u0327', // ¸  \c{c} → ç
  k: '\u0328', // ˛  \k{a} → ą
  r: '\u030a', // ˚  \r{a} → å
  d: '\u0323', //    \d{s} → ṣ
  b: '\u0331', //    \b{k} → ḵ
};

/** Letters written as commands. `\i`/`\j` (dotless) mostly appear under accents: `\'\i` → í. */
const LETTERS: Record<string, string> = {
  ss: 'ß', o: 'ø', O: 'Ø', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ', aa: 'å', AA: 'Å', l: 'ł', L: 'Ł', i: 'ı', j: 'ȷ',
};

/** Named commands → text. Greek letters and the math symbols common in paper titles. */
const SYMBOLS: Record<string, string> = {
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π',
  varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'φ',
  varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω',
  Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ',
  Psi: 'Ψ', Omega: 'Ω',
  infty: '∞', times: '×', pm: '±', mp: '∓', cdot: '·', cdots: '⋯', ldots: '…', dots: '…', le: '≤', leq: '≤',
  ge: '≥', geq: '≥', neq: '≠', ne: '≠', approx: '≈', sim: '∼', simeq: '≃', equiv: '≡', propto: '∝',
  to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', leftrightarrow: '↔', mapsto: '↦',
  in: '∈', notin: '∉', subset: '⊂', subseteq: '⊆', cup: '∪', cap: '∩', emptyset: '∅', forall: '∀',
  exists: '∃', partial: '∂', nabla: '∇', sqrt: '√', sum: '∑', prod: '∏', int: '∫', ell: 'ℓ', hbar: 'ℏ',
  circ: '∘', star: '⋆', ast: '∗', dagger: '†', prime: '′', langle: '⟨', rangle: '⟩', vert: '|', mid: '|',
  lvert: '|', rvert: '|', ll: '≪', gg: '≫', oplus: '⊕', otimes: '⊗', wedge: '∧', vee: '∨', neg: '¬',
  S: '§', P: '¶', copyright: '©', textregistered: '®', texttrademark: '™', textendash: '–', textemdash: '—',
  textasciitilde: '~', textbackslash: '\\', textless: '<', textgreater: '>', textbar: '|', textdegree: '°',
  degree: '°', euro: '€', pounds: '£', LaTeX: 'LaTeX', TeX: 'TeX',
  // Spacing commands.
  quad: ' ', qquad: ' ', ',': ' ', ';': ' ', ':': ' ', '!': '', ' ': ' ',
};

/** Formatting commands: the command goes, its argument (or the rest of its group) stays. */
const FORMATTING = new Set([
  'textit', 'textbf', 'textrm', 'texttt', 'textsc', 'textsf', 'textup', 'textsl', 'textmd', 'textnormal',
  'emph', 'underline', 'text', 'mbox', 'hbox', 'mathrm', 'mathbf', 'mathit', 'mathcal', 'mathbb', 'mathsf',
  'mathtt', 'mathfrak', 'mathscr', 'mathnormal', 'boldsymbol', 'bm', 'operatorname', 'it', 'bf', 'em', 'rm',
  'sc', 'sf', 'tt', 'sl', 'small', 'large', 'Large', 'footnotesize', 'scriptsize', 'tiny', 'normalsize',
  'displaystyle', 'textstyle', 'scriptstyle', 'left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr',
  'Bigl', 'Bigr', 'protect', 'relax', 'noindent', 'url', 'href', 'hat', 'tilde', 'bar', 'vec', 'widehat',
  'widetilde', 'overline', 'dot', 'ddot', 'acute', 'grave', 'breve', 'check',
]);

const ESCAPED: Record<string, string> = {
  '&': '&', '%': '%', $: '\ue002', '#': '#', _: '_', '{': '\ue000', '}': '\ue001',
};

const ACCENT_SYMBOL_RE = /\\(["'`^~=.])\s*(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij](?![A-Za-z])\s?|[A-Za-z]))/g;
const ACCENT_LETTER_RE = /\\([uvHckrdb])(?:\s*\{\s*(\\[ij]|[A-Za-z])\s*\}|\s+([A-Za-z]))/g;
const LETTER_RE = /\\(ss|ae|AE|oe|OE|aa|AA|[oOlLij])(?![A-Za-z])(?:\{\}|\s)?/g;
const COMMAND_RE = /\\([A-Za-z]+|[,;:! ])(\s*)/g;
const MARKUP_RE = /[\\{}$]/;

function composeAccent(mark: string, base: string): string {
  const b = base.trim();
  const letter = b === '\\i' ? 'i' : b === '\\j' ? 'j' : b;
  return (letter + mark).normalize('NFC');
}

/** Readable text from LaTeX-ish markup. Text without `\ { } $` is returned unchanged (the fast path). */
export function latexToText(input: string): string {
  if (!MARKUP_RE.test(input)) return input;
  let s = input;
  // Forced line breaks, then escaped specials (kept out of the brace/dollar stripping below via placeholders).
  s = s.replace(/\\\\/g, ' ');
  s = s.replace(/\\([&%$#_{}])/g, (_m, ch: string) => ESCAPED[ch] ?? ch);
  s = s.replace(ACCENT_SYMBOL_RE, (m, acc: string, braced?: string, bare?: string) => {
    const mark = ACCENTS[acc];
    const base = braced ?? bare;
    return mark && base ? composeAccent(mark, base) : m;
  });
  s = s.replace(ACCENT_LETTER_RE, (m, acc: string, braced?: string, bare?: string) => {
    const mark = ACCENTS[acc];
    const base = braced ?? bare;
    return mark && base ? composeAccent(mark, base) : m;
  });
  s = s.replace(LETTER_RE, (_m, name: string) => LETTERS[name] ?? name);
  s = s.replace(COMMAND_RE, (_m, name: string, space: string) => {
    // Own keys only: `\constructor` must not find Object.prototype.constructor.
    const symbol = Object.hasOwn(SYMBOLS, name) ? SYMBOLS[name] : undefined;
    if (symbol !== undefined) return symbol + space;
    if (FORMATTING.has(name)) return '';
    return name + space;
  });
  // Math delimiters and grouping braces; then the placeholders back.
  s = s.replace(/[${}]/g, '');
  s = s.replace(/\ue000/g, '{').replace(/\ue001/g, '}').replace(/\ue002/g, '$');
  return s;
}
