// JSON responses as the original CLI printed them (cli.md §4.1): the response's own bytes
// re-indented token by token, not parsed and re-serialised, so numbers (`1.0`, 20-digit ids),
// escapes and key order come out exactly as the scheduler sent them.

const PUNCTUATION = new Set(['{', '}', '[', ']', ',', ':']);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** The tokens of a valid JSON text, and where the last one ends. */
function tokenize(text: string): { tokens: string[]; end: number } {
  const tokens: string[] = [];
  let i = 0;
  let end = 0;
  while (i < text.length) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    let j = i + 1;
    if (c === '"') {
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      j++;
    } else if (!PUNCTUATION.has(c)) {
      while (j < text.length && !isSpace(text[j]) && !PUNCTUATION.has(text[j]) && text[j] !== '"') j++;
    }
    tokens.push(text.slice(i, j));
    i = end = j;
  }
  return { tokens, end };
}

/** A response body as the original printed it, ending in one newline; what is not JSON is said so and shown raw. */
export function reindentJson(raw: string): string {
  try {
    JSON.parse(raw);
  } catch (e) {
    const why = (e as Error).message;
    return `Failed to prettify JSON response data: ${why.charAt(0).toLowerCase()}${why.slice(1)}\nOriginal data follows:\n${raw}\n`;
  }
  const text = raw.trimStart();
  const { tokens, end } = tokenize(text);
  let out = '';
  let depth = 0;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t === '{' || t === '[') {
      const close = t === '{' ? '}' : ']';
      if (tokens[k + 1] === close) {
        out += t + close; // empty: `{}`, `[]`
        k++;
        continue;
      }
      depth++;
      out += t + newline();
    } else if (t === '}' || t === ']') {
      depth--;
      out += newline() + t;
    } else if (t === ',') out += `,${newline()}`;
    else if (t === ':') out += ': ';
    else out += t;
  }
  return `${out}${text.slice(end)}\n`; // whitespace after the value is kept, as the original did
}
