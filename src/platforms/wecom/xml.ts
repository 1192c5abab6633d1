import { XMLParser } from "fast-xml-parser";
import { WecomDecodeError } from "./errors.ts";

/**
 * The little XML the app callback needs: flat `<xml><Field>value</Field>…</xml>` documents.
 * Parsing is fast-xml-parser's; this module only fixes its options and checks the shape.
 */

const parser = new XMLParser({
  // Never coerce: MsgId exceeds 2^53 and AgentID/CreateTime stay exact strings.
  parseTagValue: false,
  parseAttributeValue: false,
  // Keep text exactly as sent (CDATA is merged into the text value, unmodified).
  trimValues: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

/**
 * The string children of the root element. Malformed XML, a DOCTYPE (WeCom never sends one, and
 * the envelope is parsed before the signature is checked, so no entity games) or a missing root
 * become WecomDecodeError (400). A repeated or nested field is left out, so a required one reads
 * as missing rather than being guessed at.
 */
export function parseXmlFields(xml: string, what: string): Record<string, string> {
  if (/<!DOCTYPE/i.test(xml)) throw new WecomDecodeError(`${what}: DOCTYPE is not allowed`);
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch {
    throw new WecomDecodeError(`${what}: malformed XML`);
  }
  const root = isRecord(doc) && Object.hasOwn(doc, "xml") ? doc.xml : undefined;
  if (!isRecord(root)) throw new WecomDecodeError(`${what}: no <xml> root element`);
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(root)) {
    if (typeof value === "string" && name !== "#text") fields[name] = value;
  }
  return fields;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A CDATA section for any text: `]]>` is split across two sections, XML-illegal characters dropped. */
export function cdata(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 forbids.
  const legal = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "");
  return `<![CDATA[${legal.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}
