// DEFLATE (RFC 1951) in plain TypeScript, so compressed artefacts are the same bytes on every machine:
// node:zlib's output changes with the CPU (its hash uses CRC32C instructions where the CPU has them).

/** Length symbols 257…285: base length and extra bits. */
const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
  227, 258,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
/** Distance symbols 0…29: base distance and extra bits. */
const DIST_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
  6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];
/** The order in which code-length code lengths are sent. */
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

const WINDOW = 32768;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
/** How many earlier positions with the same 3-byte prefix are tried (zlib's level 9 tries 4096). */
const MAX_CHAIN = 1024;

/** A literal byte (`dist` 0) or a back-reference of `len` bytes `dist` back. */
interface Token {
  readonly len: number;
  readonly dist: number;
}

class BitWriter {
  readonly bytes: number[] = [];
  private acc = 0;
  private n = 0;

  /** `count` bits of `value`, least significant first (header fields, extra bits). */
  bits(value: number, count: number): void {
    for (let i = 0; i < count; i++) {
      this.acc |= ((value >>> i) & 1) << this.n;
      if (++this.n === 8) this.flush();
    }
  }

  /** A Huffman code, most significant bit first. */
  code(code: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.bits((code >>> i) & 1, 1);
  }

  /** Pads to a byte boundary. */
  align(): void {
    if (this.n > 0) this.flush();
  }

  private flush(): void {
    this.bytes.push(this.acc);
    this.acc = 0;
    this.n = 0;
  }
}

function symbolOf(bases: readonly number[], value: number): number {
  let s = 0;
  while (s + 1 < bases.length && (bases[s + 1] ?? Infinity) <= value) s++;
  return s;
}

/** Greedy LZ77 with one step of lazy matching, as zlib does at its higher levels. */
function tokenize(data: Uint8Array): Token[] {
  const head = new Map<number, number>();
  const prev = new Int32Array(data.length).fill(-1);
  const key = (i: number) => ((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0);
  const insert = (i: number) => {
    if (i + MIN_MATCH > data.length) return;
    const k = key(i);
    prev[i] = head.get(k) ?? -1;
    head.set(k, i);
  };
  const longest = (i: number): Token => {
    let best: Token = { len: 0, dist: 0 };
    if (i + MIN_MATCH > data.length) return best;
    const max = Math.min(MAX_MATCH, data.length - i);
    let candidate = head.get(key(i)) ?? -1;
    for (let chain = 0; candidate >= 0 && i - candidate <= WINDOW && chain < MAX_CHAIN; chain++) {
      let len = 0;
      while (len < max && data[candidate + len] === data[i + len]) len++;
      if (len > best.len) {
        best = { len, dist: i - candidate };
        if (len === max) break;
      }
      candidate = prev[candidate] ?? -1;
    }
    return best.len >= MIN_MATCH ? best : { len: 0, dist: 0 };
  };

  const out: Token[] = [];
  let i = 0;
  while (i < data.length) {
    const here = longest(i);
    insert(i);
    if (here.len === 0) {
      out.push({ len: data[i] ?? 0, dist: 0 });
      i++;
      continue;
    }
    const next = i + 1 < data.length ? longest(i + 1) : { len: 0, dist: 0 };
    if (next.len > here.len) {
      // A longer match starts at the next byte: send this one as a literal.
      out.push({ len: data[i] ?? 0, dist: 0 });
      i++;
      continue;
    }
    out.push(here);
    for (let j = i + 1; j < i + here.len; j++) insert(j);
    i += here.len;
  }
  return out;
}

/**
 * Huffman code lengths (at most `limit` bits) for symbol frequencies. Ties break by symbol, so the
 * lengths depend on the frequencies only; when the tree is too deep the frequencies are halved.
 */
export function huffmanLengths(freqs: readonly number[], limit: number): number[] {
  let f = [...freqs];
  for (;;) {
    const lengths = new Array<number>(f.length).fill(0);
    type Node = { weight: number; order: number; symbols: number[] };
    let nodes: Node[] = f.flatMap((w, s) => (w > 0 ? [{ weight: w, order: s, symbols: [s] }] : []));
    if (nodes.length === 1) lengths[nodes[0]!.symbols[0]!] = 1;
    let order = f.length;
    while (nodes.length > 1) {
      nodes = nodes.sort((a, b) => a.weight - b.weight || a.order - b.order);
      const [a, b, ...rest] = nodes as [Node, Node, ...Node[]];
      for (const s of [...a.symbols, ...b.symbols]) lengths[s] = (lengths[s] ?? 0) + 1;
      nodes = [
        ...rest,
        { weight: a.weight + b.weight, order: order++, symbols: [...a.symbols, ...b.symbols] },
      ];
    }
    if (Math.max(0, ...lengths) <= limit) return lengths;
    f = f.map((w) => (w > 0 ? Math.max(1, w >>> 1) : 0));
  }
}

/** Canonical codes (RFC 1951 §3.2.2) for code lengths. */
function canonicalCodes(lengths: readonly number[]): number[] {
  const max = Math.max(0, ...lengths);
  const count = new Array<number>(max + 1).fill(0);
  for (const l of lengths) if (l > 0) count[l] = (count[l] ?? 0) + 1;
  const next = new Array<number>(max + 2).fill(0);
  for (let bits = 1, code = 0; bits <= max; bits++) {
    code = (code + (count[bits - 1] ?? 0)) << 1;
    next[bits] = code;
  }
  return lengths.map((l) => (l === 0 ? 0 : (next[l] = (next[l] ?? 0) + 1) - 1));
}

interface Codes {
  readonly litLengths: readonly number[];
  readonly distLengths: readonly number[];
}

const FIXED: Codes = {
  litLengths: Array.from({ length: 288 }, (_, s) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8)),
  distLengths: new Array<number>(30).fill(5),
};

