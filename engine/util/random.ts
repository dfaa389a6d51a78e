/**
 * Randomness, injected and seedable. The engine draws every random choice from a
 * `Random` so that a simulator run is a pure function of its seed.
 *
 * Algorithm: xoshiro128** (32-bit state words), seeded through splitmix32 so that
 * nearby seeds give unrelated streams.
 */
import { assert } from './assert';

export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, bound). */
  int(bound: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

export class SeededRandom implements Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const split = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = split();
    this.s1 = split();
    this.s2 = split();
    this.s3 = split();
  }

  private nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  next(): number {
    return this.nextU32() / 4294967296;
  }
  int(bound: number): number {
    assert(Number.isInteger(bound) && bound > 0, () => `Random.int bound must be a positive integer, got ${bound}`);
    return Math.floor(this.next() * bound);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, 'Random.pick from an empty array');
    return items[this.int(items.length)];
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Non-deterministic randomness for the real app. */
export class SystemRandom implements Random {
  next(): number {
    return Math.random();
  }
  int(bound: number): number {
    assert(Number.isInteger(bound) && bound > 0, () => `Random.int bound must be a positive integer, got ${bound}`);
    return Math.floor(Math.random() * bound);
  }
  chance(p: number): boolean {
    return Math.random() < p;
  }
  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, 'Random.pick from an empty array');
    return items[this.int(items.length)];
  }
}
