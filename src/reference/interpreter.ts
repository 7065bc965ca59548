// The host reference interpreter: runs the first graph of a Model op by op
// with the TypeScript kernels in ./kernels, bit-exact with TFLM's reference
// kernels. `prepareReference` pays for every kernel's prepare once (the
// multipliers and shifts the C generator will also emit); `invoke` runs the
// graph. Variable tensors keep their values across invokes of one prepared
// interpreter, as TFLM's do.

import { TinymlError } from "../errors.js";
import { allocTyped, dtypeBytes, typedView, type NumericArray } from "../model/dtype.js";
import { mainGraph, numElements } from "../model/graph.js";
import { opTypeName, type CustomOp, type Graph, type Model, type Tensor } from "../model/ir.js";
import type { BuiltinOpType } from "../model/ops.js";
import type { CustomKernel, ErasedKernel, EvalIO, PreparedOp } from "./kernel.js";
import { erase } from "./kernel.js";
import { BUILTIN_KERNELS } from "./kernels/index.js";

/** Builtin op types the reference interpreter runs (`tinyml inspect` shows this). */
export const REFERENCE_OPS: ReadonlySet<BuiltinOpType> = new Set(Object.keys(BUILTIN_KERNELS) as BuiltinOpType[]);

const CUSTOM_KERNELS = new Map<string, ErasedKernel<CustomOp>>();
const customNames = new Set<string>();

/** Custom op names the reference runs (a live view: registration adds to it). */
export const REFERENCE_CUSTOM_OPS: ReadonlySet<string> = customNames;

/** Registers the kernel for custom op `name` (e.g. the audio frontend's Signal* ops). */
export function registerCustomKernel<P>(name: string, kernel: CustomKernel<P>): void {
  CUSTOM_KERNELS.set(name, erase(kernel));
  customNames.add(name);
}

/** Whether the reference can run this op type (`CONV_2D` or `CUSTOM:<name>`). */
export function referenceSupports(opType: string): boolean {
  if (opType.startsWith("CUSTOM:")) return CUSTOM_KERNELS.has(opType.slice("CUSTOM:".length));
  return REFERENCE_OPS.has(opType as BuiltinOpType);
}

function supportedList(): string {
  return [...REFERENCE_OPS, ...[...CUSTOM_KERNELS.keys()].map((n) => `CUSTOM:${n}`)].sort().join(", ");
}

/** One input: raw little-endian bytes, or a typed array of the tensor's dtype. */
export type ReferenceInput = Uint8Array | NumericArray;

interface PreparedNode {
  op: PreparedOp;
  io: EvalIO;
}

export class ReferenceInterpreter {
  readonly model: Model;
  readonly graph: Graph;
  /** Storage of every tensor, indexed like graph.tensors. */
  readonly buffers: NumericArray[];
  /** Each op's prepared params (plain data), in execution order. */
  readonly params: unknown[];
  private readonly nodes: PreparedNode[];

  constructor(model: Model) {
    this.model = model;
    this.graph = mainGraph(model);
    this.buffers = this.graph.tensors.map(storageFor);
    this.nodes = this.graph.ops.map((op, opIndex) => {
      const ctx = {
        opIndex,
        graph: this.graph,
        inputs: op.inputs.map((i) => (i < 0 ? undefined : this.graph.tensors[i])),
        outputs: op.outputs.map((i) => this.graph.tensors[i]!),
      };
      let prepared: PreparedOp;
      if (op.kind === "builtin") {
        const kernel = BUILTIN_KERNELS[op.type];
        if (!kernel) throw unsupported(opIndex, opTypeName(op));
        prepared = kernel.prepare({ ...ctx, op });
      } else {
        const kernel = CUSTOM_KERNELS.get(op.name);
        if (!kernel) throw unsupported(opIndex, opTypeName(op));
        prepared = kernel.prepare({ ...ctx, op });
      }
      const io: EvalIO = {
        inputs: op.inputs.map((i) => (i < 0 ? undefined : this.buffers[i])),
        outputs: op.outputs.map((i) => this.buffers[i]!),
      };
      return { op: prepared, io };
    });
    this.params = this.nodes.map((n) => n.op.params);
  }

  /** Runs the graph once; returns copies of the output tensors. */
  invoke(inputs: ReadonlyArray<ReferenceInput>): NumericArray[] {
    const g = this.graph;
    if (inputs.length !== g.inputs.length) {
      throw new TinymlError("TML_E_INPUT_MISMATCH", `the model has ${g.inputs.length} input(s), ${inputs.length} given`);
    }
    g.inputs.forEach((ti, k) => setInput(g.tensors[ti]!, this.buffers[ti]!, inputs[k]!, k));
    for (const n of this.nodes) n.op.run(n.io);
    return g.outputs.map((ti) => this.buffers[ti]!.slice());
  }
}

function unsupported(opIndex: number, type: string): TinymlError {
  return new TinymlError("TML_E_OP_UNSUPPORTED", `op ${opIndex} (${type}) is not supported by the reference interpreter`, {
    location: { detail: `subgraph 0, op ${opIndex} (${type})` },
    hint: `The reference interpreter supports: ${supportedList()}.`,
  });
}

/** Constants get a copy of their bytes; variables start from theirs (or zeros). */
function storageFor(t: Tensor): NumericArray {
  const n = numElements(t.shape);
  if (t.data) return typedView(t.dtype, t.data.slice(0, n * dtypeBytes(t.dtype)));
  return allocTyped(t.dtype, n);
}

function setInput(t: Tensor, buffer: NumericArray, value: ReferenceInput, k: number): void {
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const src = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  const typedOk = value instanceof Uint8Array || value.constructor === buffer.constructor;
  if (!typedOk || src.byteLength !== bytes.byteLength) {
    const got = value instanceof Uint8Array ? `${value.byteLength} bytes` : `${value.constructor.name} of ${value.length} elements`;
    throw new TinymlError(
      "TML_E_INPUT_MISMATCH",
      `input ${k} ('${t.name}') expects ${t.dtype} [${t.shape.join(", ")}] (${bytes.byteLength} bytes), got ${got}`,
    );
  }
  bytes.set(src);
}

/** Prepares the first graph of `model` for repeated invokes. */
export function prepareReference(model: Model): ReferenceInterpreter {
  return new ReferenceInterpreter(model);
}

/** Prepares (unless given a prepared interpreter) and runs the model once. */
export function runReference(model: Model | ReferenceInterpreter, inputs: ReadonlyArray<ReferenceInput>): NumericArray[] {
  const interp = model instanceof ReferenceInterpreter ? model : prepareReference(model);
  return interp.invoke(inputs);
}
