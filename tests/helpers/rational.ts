/**
 * Exact rational numbers on BigInt, for reference models that must not round: every value is
 * n / d in lowest terms with d > 0.
 *
 * @module
 */

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** An exact rational number. */
export class Q {
  /** Numerator. */
  readonly n: bigint;
  /** Denominator, positive. */
  readonly d: bigint;

  private constructor(n: bigint, d: bigint) {
    if (d === 0n) throw new RangeError("Division by zero");
    if (d < 0n) [n, d] = [-n, -d];
    const g = gcd(n, d) || 1n;
    this.n = n / g;
    this.d = d / g;
  }

  /** An integer. */
  static int(x: number | bigint): Q {
    return new Q(BigInt(x), 1n);
  }

  /** A ratio of integers. */
  static ratio(n: number | bigint, d: number | bigint): Q {
    return new Q(BigInt(n), BigInt(d));
  }

  /** A whole number of cents as dollars. */
  static cents(c: number): Q {
    return new Q(BigInt(c), 100n);
  }

  /** The decimal a number is written as (0.66 is 66/100 exactly, not the nearest double). */
  static dec(x: number): Q {
    const text = String(x);
    const m = text.match(/^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/);
    if (!m) throw new RangeError(`Not a finite decimal: ${text}`);
    const frac = m[3] ?? "";
    let n = BigInt(m[2] + frac);
    let d = 10n ** BigInt(frac.length);
    const e = Number(m[4] ?? 0);
    if (e > 0) n *= 10n ** BigInt(e);
    else d *= 10n ** BigInt(-e);
    return new Q(m[1] ? -n : n, d);
  }

  add(o: Q): Q {
    return new Q(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Q): Q {
    return new Q(this.n * o.d - o.n * this.d, this.d * o.d);
  }
  mul(o: Q): Q {
    return new Q(this.n * o.n, this.d * o.d);
  }
  div(o: Q): Q {
    return new Q(this.n * o.d, this.d * o.n);
  }
  neg(): Q {
    return new Q(-this.n, this.d);
  }
  /** -1, 0 or 1. */
  cmp(o: Q): number {
    const x = this.n * o.d - o.n * this.d;
    return x < 0n ? -1 : x > 0n ? 1 : 0;
  }
  lt(o: Q): boolean {
    return this.cmp(o) < 0;
  }
  le(o: Q): boolean {
    return this.cmp(o) <= 0;
  }
  gt(o: Q): boolean {
    return this.cmp(o) > 0;
  }
  ge(o: Q): boolean {
    return this.cmp(o) >= 0;
  }
  eq(o: Q): boolean {
    return this.cmp(o) === 0;
  }
  /** Whether it is an integer. */
  isInteger(): boolean {
    return this.d === 1n;
  }
  /** The largest integer not above it. */
  floor(): bigint {
    const q = this.n / this.d;
    return this.n < 0n && q * this.d !== this.n ? q - 1n : q;
  }
  /** The nearest double. */
  toNumber(): number {
    return Number(this.n) / Number(this.d);
  }
  /** The smaller of two. */
  static min(a: Q, b: Q): Q {
    return a.le(b) ? a : b;
  }
  /** n/d as text, for messages. */
  toString(): string {
    return this.d === 1n ? `${this.n}` : `${this.n}/${this.d} (${this.toNumber()})`;
  }
}

/** Zero. */
export const ZERO = Q.int(0);
