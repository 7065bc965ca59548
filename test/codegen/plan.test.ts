// The memory planner: lifetimes, greedy placement, aliasing, scratch, and
// the shared models' plans against the arena TFLM needs for them.
import { describe, expect, it } from "vitest";
import { planArena } from "../../src/codegen/plan/index.js";
import { mainGraph } from "../../src/model/graph.js";
import type { Graph, Tensor } from "../../src/model/ir.js";
import { loadModel } from "../../src/model/load.js";
import { loadGolden, modelPath, type SharedModel } from "../fixtures.js";

const t = (name: string, n: number, data?: Uint8Array): Tensor => ({ name, dtype: "int8", shape: [n], isVariable: false, ...(data ? { data } : {}) });

/** in(100) -relu-> a(50) -reshape-> b(50) -relu-> c(30) -relu-> out(10) */
function chain(): Graph {
  return {
    name: "chain",
    tensors: [t("in", 100), t("a", 50), t("b", 50), t("c", 30), t("out", 10), t("shape", 1, new Uint8Array(1))],
    inputs: [0],
    outputs: [4],
    ops: [
      { kind: "builtin", type: "RELU", options: {}, inputs: [0], outputs: [1], version: 1 },
      { kind: "builtin", type: "RESHAPE", options: { newShape: [50] }, inputs: [1, 5], outputs: [2], version: 1 },
      { kind: "builtin", type: "RELU", options: {}, inputs: [2], outputs: [3], version: 1 },
      { kind: "builtin", type: "RELU", options: {}, inputs: [3], outputs: [4], version: 1 },
    ],
  };
}

describe("planArena", () => {
  it("aliases RESHAPE, reuses dead buffers, aligns to 16 and keeps constants out", () => {
    const p = planArena(chain());
    expect(p.aliased).toEqual([false, true, false, false]);
    expect(p.tensorOffsets[1]).toBe(p.tensorOffsets[2]);
    expect(p.tensorOffsets[5]).toBe(-1);
    for (const o of p.tensorOffsets) expect(o % 16 === 0 || o === -1).toBe(true);
    // Step 0 holds in (112) + a (64): the busiest step, and the plan reaches it.
    expect(p.lowerBoundBytes).toBe(176);
    expect(p.arenaBytes).toBe(176);
  });

  it("places a scratch buffer live only during its op", () => {
    const p = planArena(chain(), { scratchBytes: (_op, i) => (i === 2 ? 40 : 0) });
    expect(p.scratchOffsets[2]).toBeGreaterThanOrEqual(0);
    expect(p.scratchOffsets.filter((o) => o >= 0)).toHaveLength(1);
    const s = p.buffers.find((b) => b.kind === "scratch")!;
    expect([s.firstUse, s.lastUse]).toEqual([2, 2]);
    // Step 2: b (64) + c (32) + scratch (48).
    expect(p.lowerBoundBytes).toBe(176);
  });

  it("never overlaps two buffers that are live at the same step", () => {
    const p = planArena(chain(), { aliasViews: false });
    for (const a of p.buffers) {
      for (const b of p.buffers) {
        if (a === b || a.lastUse < b.firstUse || b.lastUse < a.firstUse) continue;
        expect(a.offset + a.alignedBytes <= b.offset || b.offset + b.alignedBytes <= a.offset).toBe(true);
      }
    }
  });

  const shared: SharedModel[] = ["hello_world_int8", "micro_speech_quantized", "person_detect", "audio_preprocessor_int8"];
  it.each(shared)("plans %s in no more arena than TFLM uses", async (name) => {
    const g = mainGraph((await loadModel(modelPath(name))).model);
    const p = planArena(g);
    const tflm = loadGolden(name).arena_used_bytes_host64;
    expect(p.arenaBytes).toBeLessThanOrEqual(tflm);
    expect(p.arenaBytes).toBeGreaterThanOrEqual(p.lowerBoundBytes);
    console.log(`${name}: plan ${p.arenaBytes} B (lower bound ${p.lowerBoundBytes}) vs TFLM ${tflm} B: ${tflm - p.arenaBytes} B smaller`);
  });
});
