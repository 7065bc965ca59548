// Typed access to an ONNX node's attributes; every failure names the node.

import { AttributeProto_AttributeType as A } from "onnx-buf";
import { TinymlError } from "../../errors.js";
import { hostTensor, type AttributeProto, type HostTensor, type NodeProto } from "./proto.js";

export function nodeLabel(n: NodeProto): string {
  return `node '${n.name || n.output[0] || "?"}' (${n.opType})`;
}

export class Attrs {
  private readonly byName: Map<string, AttributeProto>;

  constructor(private readonly node: NodeProto) {
    this.byName = new Map(node.attribute.map((a) => [a.name, a]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  private get(name: string, type: A): AttributeProto | undefined {
    const a = this.byName.get(name);
    if (a && a.type !== type && a.type !== A.UNDEFINED) {
      throw new TinymlError("TML_E_MODEL_INVALID", `${nodeLabel(this.node)}: attribute '${name}' has type ${A[a.type]}, expected ${A[type]}`, {
        location: { detail: nodeLabel(this.node) },
        hint: "The model does not follow the ONNX operator schema; export it again.",
      });
    }
    return a;
  }

  int(name: string, def: number): number {
    const a = this.get(name, A.INT);
    return a ? Number(a.i) : def;
  }

  float(name: string, def: number): number {
    const a = this.get(name, A.FLOAT);
    return a ? a.f : def;
  }

  string(name: string, def: string): string {
    const a = this.get(name, A.STRING);
    return a ? new TextDecoder().decode(a.s) : def;
  }

  ints(name: string): number[] | undefined {
    const a = this.get(name, A.INTS);
    return a ? a.ints.map(Number) : undefined;
  }

  floats(name: string): number[] | undefined {
    const a = this.get(name, A.FLOATS);
    return a ? [...a.floats] : undefined;
  }

  tensor(name: string): HostTensor | undefined {
    const a = this.get(name, A.TENSOR);
    return a?.t ? hostTensor(a.t, undefined, `${nodeLabel(this.node)} attribute '${name}'`) : undefined;
  }
}
