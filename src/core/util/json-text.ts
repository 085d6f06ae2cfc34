import { UsageError } from "../errors.ts";

/** Where a text starts in its file, for positions inside it (an NDJSON line: its line number). */
export interface TextStart {
  line: number;
}

/**
 * Parses JSON a user gave (a file, an option, a line of NDJSON). A leading byte order mark is
 * skipped. Text that is not JSON is a UsageError of one line naming `what` and where it stops
 * being JSON, `config file a.json is not valid JSON at line 3 column 12`: Node's own message
 * quotes the text, line breaks and all, and on Node 20 often gives no position.
 */
export function parseJsonText(text: string, what: string, start: TextStart = { line: 1 }): unknown {
  const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(json);
  } catch {
    throw new UsageError(`${what} is not valid JSON ${positionText(json, jsonErrorOffset(json), start)}`);
  }
}

function positionText(text: string, offset: number, start: TextStart): string {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  let line = start.line;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  const where = `at line ${line} column ${offset - lineStart + 1}`;
  return offset >= text.length ? `${where} (it ends too early)` : where;
}

const SPACE = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/**
 * The offset at which `text` stops being JSON (RFC 8259), for a text JSON.parse refused; the
 * text's length when it ends too early. Iterative, so a deeply nested text cannot overflow the stack.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const open: string[] = [];
  const skipSpace = () => {
    while (SPACE.has(text[i] as string)) i++;
  };
  const string = (): boolean => {
    i++; // the opening quote
    for (;;) {
      const c = text[i];
      if (c === undefined || c < " ") return false;
      if (c === '"') {
        i++;
        return true;
      }
      if (c === "\\") {
        i++;
        if (text[i] === "u") {
          for (let k = 0; k < 4; k++) if (!isHex(text[++i])) return false;
        } else if (!ESCAPES.has(text[i] as string)) return false;
      }
      i++;
    }
  };
  const digits = (): boolean => {
    if (!isDigit(text[i])) return false;
    while (isDigit(text[i])) i++;
    return true;
  };
  const number = (): boolean => {
    if (text[i] === "-") i++;
    if (text[i] === "0") i++;
    else if (!digits()) return false;
    if (text[i] === ".") {
      i++;
      if (!digits()) return false;
    }
    if (text[i] === "e" || text[i] === "E") {
      i++;
      if (text[i] === "+" || text[i] === "-") i++;
      if (!digits()) return false;
    }
    return true;
  };
  const word = (w: string): boolean => {
    for (const c of w) {
      if (text[i] !== c) return false;
      i++;
    }
    return true;
  };
  const scalar = (): boolean => {
    const c = text[i];
    if (c === '"') return string();
    if (c === "t") return word("true");
    if (c === "f") return word("false");
    if (c === "n") return word("null");
    return c === "-" || isDigit(c) ? number() : false;
  };
  const key = (): boolean => {
    skipSpace();
    if (text[i] !== '"' || !string()) return false;
    skipSpace();
    if (text[i] !== ":") return false;
    i++;
    return true;
  };
  for (;;) {
    // A value is expected at i.
    skipSpace();
    const c = text[i];
    if (c === "{" || c === "[") {
      i++;
      skipSpace();
      if (text[i] === (c === "{" ? "}" : "]")) i++;
      else {
        open.push(c);
        if (c === "{" && !key()) return Math.min(i, text.length);
        continue;
      }
    } else if (!scalar()) return Math.min(i, text.length);
    // After a value: close what it ends, or go on after a comma.
    for (;;) {
      skipSpace();
      const container = open.at(-1);
      if (container === undefined) return Math.min(i, text.length);
      if (text[i] === ",") {
        i++;
        if (container === "{" && !key()) return Math.min(i, text.length);
        break;
      }
      if (text[i] !== (container === "{" ? "}" : "]")) return Math.min(i, text.length);
      i++;
      open.pop();
    }
  }
}
