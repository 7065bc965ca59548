// The build directory every command that builds, flashes or watches a board
// agrees on: --build-dir, else build/<board> under the current directory.

import { join } from "node:path";

export function buildDirArg(boardId: string, given: string | undefined): string {
  return given ?? join("build", boardId);
}
