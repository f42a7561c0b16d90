import { describe, expect, it } from 'vitest';
import { padIds } from '../../src/model/pad-ids.ts';

describe('padIds', () => {
  it.each([
    { rows: [[5, 6, 7], [8]], dims: [2, 3], data: [5, 6, 7, 8, 0, 0] },
    { rows: [[1], [2, 3]], dims: [2, 2], data: [1, 0, 2, 3] },
    { rows: [[]], dims: [1, 1], data: [0] },
    { rows: [[], [4, 4]], dims: [2, 2], data: [0, 0, 4, 4] },
    { rows: [], dims: [0, 1], data: [] },
  ])('$rows -> $dims', ({ rows, dims, data }) => {
    const padded = padIds(rows, 0);
    expect(padded.dims).toEqual(dims);
    expect(Array.from(padded.data, Number)).toEqual(data);
  });

  it('pads with the given id', () => {
    expect(Array.from(padIds([[3], [4, 5]], 2).data, Number)).toEqual([3, 2, 4, 5]);
  });

  it.each([[[0]], [[-1]], [[1.5]], [[Number.NaN]]])('rejects %j as a word id', (row) => {
    expect(() => padIds([row], 0)).toThrow(/not a word id/);
  });
});
