// Where the package's own files live. This module sits directly in src/, and
// the bundle sits directly in dist/, so "../" is the package root in both.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const packageRoot: string = fileURLToPath(new URL("..", import.meta.url));

export function packagePath(...parts: string[]): string {
  return [packageRoot.replace(/\/$/, ""), ...parts].join("/");
}

const pkg = JSON.parse(readFileSync(packagePath("package.json"), "utf8")) as { version: string };

/** The tinyml version, stamped into every generated file and firmware. */
export const tinymlVersion: string = pkg.version;
