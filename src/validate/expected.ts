// What the device should answer: the bit-exact host reference's outputs for
// each case (computed once, shared by every board of a rig), and, with a
// float model, that model's outputs on the same inputs dequantized.
import { TinymlError } from "../errors.js";
import { bytesOf } from "../model/dtype.js";
import { mainGraph } from "../model/graph.js";
import type { Graph } from "../model/ir.js";
import type { LoadedModel } from "../model/load.js";
import { prepareReference, type ReferenceInterpreter } from "../reference/interpreter.js";
import { dequantize } from "./compare.js";
import type { TestCase } from "./inputs.js";

export interface Expectations {
  /** The reference's output bytes for a case (the first invoke from the model's initial state). */
  outputs(c: TestCase): Uint8Array[];
  /**
   * The expectations of one device session. A model with state (variable
   * tensors, custom ops such as the audio frontend's noise estimate) answers
   * after every invoke the device made, so the session replays them: it starts
   * from the initial state, as the device does when a session opens.
   */
  session(): ExpectationSession;
  /** The float model's outputs (real values) for a case, or undefined without --float-model. */
  floatOutputs(c: TestCase): number[][] | undefined;
}

export interface ExpectationSession {
  /** The outputs after the device invoked case `c` `invokes` times (warm-ups included). */
  outputs(c: TestCase, invokes: number): Uint8Array[];
  /** The device re-initialised its model (a new session after a reset). */
  reset(): void;
}

/** Whether outputs can depend on earlier invokes. */
export function hasState(graph: Graph): boolean {
  return graph.tensors.some((t) => t.isVariable) || graph.ops.some((op) => op.kind === "custom");
}

export function referenceExpectations(loaded: LoadedModel, floatModel?: LoadedModel): Expectations {
  const graph = mainGraph(loaded.model);
  const stateful = hasState(graph);
  let interp: ReferenceInterpreter | undefined;
  let floatInterp: ReferenceInterpreter | undefined;
  const cache = new Map<string, Uint8Array[]>();
  const floatCache = new Map<string, number[][]>();
  const floatGraph = floatModel ? mainGraph(floatModel.model) : undefined;
  if (floatGraph) checkFloatModel(graph, floatGraph, floatModel!.path);
  return {
    outputs(c) {
      let out = cache.get(c.name);
      if (!out) {
        interp ??= withFile(() => prepareReference(loaded.model), loaded.path);
        // Copies: the interpreter reuses its buffers on the next invoke.
        out = interp.invoke(c.data).map((v) => bytesOf(v).slice());
        cache.set(c.name, out);
      }
      return out;
    },
    session() {
      if (!stateful) return { outputs: (c) => this.outputs(c), reset: () => undefined };
      let replay: ReferenceInterpreter | undefined;
      return {
        outputs(c, invokes) {
          replay ??= withFile(() => prepareReference(loaded.model), loaded.path);
          let out: Uint8Array[] = [];
          for (let i = 0; i < Math.max(1, invokes); i++) out = replay.invoke(c.data).map((v) => bytesOf(v).slice());
          return out;
        },
        reset() {
          replay = undefined;
        },
      };
    },
    floatOutputs(c) {
      if (!floatModel || !floatGraph) return undefined;
      let out = floatCache.get(c.name);
      if (!out) {
        floatInterp ??= withFile(() => prepareReference(floatModel.model), floatModel.path);
        const inputs = floatGraph.inputs.map((ti, k) => {
          const ft = floatGraph.tensors[ti]!;
          const qt = graph.tensors[graph.inputs[k]!]!;
          // The float model takes real values: dequantize the int8 case input.
          return ft.dtype === qt.dtype ? c.data[k]! : Float32Array.from(dequantize(qt, c.data[k]!));
        });
        out = floatInterp.invoke(inputs).map((v, k) => dequantize(floatGraph.tensors[floatGraph.outputs[k]!]!, bytesOf(v)));
        floatCache.set(c.name, out);
      }
      return out;
    },
  };
}

function withFile<T>(fn: () => T, file: string): T {
  try {
    return fn();
  } catch (e) {
    throw e instanceof TinymlError ? e.withFile(file) : e;
  }
}

function checkFloatModel(graph: Graph, floatGraph: Graph, path: string): void {
  const shapes = (g: Graph, list: number[]): string => list.map((i) => `[${g.tensors[i]!.shape.join(",")}]`).join(" ");
  const same = (a: number[], b: number[]): boolean =>
    a.length === b.length && a.every((ti, k) => floatGraph.tensors[b[k]!]!.shape.join(",") === graph.tensors[ti]!.shape.join(","));
  if (!same(graph.inputs, floatGraph.inputs) || !same(graph.outputs, floatGraph.outputs)) {
    throw new TinymlError("TML_E_INPUT_MISMATCH", `the float model's inputs/outputs ${shapes(floatGraph, floatGraph.inputs)} → ${shapes(floatGraph, floatGraph.outputs)} do not match the model's ${shapes(graph, graph.inputs)} → ${shapes(graph, graph.outputs)}`, {
      location: { file: path },
      hint: "--float-model must be the float model the int8 model was quantized from",
    });
  }
}
