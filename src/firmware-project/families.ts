// What differs between board families, as data. Every family goes through
// the same stage (build.ts): manifest → write → compile → measure. A family
// says where the manifest's files land, who owns main(), who compiles
// (tinyml's native driver, or the vendor's tool) and which images a native
// build links. Adding a board of a known family needs no code.
//
// ESP-IDF compiles what main/CMakeLists.txt lists (any tree under main/);
// arduino-cli compiles only the sketch folder and its src/ subtree, includes
// by the file's own directory, and (before 1.0) ignores .cc files; coralmicro
// is plain CMake; host and bare-metal projects are compiled by tinyml with
// the logical layout as is.

import type { BoardFamily } from "../boards/board.js";

/** Source groups: flags are given per group, so a group's objects stay cacheable across models. */
export type SourceGroup = "model" | "kernels" | "runtime" | "app" | "hal" | "entry" | "harness" | "tflm";

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

/** One image a native build links, from the objects of some groups. */
export interface NativeImage {
  /** File name in the project directory. */
  output: string;
  groups: readonly SourceGroup[];
  /** A linker script rendered from the family's templates (bare metal). */
  linkerScript?: string;
  /** Write a link map beside the image. */
  map?: boolean;
  /** The image `tinyml test` and `flash` run. */
  primary?: boolean;
}

export interface FamilyProfile {
  layout: FamilyLayout;
  /** tinyml's firmware/runtime/tml_main.c is main(); vendor SDKs own main() and call the family's entry. */
  ownsMain: boolean;
  /** tinyml runs the compiler (host cc, arm-none-eabi-gcc), or the vendor's build tool does. */
  compiler: "native" | "vendor";
  /** Native families: the images linked from the compiled groups. */
  images: readonly NativeImage[];
  /**
   * Entries of the previous project the vendor tool builds incrementally in:
   * carried into the new project instead of rebuilt from nothing.
   */
  vendorState: readonly string[];
  /** Entries a user puts in the project directory on purpose (an SDK checkout): kept, never refused. */
  userEntries: readonly string[];
  /** Defines the TFLM glue needs for the TFLM the family's SDK bundles (its API generation). */
  tflmDefines?: Readonly<Record<string, string>>;
}

const IDENTITY: FamilyLayout = { sourceRoot: ".", listRoot: ".", flatten: false, rename: {} };
const FIRMWARE_GROUPS: readonly SourceGroup[] = ["model", "kernels", "tflm", "runtime", "app", "hal", "entry"];

/** The host app executable and the bare-metal ELF. */
export const HOST_FIRMWARE = "firmware";
export const FIRMWARE_ELF = "firmware.elf";
/** The host's file harness: reads input tensor files, writes outputs, times each invoke. */
export const HOST_HARNESS = "model";

export const FAMILIES: Readonly<Record<BoardFamily, FamilyProfile>> = {
  host: {
    layout: IDENTITY, ownsMain: true, compiler: "native", vendorState: [], userEntries: [],
    images: [
      { output: HOST_HARNESS, groups: ["model", "kernels", "tflm", "harness"] },
      { output: HOST_FIRMWARE, groups: FIRMWARE_GROUPS, primary: true },
    ],
  },
  baremetal: {
    layout: IDENTITY, ownsMain: true, compiler: "native", vendorState: [], userEntries: [],
    images: [{ output: FIRMWARE_ELF, groups: FIRMWARE_GROUPS, linkerScript: "link.ld", map: true, primary: true }],
  },
  "esp-idf": {
    layout: { sourceRoot: "main", listRoot: "main", flatten: false, rename: {} },
    ownsMain: false, compiler: "vendor", images: [],
    vendorState: ["build", "sdkconfig", "sdkconfig.old", "managed_components", "dependencies.lock"], userEntries: [],
  },
  arduino: {
    layout: { sourceRoot: "{{sketch}}/src", listRoot: "{{sketch}}", flatten: true, rename: { ".cc": ".cpp" } },
    ownsMain: false, compiler: "vendor", images: [], vendorState: ["out"], userEntries: [],
  },
  coralmicro: {
    layout: { sourceRoot: "src", listRoot: ".", flatten: false, rename: {} },
    // The SDK may be cloned into the project as coralmicro/ (Google's out-of-tree sample does).
    ownsMain: false, compiler: "vendor", images: [], vendorState: ["out"], userEntries: ["coralmicro"],
    // coralmicro pins tflite-micro 24c0850 (July 2022): the interpreter's older constructor.
    tflmDefines: { TML_TFLM_2022_API: "1" },
  },
};

/** The name of the project, the ESP-IDF/CMake executable and the Arduino sketch. */
export const PROJECT_NAME = "tinyml_app";
