// Where each vendor family's build system expects sources. ESP-IDF compiles
// what main/CMakeLists.txt lists (any tree under main/); arduino-cli compiles
// only the sketch folder and its src/ subtree, includes by the file's own
// directory, and (before 1.0) ignores .cc files; the coralmicro project is
// plain CMake. The layout is keyed by family, the template set a board
// names, so adding a board of a known family needs no code.

import type { BoardFamily } from "../boards/board.js";

export interface FamilyLayout {
  /** Where manifest sources are written, relative to the project (may use {{sketch}}). */
  sourceRoot: string;
  /** Where the build files list sources from (SRCS in main/CMakeLists.txt are relative to main/). */
  listRoot: string;
  /** Put every source directly in sourceRoot: quoted includes then resolve without -I flags. */
  flatten: boolean;
  /** Extensions the family's build does not compile, renamed on the way in. */
  rename: Readonly<Record<string, string>>;
}

export const FAMILY_LAYOUTS: Partial<Record<BoardFamily, FamilyLayout>> = {
  "esp-idf": { sourceRoot: "main", listRoot: "main", flatten: false, rename: {} },
  arduino: { sourceRoot: "{{sketch}}/src", listRoot: "{{sketch}}", flatten: true, rename: { ".cc": ".cpp" } },
  coralmicro: { sourceRoot: "src", listRoot: ".", flatten: false, rename: {} },
};

/** The name of the project, the ESP-IDF/CMake executable and the Arduino sketch. */
export const PROJECT_NAME = "tinyml_app";
