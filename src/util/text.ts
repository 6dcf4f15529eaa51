// Small text helpers shared by the layers that show files to an operator.

/** The last `n` lines of `text`, keeping its final newline (what `tail -n` prints). */
export function lastLines(text: string, n: number): string {
  if (n === 0) return '';
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const tail = lines.slice(-n).join('\n');
  return tail && text.endsWith('\n') ? tail + '\n' : tail;
}
