/** Wording shared by messages and reports. */

/** `1 incident`, `2 incidents`; `many` where the plural is not the word plus "s". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
