/**
 * A Set / Map of integer keys split over shards, because one JS Map or Set holds at most 2^24
 * (~16.7M) entries: an unlimited object store over a production day holds more blocks than that.
 * No iteration order (the users only ask membership and counts).
 */
const SHARDS = 64;
const shardOf = (key: number): number => ((key % SHARDS) + SHARDS) % SHARDS;

export class ShardedSet {
  private readonly shards = Array.from({ length: SHARDS }, () => new Set<number>());
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(key: number): boolean {
    return this.shards[shardOf(key)].has(key);
  }

  add(key: number): void {
    const s = this.shards[shardOf(key)];
    const before = s.size;
    s.add(key);
    this.count += s.size - before;
  }

  delete(key: number): boolean {
    const deleted = this.shards[shardOf(key)].delete(key);
    if (deleted) this.count--;
    return deleted;
  }
}

export class ShardedMap<V> {
  private readonly shards = Array.from({ length: SHARDS }, () => new Map<number, V>());
  private count = 0;

  get size(): number {
    return this.count;
  }

  has(key: number): boolean {
    return this.shards[shardOf(key)].has(key);
  }

  get(key: number): V | undefined {
    return this.shards[shardOf(key)].get(key);
  }

  set(key: number, value: V): void {
    const shard = this.shards[shardOf(key)];
    if (!shard.has(key)) this.count++;
    shard.set(key, value);
  }

  delete(key: number): boolean {
    const deleted = this.shards[shardOf(key)].delete(key);
    if (deleted) this.count--;
    return deleted;
  }
}
