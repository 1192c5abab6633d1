/**
 * Task codes as people type them: "2.2", "２．２", "2。2". Codes name a section and an item, so a
 * bare number is not a code (it is a page number where one is expected).
 */
const CODE = /^\d{1,2}(?:\.\d{1,3}){1,2}$/u;

export function parseTaskCode(text: string): string | null {
  const v = text
    .normalize("NFKC")
    .trim()
    .replace(/[。、．]/gu, ".");
  return CODE.test(v) ? v : null;
}
