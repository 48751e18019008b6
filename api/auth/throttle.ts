// Login throttling: too many wrong passwords for one account, or from one address, lock further
// attempts for a while (the right password too, until the lock expires), and the answer says when to
// try again. Kept in the API process's memory: each API process counts the attempts it sees.
export interface ThrottleLimits {
  /** wrong passwords in a row for one account before it is locked */
  perAccount: number;
  /** wrong passwords from one address (any accounts) before the address is locked */
  perAddress: number;
  /** how long failures are remembered, and how long a lock lasts */
  windowMs: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

interface Count { failures: number; last: number }

export class LoginThrottle {
  private readonly accounts = new Map<string, Count>();
  private readonly addresses = new Map<string, Count>();

  constructor(private readonly limits: ThrottleLimits = DEFAULT_THROTTLE, private readonly now: () => number = Date.now) {}

  /** Seconds until this account or address may try again, or 0. */
  retryAfterSeconds(username: string, address: string): number {
    const wait = (m: Map<string, Count>, key: string, max: number) => {
      const c = m.get(key);
      if (!c) return 0;
      const left = c.last + this.limits.windowMs - this.now();
      if (left <= 0) {
        m.delete(key); // forgotten: the window has passed
        return 0;
      }
      return c.failures >= max ? left : 0;
    };
    const ms = Math.max(wait(this.accounts, username.toLowerCase(), this.limits.perAccount), wait(this.addresses, address, this.limits.perAddress));
    return Math.ceil(ms / 1000);
  }

  failed(username: string, address: string): void {
    const bump = (m: Map<string, Count>, key: string) => {
      const c = m.get(key);
      m.set(key, { failures: (c && c.last + this.limits.windowMs > this.now() ? c.failures : 0) + 1, last: this.now() });
    };
    bump(this.accounts, username.toLowerCase());
    bump(this.addresses, address);
    this.prune();
  }

  succeeded(username: string): void {
    this.accounts.delete(username.toLowerCase());
  }

  /** Forgets what has expired once the maps grow (a flood of made-up usernames cannot fill the memory). */
  private prune(): void {
    for (const m of [this.accounts, this.addresses]) {
      if (m.size < 10_000) continue;
      for (const [k, c] of m) if (c.last + this.limits.windowMs <= this.now()) m.delete(k);
    }
  }
}
