// The compile step's progress line: `[n/N] file` as each source finishes
// (from the object cache or the compiler), then one summary line.

import type { FirmwareRequest } from "../firmware-project/request.js";
import { progressBar, type Progress } from "./progress.js";

export function compileProgress(boardId: string, stream: NodeJS.WriteStream = process.stderr): {
  onCompile: NonNullable<FirmwareRequest["onCompile"]>;
  finish(counts?: { compiled: number; cached: number }): void;
} {
  let bar: Progress | undefined;
  return {
    onCompile(done, total, source) {
      bar ??= progressBar(`compiling for ${boardId}`, stream);
      bar.update(done, total, source.split("/").slice(-2).join("/"));
    },
    finish(counts) {
      if (!bar) return;
      bar.done(counts ? `${counts.compiled} compiled, ${counts.cached} from the object cache` : undefined);
    },
  };
}
