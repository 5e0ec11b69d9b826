import fs from "node:fs";

/** Where a delimited file stops having the shape of its header. */
export interface CsvShapeProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * Reads a CSV/TSV file once, quote-aware, and finds the first row whose number of fields
 * differs from the header's, or a quoted field that never closes. Used only after an
 * import failed, to tell the person the line and column (DuckDB's sniffer reports "could
 * not detect the dialect" without either).
 */
export async function findCsvShapeProblem(file: string, delimiter: "," | "\t"): Promise<CsvShapeProblem | null> {
  let line = 1;
  let fields = 1;
  let expected = 0;
  let quoted = false;
  let quoteStart = { line: 0, column: 0 };
  let previous = "";
  let atFieldStart = true;
  for await (const chunk of fs.createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 })) {
    for (const char of chunk as string) {
      if (quoted) {
        if (char === '"') quoted = false;
        else if (char === "\n") line++;
      } else if (char === '"' && atFieldStart) {
        quoted = true;
        quoteStart = { line, column: fields };
      } else if (char === delimiter) {
        fields++;
        atFieldStart = true;
        previous = char;
        continue;
      } else if (char === "\n") {
        const rowFields = previous === "" && fields === 1 ? 0 : fields; // a blank line has no fields
        if (line === 1) expected = rowFields;
        else if (rowFields !== 0 && rowFields !== expected) {
          return { line, column: Math.min(rowFields, expected) + (rowFields > expected ? 1 : 0), message: `line ${line} has ${rowFields} fields where the header has ${expected}` };
        }
        line++;
        fields = 1;
        atFieldStart = true;
        previous = "";
        continue;
      }
      if (char !== "\r") atFieldStart = false;
      previous = char;
    }
  }
  if (quoted) return { line: quoteStart.line, column: quoteStart.column, message: `a quoted field that starts on line ${quoteStart.line} (column ${quoteStart.column}) is never closed` };
  if (previous !== "" && line > 1 && fields !== expected) {
    return { line, column: Math.min(fields, expected) + (fields > expected ? 1 : 0), message: `line ${line} has ${fields} fields where the header has ${expected}` };
  }
  return null;
}
