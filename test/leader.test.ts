import { describe, expect, it } from 'vitest';
import { startWhenLeader } from '../src/lib/leader';
import { createLogger } from '../src/lib/logger';

// The single runner of a long connection, across a lost lock: a session advisory lock dies with its
// connection (a database restart), and another instance may take it before this one asks again.
describe('startWhenLeader', () => {
  it('stops when another instance holds the lock after a database restart, starts again when it is free, keeps running while the database is away', async () => {
    let lock: 'ours' | 'theirs' | 'away' = 'ours';
    let running = 0;
    let starts = 0;
    const leader = await startWhenLeader({
      name: 'test', log: createLogger('silent'), retryLockMs: 10,
      tryLock: async () => {
        if (lock === 'away') throw new Error('connect ECONNREFUSED');
        return lock === 'ours';
      },
      start: () => {
        running++;
        starts++;
        return { stop: () => { running--; } };
      },
    });
    expect(leader.running).toBe(true);
    lock = 'away';
    await new Promise((r) => setTimeout(r, 50));
    expect(leader.running).toBe(true); // nobody else can take it while the database is away
    lock = 'theirs';
    await expect.poll(() => leader.running).toBe(false);
    expect(running).toBe(0);
    lock = 'ours';
    await expect.poll(() => leader.running).toBe(true);
    expect([running, starts]).toEqual([1, 2]);
    leader.stop();
    expect(running).toBe(0);
  });
});
