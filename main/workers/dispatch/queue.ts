/**
 * Waiting tasks in the order they are offered to workers: higher priority first, then first in,
 * first out. Workers skip entries they cannot run, so the order is a preference, not a barrier.
 */
export function createRunQueue<T extends { priority: number }>() {
  const items: { item: T; order: number }[] = [];
  let counter = 0;

  return {
    push(item: T): void {
      const entry = { item, order: counter++ };
      // Binary search for the first entry of lower priority: equal priorities keep arrival order.
      let lo = 0;
      let hi = items.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (items[mid]!.item.priority >= item.priority) lo = mid + 1;
        else hi = mid;
      }
      items.splice(lo, 0, entry);
    },
    /** Removes and returns the first item `accepts` takes (a worker's pick, or a cancel's match). */
    take(accepts: (item: T) => boolean): T | undefined {
      const i = items.findIndex((e) => accepts(e.item));
      return i < 0 ? undefined : items.splice(i, 1)[0]!.item;
    },
    get size() {
      return items.length;
    },
  };
}
