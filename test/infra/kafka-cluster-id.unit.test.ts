import { describe, expect, it } from 'vitest';
import { newClusterId } from '../../infra/kafka/broker.mjs';

describe('newClusterId', () => {
  it('given a draw whose id would start with "-", then it draws again and returns the next id', () => {
    const draws = [Uint8Array.of(0xf8, ...new Array(15).fill(0)), Uint8Array.of(0x10, ...new Array(15).fill(7))];
    const id = newClusterId(() => draws.shift() ?? Uint8Array.of());
    expect(id).toBe(Buffer.from(Uint8Array.of(0x10, ...new Array(15).fill(7))).toString('base64url'));
    expect(draws).toEqual([]);
  });

  it('given random draws, then every id is 22 URL-safe characters and none starts with "-"', () => {
    for (let i = 0; i < 2_000; i += 1) {
      expect(newClusterId()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    }
  });
});
