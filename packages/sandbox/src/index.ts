// Any new export added here becomes public API of the sandbox package. Use named exports.
export { SandboxError, type SandboxErrorCode } from "./sandbox-error.ts";
export { runPython, pythonStatus, defaultPythonLimits, type PythonRun, type PythonResult, type PythonLimits, type PythonStatus } from "./python-sandbox.ts";
export { runJavaScript, defaultJavaScriptLimits, type JavaScriptResult, type JavaScriptLimits } from "./javascript-sandbox.ts";
export { SqlDatabase, defaultSqlLimits, type SqlLimits, type SqlResult, type TableInfo, type ImportFormat } from "./sql-database.ts";
