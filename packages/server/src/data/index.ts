export { sqlLimitsFrom, WorkspaceData, type DataTable, type WorkspaceDataOptions } from "./workspace-data.ts";
export { formatOf, tableNameFor, importFormats } from "./data-formats.ts";
export { findCsvShapeProblem } from "./csv-shape.ts";
