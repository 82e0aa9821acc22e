/** Distinct strings in first-seen order, and each string's index among them (added when new). */
export function textTable(): { texts: string[]; indexOf: (text: string) => number } {
  const texts: string[] = [];
  const index = new Map<string, number>();
  const indexOf = (text: string) => {
    let i = index.get(text);
    if (i === undefined) index.set(text, (i = texts.push(text) - 1));
    return i;
  };
  return { texts, indexOf };
}
