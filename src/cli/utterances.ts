import type { Interface } from "node:readline";

/** `张三> 文本` switches the speaker for that line and the ones after it. */
const SPEAKER = /^\s*([^\s>]{1,32})>\s?(.*)$/u;

export interface Utterance {
  speaker: string;
  /** The message: a literal `\n` in the line is a line break. */
  text: string;
  /** The line as typed, without the speaker prefix. */
  line: string;
}

/**
 * The lines of a terminal conversation (`huibao chat`, `huibao sim`): speaker switches applied, blank
 * lines skipped, and on a terminal a `名字> ` prompt before each line is read.
 */
export async function* readUtterances(
  rl: Interface,
  opts: { speaker: string; isTTY: boolean },
): AsyncGenerator<Utterance> {
  let speaker = opts.speaker;
  const prompt = () => {
    if (opts.isTTY) process.stdout.write(`${speaker}> `);
  };
  prompt();
  for await (const rawLine of rl) {
    const m = SPEAKER.exec(rawLine);
    let line = rawLine;
    if (m?.[1] && m[2] !== undefined) {
      speaker = m[1];
      line = m[2];
    }
    const text = line.replace(/\\n/g, "\n");
    if (text.trim() !== "") yield { speaker, text, line };
    prompt();
  }
}
