import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import { dayInZone } from "../tasks/zone.ts";
import { assessmentParts, type Part } from "./assessment-parts.ts";
import type { Assessment } from "./assessment-types.ts";
import { cellText, cellType, chineseDate } from "./cells.ts";

/**
 * The assessment as a Word document in the shape of an official report (GB/T 9704 habits): the
 * title in 小标宋 centred, the period and date under it, headings 一、二、… in 黑体, body text in 仿宋,
 * a table per part, page numbers "— 1 —" at the foot. Wide tables get a landscape section.
 */

/** Rows of the long history table in the document; the workbook has them all. */
export const DOCX_MAX_ROWS = 1000;

const TITLE_FONT = "方正小标宋简体";
const HEADING_FONT = "黑体";
const BODY_FONT = "仿宋_GB2312";
const SUB_FONT = "楷体_GB2312";
const font = (name: string) => ({ ascii: name, eastAsia: name, hAnsi: name, cs: name });

// Sizes in half-points: 二号 22pt, 三号 16pt, 五号 10.5pt.
const TITLE_SIZE = 44;
const BODY_SIZE = 32;
const TABLE_SIZE = 21;

// A4 in twentieths of a point; margins 37/35/28/26 mm.
const A4 = { width: 11906, height: 16838 };
const mm = (v: number) => Math.round((v / 25.4) * 1440);
const MARGIN = { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26) };

function table(part: Part, timezone: string): Table {
  const numeric = (j: number, i: number) => !["text", "day", "time"].includes(cellType(part, i, j));
  const cell = (text: string, opts: { bold?: boolean; right?: boolean; header?: boolean }) =>
    new TableCell({
      shading: opts.header ? { type: ShadingType.CLEAR, color: "auto", fill: "D9D9D9" } : undefined,
      children: [
        new Paragraph({
          alignment: opts.header
            ? AlignmentType.CENTER
            : opts.right
              ? AlignmentType.RIGHT
              : AlignmentType.LEFT,
          children: [new TextRun({ text, bold: opts.bold, size: TABLE_SIZE })],
        }),
      ],
    });
  const header = new TableRow({
    tableHeader: true,
    children: part.columns.map((c) => cell(c.header, { bold: true, header: true })),
  });
  const rows = part.rows.map(
    (cells, i) =>
      new TableRow({
        children: cells.map((v, j) =>
          cell(cellText(v, cellType(part, i, j), timezone), { right: numeric(j, i) }),
        ),
      }),
  );
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [header, ...rows] });
}

function body(text: string): Paragraph {
  return new Paragraph({
    indent: { firstLine: BODY_SIZE * 10 * 2 },
    spacing: { line: 560 },
    children: [new TextRun({ text, size: BODY_SIZE, font: font(BODY_FONT) })],
  });
}

function partBlock(part: Part, timezone: string) {
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      heading: HeadingLevel.HEADING_1,
      spacing: { before: 240, after: 120 },
      children: [
        new TextRun({ text: `${part.numeral}、${part.title}`, size: BODY_SIZE, font: font(HEADING_FONT) }),
      ],
    }),
    ...part.intro.map(body),
  ];
  if (part.note) children.push(body(part.note));
  if (part.rows.length > 0) children.push(table(part, timezone));
  return children;
}

function titleBlock(a: Assessment): Paragraph[] {
  const centred = (text: string, size: number, name: string, after = 0) =>
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after },
      children: [new TextRun({ text, size, font: font(name) })],
    });
  const p = a.period;
  return [
    new Paragraph({
      heading: HeadingLevel.TITLE,
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
      children: [new TextRun({ text: a.title, size: TITLE_SIZE, font: font(TITLE_FONT) })],
    }),
    centred(`（统计时段：${chineseDate(p.first)}—${chineseDate(p.asOf)}）`, BODY_SIZE, SUB_FONT),
    centred(`报告日期：${chineseDate(dayInZone(a.generatedAt, a.timezone))}`, BODY_SIZE, SUB_FONT, 360),
  ];
}

const footer = () =>
  new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [
          new TextRun({ children: ["— ", PageNumber.CURRENT, " —"], size: 28, font: font(BODY_FONT) }),
        ],
      }),
    ],
  });

export async function assessmentDocx(a: Assessment): Promise<Buffer> {
  const parts = assessmentParts(a, { maxRows: DOCX_MAX_ROWS });
  // Consecutive parts of the same orientation share a section.
  const sections: { landscape: boolean; children: (Paragraph | Table)[] }[] = [
    { landscape: false, children: titleBlock(a) },
  ];
  for (const part of parts) {
    const landscape = part.columns.length > 9;
    const last = sections.at(-1);
    if (last && last.landscape === landscape) last.children.push(...partBlock(part, a.timezone));
    else sections.push({ landscape, children: partBlock(part, a.timezone) });
  }
  const closing = [
    new Paragraph({ spacing: { before: 480 }, children: [] }),
    ...[a.issuer ?? "", chineseDate(dayInZone(a.generatedAt, a.timezone))].filter(Boolean).map(
      (text) =>
        new Paragraph({
          alignment: AlignmentType.RIGHT,
          children: [new TextRun({ text, size: BODY_SIZE, font: font(BODY_FONT) })],
        }),
    ),
  ];
  sections.at(-1)?.children.push(...closing);
  const doc = new Document({
    title: a.title,
    creator: "huibao",
    styles: {
      default: {
        document: { run: { font: font(BODY_FONT), size: BODY_SIZE } },
        heading1: { run: { font: font(HEADING_FONT), size: BODY_SIZE, bold: false, color: "000000" } },
        title: { run: { font: font(TITLE_FONT), size: TITLE_SIZE, color: "000000" } },
      },
    },
    sections: sections.map((s) => ({
      properties: {
        page: {
          size: { ...A4, orientation: s.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
          margin: MARGIN,
        },
      },
      footers: { default: footer() },
      children: s.children,
    })),
  });
  return Packer.toBuffer(doc);
}