function writeTokens(w: BitWriter, tokens: readonly Token[], codes: Codes): void {
  const lit = canonicalCodes(codes.litLengths);
  const dist = canonicalCodes(codes.distLengths);
  const sym = (s: number, c: readonly number[], l: readonly number[]) => w.code(c[s] ?? 0, l[s] ?? 0);
  for (const t of tokens) {
    if (t.dist === 0) {
      sym(t.len, lit, codes.litLengths);
      continue;
    }
    const ls = symbolOf(LENGTH_BASE, t.len);
    sym(257 + ls, lit, codes.litLengths);
    w.bits(t.len - (LENGTH_BASE[ls] ?? 0), LENGTH_EXTRA[ls] ?? 0);
    const ds = symbolOf(DIST_BASE, t.dist);
    sym(ds, dist, codes.distLengths);
    w.bits(t.dist - (DIST_BASE[ds] ?? 0), DIST_EXTRA[ds] ?? 0);
  }
  sym(256, lit, codes.litLengths);
}

/** Run-length codes 16 (repeat), 17 and 18 (zeros) over the code lengths of both alphabets. */
function runLengths(lengths: readonly number[]): [symbol: number, extra: number, bits: number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < lengths.length;) {
    const l = lengths[i] ?? 0;
    let run = 1;
    while (i + run < lengths.length && lengths[i + run] === l) run++;
    if (l === 0 && run >= 3) {
      const n = Math.min(run, 138);
      out.push(n >= 11 ? [18, n - 11, 7] : [17, n - 3, 3]);
      i += n;
    } else if (l !== 0 && run >= 4) {
      const n = Math.min(run - 1, 6);
      out.push([l, 0, 0], [16, n - 3, 2]);
      i += n + 1;
    } else {
      out.push([l, 0, 0]);
      i++;
    }
  }
  return out;
}

/** Frequencies with at least two used symbols, so every code is complete. */
function atLeastTwo(freqs: number[]): number[] {
  for (let s = 0; freqs.filter((f) => f > 0).length < 2; s++) if (freqs[s] === 0) freqs[s] = 1;
  return freqs;
}

function writeDynamic(w: BitWriter, tokens: readonly Token[]): void {
  const litFreq = new Array<number>(286).fill(0);
  const distFreq = new Array<number>(30).fill(0);
  for (const t of tokens) {
    if (t.dist === 0) litFreq[t.len]!++;
    else {
      litFreq[257 + symbolOf(LENGTH_BASE, t.len)]!++;
      distFreq[symbolOf(DIST_BASE, t.dist)]!++;
    }
  }
  litFreq[256] = 1;
  const litLengths = huffmanLengths(atLeastTwo(litFreq), 15);
  const distLengths = huffmanLengths(atLeastTwo(distFreq), 15);
  let hlit = 286;
  while (hlit > 257 && litLengths[hlit - 1] === 0) hlit--;
  let hdist = 30;
  while (hdist > 1 && distLengths[hdist - 1] === 0) hdist--;
  const runs = runLengths([...litLengths.slice(0, hlit), ...distLengths.slice(0, hdist)]);
  const clFreq = new Array<number>(19).fill(0);
  for (const [s] of runs) clFreq[s]!++;
  const clLengths = huffmanLengths(atLeastTwo(clFreq), 7);
  const clCodes = canonicalCodes(clLengths);
  let hclen = 19;
  while (hclen > 4 && clLengths[CL_ORDER[hclen - 1] ?? 0] === 0) hclen--;
  w.bits(hlit - 257, 5);
  w.bits(hdist - 1, 5);
  w.bits(hclen - 4, 4);
  for (let i = 0; i < hclen; i++) w.bits(clLengths[CL_ORDER[i] ?? 0] ?? 0, 3);
  for (const [s, extra, bits] of runs) {
    w.code(clCodes[s] ?? 0, clLengths[s] ?? 0);
    w.bits(extra, bits);
  }
  writeTokens(w, tokens, { litLengths, distLengths });
}

function writeStored(w: BitWriter, data: Uint8Array): void {
  for (let at = 0; at < data.length || at === 0; at += 65535) {
    const chunk = data.subarray(at, at + 65535);
    w.bits(at + 65535 >= data.length ? 1 : 0, 1);
    w.bits(0, 2);
    w.align();
    w.bits(chunk.length, 16);
    w.bits(~chunk.length & 0xffff, 16);
    for (const b of chunk) w.bits(b, 8);
    if (data.length === 0) break;
  }
}

/** The raw DEFLATE stream of `data`: one block, the smallest of stored, fixed and dynamic Huffman. */
export function deflateRaw(data: Uint8Array): Uint8Array {
  const tokens = tokenize(data);
  const candidates = [
    (w: BitWriter) => writeStored(w, data),
    (w: BitWriter) => {
      w.bits(1, 1);
      w.bits(1, 2);
      writeTokens(w, tokens, FIXED);
    },
    (w: BitWriter) => {
      w.bits(1, 1);
      w.bits(2, 2);
      writeDynamic(w, tokens);
    },
  ].map((write) => {
    const w = new BitWriter();
    write(w);
    w.align();
    return w.bytes;
  });
  const best = candidates.reduce((a, b) => (b.length < a.length ? b : a));
  return Uint8Array.from(best);
}
