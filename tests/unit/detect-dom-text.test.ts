import { describe, expect, test } from 'vitest';
import { firstLast, isoDate } from '../../lib/detect/dom';

describe('helpers', () => {
  test.each([
    ['Jiang, Albert Q.', 'Albert Q. Jiang'],
    ['Scao, Teven Le', 'Teven Le Scao'],
    ['de las Casas, Diego', 'Diego de las Casas'],
    ['King, Jr., Martin Luther', 'Martin Luther King Jr.'],
    ['King, Martin Luther, Jr.', 'Martin Luther King Jr.'],
    ['ATLAS Collaboration', 'ATLAS Collaboration'],
    ['  Vaswani ,  Ashish ', 'Ashish Vaswani'],
  ])('firstLast(%j) = %j', (input, expected) => {
    expect(firstLast(input)).toBe(expected);
  });

  test.each([
    ['2024/01/08', '2024-01-08'],
    ['2024-07-31T17:54:27.000Z', '2024-07-31'],
    ['17 Jul 2024 (v1), last revised', '2024-07-17'],
    [' Mon, 8 Jan 2024 18:47:34 UTC (2,811 KB)', '2024-01-08'],
    ['8 December, 2025', '2025-12-08'],
    ['Jan 8, 2024', '2024-01-08'],
    ['2017', null],
    ['31 Feb 2024', null],
    ['', null],
  ])('isoDate(%j) = %j', (input, expected) => {
    expect(isoDate(input)).toBe(expected);
  });
});
