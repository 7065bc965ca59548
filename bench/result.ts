// Benchmarks write one JSON file each to bench/results/, with the machine they
// ran on, so a number is never quoted without its context.
import { cpus, totalmem } from "node:os";
import { writeFileAtomic } from "../src/util/files.js";
import { tinymlVersion } from "../src/paths.js";

export function writeResult(name: string, data: Record<string, unknown>): string {
  const path = new URL(`./results/${name}.json`, import.meta.url).pathname;
  const doc = {
    benchmark: name,
    tinyml: tinymlVersion,
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    ...data,
  };
  writeFileAtomic(path, `${JSON.stringify(doc, null, 2)}\n`);
  return path;
}
