// A flatbuffer reader that checks every offset, length and index against the
// buffer before it reads, so a malformed or hostile file becomes a typed
// TML_E_MODEL_INVALID error instead of a RangeError, a hang or a huge
// allocation. It also meters how many elements are decoded: flatbuffers may
// point many tables at one shared vector, and without a budget a small file
// could expand into gigabytes of decoded arrays.

import { TinymlError } from "../../errors.js";

export class CheckedBuffer {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private budget: number;
  private readonly file: string | undefined;

  constructor(bytes: Uint8Array, file?: string) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.file = file;
    // Every decoded element costs one unit. A well-formed file decodes at
    // most one element per byte or so; allow generous headroom.
    this.budget = 4 * bytes.byteLength + (1 << 20);
  }

  get length(): number {
    return this.bytes.byteLength;
  }

  fail(what: string, where: string): never {
    throw new TinymlError("TML_E_MODEL_INVALID", `malformed .tflite: ${what}`, {
      location: { file: this.file, detail: where },
      hint: "The file is truncated or corrupt. Re-export it from the converter, and check the copy (size, checksum).",
    });
  }

  /** Charges `n` decoded elements against the budget. */
  charge(n: number, where: string): void {
    this.budget -= n;
    if (this.budget < 0) this.fail("the model decodes to far more data than the file holds (shared vectors)", where);
  }

  checkRange(pos: number, size: number, where: string): void {
    if (!Number.isInteger(pos) || pos < 0 || size < 0 || pos + size > this.bytes.byteLength) {
      this.fail(`${size} byte(s) at offset ${pos} lie outside the ${this.bytes.byteLength}-byte file`, where);
    }
  }

  u8(pos: number, where: string): number {
    this.checkRange(pos, 1, where);
    return this.view.getUint8(pos);
  }
  i8(pos: number, where: string): number {
    this.checkRange(pos, 1, where);
    return this.view.getInt8(pos);
  }
  u16(pos: number, where: string): number {
    this.checkRange(pos, 2, where);
    return this.view.getUint16(pos, true);
  }
  i32(pos: number, where: string): number {
    this.checkRange(pos, 4, where);
    return this.view.getInt32(pos, true);
  }
  u32(pos: number, where: string): number {
    this.checkRange(pos, 4, where);
    return this.view.getUint32(pos, true);
  }
  f32(pos: number, where: string): number {
    this.checkRange(pos, 4, where);
    return this.view.getFloat32(pos, true);
  }
  i64(pos: number, where: string): bigint {
    this.checkRange(pos, 8, where);
    return this.view.getBigInt64(pos, true);
  }
  u64(pos: number, where: string): bigint {
    this.checkRange(pos, 8, where);
    return this.view.getBigUint64(pos, true);
  }

  /** The table the root offset points at. */
  root(where: string): Table {
    return this.tableAt(this.u32(0, where), where);
  }

  tableAt(pos: number, where: string): Table {
    this.checkRange(pos, 4, where);
    const vtable = pos - this.i32(pos, where);
    this.checkRange(vtable, 4, `${where} (vtable)`);
    const vtableSize = this.u16(vtable, `${where} (vtable)`);
    const tableSize = this.u16(vtable + 2, `${where} (vtable)`);
    if (vtableSize < 4 || vtableSize % 2 !== 0) this.fail(`vtable size ${vtableSize} is invalid`, where);
    if (tableSize < 4) this.fail(`table size ${tableSize} is invalid`, where);
    this.checkRange(vtable, vtableSize, `${where} (vtable)`);
    this.checkRange(pos, tableSize, where);
    this.charge(1, where);
    return new Table(this, pos, vtable, vtableSize, tableSize, where);
  }
}

/** One flatbuffer table; field accessors take the schema's slot number and default. */
export class Table {
  constructor(
    private readonly buf: CheckedBuffer,
    readonly pos: number,
    private readonly vtable: number,
    private readonly vtableSize: number,
    private readonly tableSize: number,
    readonly where: string,
  ) {}

  /** Absolute position of field `slot`, or 0 when absent. */
  private field(slot: number, size: number): number {
    const entry = 4 + 2 * slot;
    if (entry + 2 > this.vtableSize) return 0;
    const off = this.buf.u16(this.vtable + entry, this.where);
    if (off === 0) return 0;
    if (off + size > this.tableSize) this.buf.fail(`field ${slot} overruns its table`, this.where);
    return this.pos + off;
  }

