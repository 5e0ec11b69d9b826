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

test("the README's configuration table lists every setting with its default", async () => {
  const { readFileSync } = await import("node:fs");
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  for (const setting of Object.values(settings)) {
    const row = readme.split("\n").find((line) => line.startsWith(`| \`${setting.env}\` |`));
    expect(row, `${setting.env} is in the README`).toBeDefined();
    const shown = row!.split("|")[2]!.trim().replace(/`/g, "");
    expect(shown === String(setting.default) || (setting.default === "" && shown === "(empty)"), `${setting.env} default`).toBe(true);
  }
});

test("cookies are Secure by default when the public URL is https, unless set", () => {
  expect(loadConfig({}, {}).secureCookies).toBe(false);
  expect(loadConfig({}, { COCANVAS_PUBLIC_URL: "http://cocanvas.example" }).secureCookies).toBe(false);
  expect(loadConfig({}, { COCANVAS_PUBLIC_URL: "https://cocanvas.example" }).secureCookies).toBe(true);
  expect(loadConfig({}, { COCANVAS_PUBLIC_URL: "https://cocanvas.example", COCANVAS_SECURE_COOKIES: "false" }).secureCookies).toBe(false);
  expect(loadConfig({ secureCookies: false }, { COCANVAS_PUBLIC_URL: "https://cocanvas.example" }).secureCookies).toBe(false);
  expect(loadConfig({ publicUrl: "https://cocanvas.example" }, {}).secureCookies).toBe(true);
});
