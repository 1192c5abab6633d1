import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.ts";
import { LeaderRole } from "../../src/jobs/leader.ts";
import { Lease } from "../../src/jobs/lease.ts";
import { FakeClock } from "../../src/lib/clock.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { useMemoryDb } from "../support/memory-db.ts";
import { describePostgres, freshPostgresDatabase } from "../support/postgres.ts";

const TTL = 30_000;
const memory = useMemoryDb("leases");
const start = () => new FakeClock("2026-11-26T02:00:00Z");

describe("a lease in the database", () => {
  it("has one holder until it expires unrenewed, then the next replica takes it", async () => {
    const clock = start();
    const a = new Lease(memory.db, clock, "wecom.ws:bot", "replica-a", TTL);
    const b = new Lease(memory.db, clock, "wecom.ws:bot", "replica-b", TTL);
    expect(await a.acquire()).toEqual(new Date("2026-11-26T02:00:30Z"));
    expect(await b.acquire()).toBeUndefined();
    clock.advance(20_000);
    // A renews: B still has to wait a whole lease time from now.
    expect(await a.acquire()).toEqual(new Date("2026-11-26T02:00:50Z"));
    clock.advance(29_999);
    expect(await b.acquire()).toBeUndefined();
    expect((await b.current())?.holder).toBe("replica-a");
    clock.advance(1);
    expect(await b.acquire()).toEqual(new Date("2026-11-26T02:01:20Z"));
    // A comes back (a long pause, not a crash): it must not take the lease back while B holds it.
    expect(await a.acquire()).toBeUndefined();
    expect((await a.current())?.holder).toBe("replica-b");
  });

  it("keeps the time it was first taken while renewed, and is free at once when released", async () => {
    const clock = start();
    const a = new Lease(memory.db, clock, "dingtalk.stream:app", "replica-a", TTL);
    const b = new Lease(memory.db, clock, "dingtalk.stream:app", "replica-b", TTL);
    await a.acquire();
    clock.advance(10_000);
    await a.acquire();
    expect((await a.current())?.acquiredAt).toEqual(new Date("2026-11-26T02:00:00Z"));
    await b.release(); // not B's to give back: nothing changes
    expect((await a.current())?.holder).toBe("replica-a");
    await a.release();
    expect(await a.current()).toBeUndefined();
    expect(await b.acquire()).toBeDefined();
    expect((await b.current())?.acquiredAt).toEqual(new Date("2026-11-26T02:00:10Z"));
  });

  it("keeps different connections apart", async () => {
    const clock = start();
    expect(await new Lease(memory.db, clock, "wecom.ws:one", "a", TTL).acquire()).toBeDefined();
    expect(await new Lease(memory.db, clock, "wecom.ws:two", "b", TTL).acquire()).toBeDefined();
  });
});

/** Starts/stops a role's work and records what happened, like a long connection would. */
function role(lease: Lease, clock: FakeClock, log: string[]) {
  const leader = new LeaderRole({
    lease,
    clock,
    logger: createLogger("silent"),
    renewEveryMs: 20,
    tryEveryMs: 20,
    begin: () => log.push(`${lease.holder} connects`),
    end: async () => {
      log.push(`${lease.holder} disconnects`);
    },
  });
  return leader;
}

const tick = (ms = 120) => new Promise((r) => setTimeout(r, ms));

describe("the leader role around a long connection", () => {
  it("connects on one replica only, and hands over on a clean stop without waiting for expiry", async () => {
    const clock = start();
    const log: string[] = [];
    const a = role(new Lease(memory.db, clock, "wecom.ws:bot", "A", TTL), clock, log);
    const b = role(new Lease(memory.db, clock, "wecom.ws:bot", "B", TTL), clock, log);
    a.start();
    await tick();
    b.start();
    await tick();
    expect(log).toEqual(["A connects"]);
    expect([a.isLeader, b.isLeader]).toEqual([true, false]);
    await a.stop();
    await tick();
    expect(log).toEqual(["A connects", "A disconnects", "B connects"]);
    await b.stop();
    expect(log.at(-1)).toBe("B disconnects");
  });

  it("takes over from a replica that stopped renewing only once its lease has expired", async () => {
    const clock = start();
    const log: string[] = [];
    // A replica that froze (or died): it took the lease once and never renews.
    await new Lease(memory.db, clock, "wecom.ws:bot", "frozen", TTL).acquire();
    const b = role(new Lease(memory.db, clock, "wecom.ws:bot", "B", TTL), clock, log);
    b.start();
    await tick();
    clock.advance(TTL - 1);
    await tick();
    expect(log).toEqual([]);
    clock.advance(1);
    await tick();
    expect(log).toEqual(["B connects"]);
    await b.stop();
  });

  it("disconnects when another replica holds the lease (this one paused longer than the lease)", async () => {
    const clock = start();
    const log: string[] = [];
    const a = role(new Lease(memory.db, clock, "wecom.ws:bot", "A", TTL), clock, log);
    a.start();
    await tick();
    // A's renewals are not seen for a whole lease time (a stalled process); B takes the lease.
    await memory.db.$executeRawUnsafe(
      "UPDATE leases SET holder = 'B', expires_at = now() + interval '1 hour' WHERE name = 'wecom.ws:bot'",
    );
    await tick();
    expect(log).toEqual(["A connects", "A disconnects"]);
    expect(a.isLeader).toBe(false);
    await a.stop();
  });
});

describe("a leader that loses its database", () => {
  it("stops its connection before its lease can run out, then takes it up again when the database is back", async () => {
    const db = await openDatabase("pglite:memory://");
    await db.migrate();
    const clock = start();
    const log: string[] = [];
    const lease = new Lease(db.prisma, clock, "wecom.ws:bot", "A", TTL);
    const a = role(lease, clock, log);
    try {
      a.start();
      await tick();
      expect(log).toEqual(["A connects"]);
      await db.prisma.$executeRawUnsafe("ALTER TABLE leases RENAME TO leases_away");
      // Renewals fail, but the lease is still certainly A's: keep the connection.
      clock.advance(TTL / 2);
      await tick();
      expect(log).toEqual(["A connects"]);
      // Less than one renewal interval left: stop, so that no successor can overlap with A.
      clock.advance(TTL / 2 - 10);
      await tick();
      expect(log).toEqual(["A connects", "A disconnects"]);
      await db.prisma.$executeRawUnsafe("ALTER TABLE leases_away RENAME TO leases");
      await tick();
      expect(log).toEqual(["A connects", "A disconnects", "A connects"]);
    } finally {
      await a.stop();
      await db.close();
    }
  });
});

describePostgres("leases on PostgreSQL", () => {
  it("gives the lease to exactly one of many replicas racing for it", async () => {
    const fresh = await freshPostgresDatabase();
    const databases = await Promise.all(Array.from({ length: 6 }, () => openDatabase(fresh.url)));
    try {
      await databases[0]?.migrate();
      const clock = start();
      for (let round = 0; round < 20; round++) {
        const name = `race-${round}`;
        const won = await Promise.all(
          databases.map((d, i) => new Lease(d.prisma, clock, name, `replica-${i}`, TTL).acquire()),
        );
        expect(won.filter(Boolean)).toHaveLength(1);
      }
    } finally {
      await Promise.all(databases.map((d) => d.close()));
      await fresh.drop();
    }
  }, 60_000);
});
