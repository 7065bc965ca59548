// model_data.h / model_data.c: the model file as a 16-byte-aligned C array,
// named as TFLM's examples name theirs (g_<name>_model_data and
// g_<name>_model_data_size), for the interpreter runtime to read in place.

import { initializerLines } from "./c-syntax.js";
import { provenanceComment, type Provenance } from "./provenance.js";

export interface GeneratedFile {
  /** Path relative to the project directory. */
  path: string;
  text: string;
}

/**
 * C99 has no alignas and C11's _Alignas is a constraint violation under
 * -std=c99 -pedantic; GCC/Clang's attribute, MSVC's declspec and C++11's
 * alignas cover every compiler tinyml's boards use.
 */
export const ALIGN_MACRO = `#ifndef TML_ALIGNAS
#if defined(__cplusplus) && __cplusplus >= 201103L
#define TML_ALIGNAS(n) alignas(n)
#elif defined(__GNUC__) || defined(__clang__)
#define TML_ALIGNAS(n) __attribute__((aligned(n)))
#elif defined(_MSC_VER)
#define TML_ALIGNAS(n) __declspec(align(n))
#else
#define TML_ALIGNAS(n)
#endif
#endif`;

/** `name` must already be a C identifier (see cIdentifier). */
export function modelDataFiles(name: string, bytes: Uint8Array, prov: Provenance): GeneratedFile[] {
  const guard = `TML_${name.toUpperCase()}_MODEL_DATA_H`;
  const header = [
    provenanceComment(prov, "The model flatbuffer as a constant array (flash)."),
    `#ifndef ${guard}`,
    `#define ${guard}`,
    "",
    ALIGN_MACRO,
    "",
    "#ifdef __cplusplus",
    'extern "C" {',
    "#endif",
    "",
    `extern const unsigned char g_${name}_model_data[];`,
    `extern const unsigned int g_${name}_model_data_size;`,
    "",
    "#ifdef __cplusplus",
    "}",
    "#endif",
    "",
    `#endif /* ${guard} */`,
    "",
  ].join("\n");
  const hex = Array.from(bytes, (b) => `0x${b.toString(16).padStart(2, "0")}`);
  const source = [
    provenanceComment(prov),
    '#include "model_data.h"',
    "",
    // TFLM reads flatbuffer scalars in place; 16 bytes covers every type.
    `TML_ALIGNAS(16) const unsigned char g_${name}_model_data[${bytes.length}] = {`,
    initializerLines(hex, 12),
    "};",
    `const unsigned int g_${name}_model_data_size = ${bytes.length}u;`,
    "",
  ].join("\n");
  return [
    { path: "model_data.h", text: header },
    { path: "model_data.c", text: source },
  ];
}
