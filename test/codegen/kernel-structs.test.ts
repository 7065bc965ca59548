// The kernel param structs are defined once (src/codegen/aot/kernel-structs.ts):
// the committed header must be what the table generates, and the initializers
// the emitters write must land every value in its field — checked with the
// real compiler reading the real header.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import {
  KERNEL_STRUCTS, KERNEL_STRUCT_ALIASES, STRUCT_BEGIN, STRUCT_END, kernelParams, regenerateKernelHeader, structTypedef,
  type KernelStruct, type StructValue,
} from "../../src/codegen/aot/kernel-structs.js";
import { requireTool } from "../cli.js";
import { KERNELS_DIR, STRICT_C } from "./helpers.js";

const headerPath = join(KERNELS_DIR, "tml_kernels.h");
const dir = mkdtempSync(join(tmpdir(), "tinyml-kernel-structs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("kernel param structs: one table", () => {
  it("tml_kernels.h holds exactly what the table generates (else: npm run gen:kernel-structs)", () => {
    const header = readFileSync(headerPath, "utf8");
    expect(regenerateKernelHeader(header), "tml_kernels.h is stale: run `npm run gen:kernel-structs`").toBe(header);
    for (const s of Object.keys(KERNEL_STRUCTS) as KernelStruct[]) {
      expect(header).toContain(`${STRUCT_BEGIN(s)}\n${structTypedef(s)}\n${STRUCT_END}`);
    }
    for (const [alias, target] of Object.entries(KERNEL_STRUCT_ALIASES)) expect(header).toContain(`typedef ${target} ${alias};`);
  });

  it("a hand edit inside a block is undone, a missing block is named", () => {
    const header = readFileSync(headerPath, "utf8");
    const edited = header.replace("  int32_t depth_multiplier;\n", "  int16_t depth_multiplier;\n");
    expect(edited).not.toBe(header);
    expect(regenerateKernelHeader(edited)).toBe(header);
    const start = header.indexOf(STRUCT_BEGIN("tml_pool_f32_params"));
    const end = header.indexOf(STRUCT_END, start) + STRUCT_END.length;
    expect(() => regenerateKernelHeader(header.slice(0, start) + header.slice(end))).toThrow("no generated block for tml_pool_f32_params");
  });

  it("every value an emitter gives lands in its field (gcc reads the header)", async () => {
    if (!(await requireTool("gcc", "apt-get install gcc"))) return;
    // Distinct values per field, so a swapped pair cannot pass.
    // Pointer fields name a one-element table holding their number.
    let next = 1;
    const tables: string[] = [];
    const valueOf = (s: KernelStruct): Record<string, unknown> =>
      Object.fromEntries(KERNEL_STRUCTS[s].map((f): [string, unknown] => {
        if (f.c === "tml_window") return [f.name, valueOf(f.c)];
        const n = next++;
        if (f.c.endsWith("*")) {
          tables.push(`static ${f.c.replace(" *", "")} t${n}[1] = { ${n} };`);
          return [f.name, `t${n}`];
        }
        return [f.name, n + (f.c === "float" ? 0.5 : 0)];
      }));
    const structs = Object.keys(KERNEL_STRUCTS) as KernelStruct[];
    const values = structs.map((s) => valueOf(s));
    const prints = (s: KernelStruct, expr: string): string[] =>
      KERNEL_STRUCTS[s].flatMap((f) =>
        f.c === "tml_window" ? prints(f.c, `${expr}.${f.name}`)
        : f.c.endsWith("*") ? [`  printf("%d\\n", (int)*${expr}.${f.name});`]
        : f.c === "float" ? [`  printf("%.1f\\n", (double)${expr}.${f.name});`]
        : [`  printf("%d\\n", (int)${expr}.${f.name});`]);
    const src = [
      "#include <stdio.h>",
      '#include "tml_kernels.h"',
      ...tables,
      ...structs.map((s, k) => kernelParams(s, `v${k}`, values[k] as StructValue<typeof s>)),
      "int main(void) {",
      ...structs.flatMap((s, k) => prints(s, `v${k}`)),
      "  return 0;",
      "}",
    ].join("\n");
    writeFileSync(join(dir, "structs.c"), src);
    const exe = join(dir, "structs");
    const build = await execa("gcc", [...STRICT_C, "-Wmissing-field-initializers", "-I", KERNELS_DIR, join(dir, "structs.c"), "-o", exe], { reject: false });
    expect(build.stderr).toBe("");
    const got = (await execa(exe, [])).stdout.trim().split("\n");
    const want = Array.from({ length: next - 1 }, (_, k) => k + 1);
    // Floats print with their .5, the rest as integers, in field order.
    expect(got.map((l) => Math.floor(Number(l)))).toEqual(want);
  });

  it("the value types follow the table (checked by tsc)", () => {
    const win: StructValue<"tml_window"> = {
      batches: 1, input_h: 1, input_w: 1, input_c: 1, filter_h: 1, filter_w: 1, output_h: 1, output_w: 1, output_c: 1,
      stride_h: 1, stride_w: 1, dilation_h: 1, dilation_w: 1, pad_h: 0, pad_w: 0,
    };
    // @ts-expect-error act_max is missing
    const missing: StructValue<"tml_pool_s8_params"> = { win, act_min: 0 };
    // @ts-expect-error a table is a C name, not a number
    const wrong: StructValue<"tml_conv2d_s8_params"> = { win, filter_input_c: 1, input_offset: 0, output_offset: 0, act_min: 0, act_max: 0, output_multiplier: 1, output_shift: "s" };
    // @ts-expect-error no such field
    const extra: StructValue<"tml_pool_f32_params"> = { win, act_min: 0, act_max: 1, act_mid: 0 };
    expect(() => kernelParams("tml_pool_s8_params", "p", missing)).toThrow("tml_pool_s8_params.act_max has no value");
    expect([wrong, extra]).toHaveLength(2);
  });
});