  has(slot: number): boolean {
    return this.field(slot, 1) !== 0;
  }

  u8(slot: number, def = 0): number {
    const p = this.field(slot, 1);
    return p ? this.buf.u8(p, this.where) : def;
  }
  i8(slot: number, def = 0): number {
    const p = this.field(slot, 1);
    return p ? this.buf.i8(p, this.where) : def;
  }
  bool(slot: number, def = false): boolean {
    const p = this.field(slot, 1);
    return p ? this.buf.u8(p, this.where) !== 0 : def;
  }
  i32(slot: number, def = 0): number {
    const p = this.field(slot, 4);
    return p ? this.buf.i32(p, this.where) : def;
  }
  u32(slot: number, def = 0): number {
    const p = this.field(slot, 4);
    return p ? this.buf.u32(p, this.where) : def;
  }
  f32(slot: number, def = 0): number {
    const p = this.field(slot, 4);
    return p ? this.buf.f32(p, this.where) : def;
  }
  u64(slot: number, def = 0n): bigint {
    const p = this.field(slot, 8);
    return p ? this.buf.u64(p, this.where) : def;
  }

  /** Follows the uoffset stored in field `slot`. */
  private target(slot: number, what: string): number {
    const p = this.field(slot, 4);
    if (!p) return 0;
    const t = p + this.buf.u32(p, this.where);
    this.buf.checkRange(t, 4, `${this.where}.${what}`);
    return t;
  }

  table(slot: number, what: string): Table | undefined {
    const t = this.target(slot, what);
    return t ? this.buf.tableAt(t, `${this.where}.${what}`) : undefined;
  }

  /** A vector's element positions and length, bounds-checked for `elemSize`-byte elements. */
  private vector(slot: number, elemSize: number, what: string, decoded = true): { start: number; n: number } | undefined {
    const v = this.target(slot, what);
    if (!v) return undefined;
    const where = `${this.where}.${what}`;
    const n = this.buf.u32(v, where);
    // Checked before anything is allocated: n elements must fit in the file.
    if (n * elemSize > this.buf.length - v - 4) {
      this.buf.fail(`vector of ${n} element(s) runs past the end of the file`, where);
    }
    if (decoded) this.buf.charge(n, where);
    return { start: v + 4, n };
  }

  string(slot: number, what: string): string | undefined {
    const v = this.vector(slot, 1, what);
    if (!v) return undefined;
    return new TextDecoder().decode(this.buf.bytes.subarray(v.start, v.start + v.n));
  }

  /** A byte vector as a view into the file (no copy). */
  bytes(slot: number, what: string): Uint8Array | undefined {
    const v = this.vector(slot, 1, what, false);
    return v ? this.buf.bytes.subarray(v.start, v.start + v.n) : undefined;
  }

  i32s(slot: number, what: string): number[] {
    const v = this.vector(slot, 4, what);
    if (!v) return [];
    const out = new Array<number>(v.n);
    for (let i = 0; i < v.n; i++) out[i] = this.buf.i32(v.start + 4 * i, this.where);
    return out;
  }

  f32s(slot: number, what: string): number[] {
    const v = this.vector(slot, 4, what);
    if (!v) return [];
    const out = new Array<number>(v.n);
    for (let i = 0; i < v.n; i++) out[i] = this.buf.f32(v.start + 4 * i, this.where);
    return out;
  }

  i64s(slot: number, what: string): bigint[] {
    const v = this.vector(slot, 8, what);
    if (!v) return [];
    const out = new Array<bigint>(v.n);
    for (let i = 0; i < v.n; i++) out[i] = this.buf.i64(v.start + 8 * i, this.where);
    return out;
  }

  bools(slot: number, what: string): boolean[] {
    const v = this.vector(slot, 1, what);
    if (!v) return [];
    const out = new Array<boolean>(v.n);
    for (let i = 0; i < v.n; i++) out[i] = this.buf.u8(v.start + i, this.where) !== 0;
    return out;
  }

  /** A vector of tables; `each` names an element for error locations. */
  tables(slot: number, what: string): Table[] {
    const v = this.vector(slot, 4, what);
    if (!v) return [];
    const out = new Array<Table>(v.n);
    for (let i = 0; i < v.n; i++) {
      const p = v.start + 4 * i;
      out[i] = this.buf.tableAt(p + this.buf.u32(p, this.where), `${this.where}.${what}[${i}]`);
    }
    return out;
  }
}
