// Vitest setup file: every test file's temporary folders go when the file is done. Hooks of
// a setup file register first, so this afterAll runs after the file's own (which close servers).
import { afterAll } from "vitest";
import { removeTemporaryDirs } from "./temporary.ts";

afterAll(removeTemporaryDirs);
