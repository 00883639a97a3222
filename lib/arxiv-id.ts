/**
 * New-style (2401.01234, 0704.0001) or old-style (hep-th/9901001, math.CA/0611800) arXiv id,
 * without version. Kept free of zod so content scripts can use it cheaply.
 */
export const ARXIV_ID_PATTERN = /^(?:\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2}(?:-[a-z]+)?)?\/\d{7})$/;
