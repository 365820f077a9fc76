import { describe, expect, it } from 'vitest';
import { newId } from '../../main/tasks/ids';

describe('newId', () => {
  it('is a UUIDv7 whose text sorts by creation time', () => {
    const id = newId(0x0123456789ab);
    expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ids = [1000, 2000, 3000, 1_900_000_000_000].map((t) => newId(t));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 1000 }, () => newId(5))).size).toBe(1000);
  });
});
