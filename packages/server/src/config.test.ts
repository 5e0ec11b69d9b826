import { expect, test } from "vitest";
import { ConfigError, loadConfig, settings } from "./config.ts";

test("explicit options win over the environment, which wins over defaults", () => {
  expect(loadConfig({}, {}).port).toBe(3000);
  expect(loadConfig({}, { PORT: "4000" }).port).toBe(4000);
  expect(loadConfig({ port: 5000 }, { PORT: "4000" }).port).toBe(5000);
  expect(loadConfig({}, { COCANVAS_ALLOW_SIGNUP: "off" }).allowSignup).toBe(false);
  expect(loadConfig({}, { COCANVAS_DATA_DIR: "relative/data" }).dataDir).toMatch(/^\/.*relative\/data$/);
});

test("a bad value is an error that names the variable", () => {
  expect(() => loadConfig({}, { PORT: "eighty" })).toThrow(ConfigError);
  expect(() => loadConfig({}, { PORT: "eighty" })).toThrow(/PORT="eighty"/);
  expect(() => loadConfig({}, { COCANVAS_ALLOW_SIGNUP: "maybe" })).toThrow(/COCANVAS_ALLOW_SIGNUP/);
});

test("every setting has an env name and a description", () => {
  for (const setting of Object.values(settings)) {
    expect(setting.env).toMatch(/^[A-Z_]+$/);
    expect(setting.description.length).toBeGreaterThan(10);
  }
});
