// Password hashing with scrypt (node:crypto; no native add-on). Stored as scrypt$N$r$p$salt$hash.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));

const N = 16384, r = 8, p = 1, KEYLEN = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, rr, pp, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(rr), p: Number(pp) });
  return timingSafeEqual(key, expected);
}

export const PASSWORD_MIN_LENGTH = 10;

/** §9 the minimum password policy: long enough, not the username, not the one it replaces. What is wrong, or null. */
export function passwordProblem(username: string, password: string, old?: string): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return `至少 ${PASSWORD_MIN_LENGTH} 个字符`;
  if (password.toLowerCase().includes(username.toLowerCase())) return '不能包含用户名';
  if (old !== undefined && password === old) return '不能与原密码相同';
  return null;
}
