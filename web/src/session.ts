// §9 login and the session: the token is kept (localStorage) until it expires; a one-time password
// sends the person to 修改密码 before anything else.
import { reactive } from 'vue';
import type { paths } from './api/openapi';

const KEY = 'nanxian.session';
const NOTICE = 'nanxian.notice';

/** GET /api/v1/me's answer, typed from the OpenAPI document */
export type MeShape = paths['/api/v1/me']['get']['responses'][200]['content']['application/json'];

interface Stored { token: string; expiresAt: string; mustChangePassword: boolean }

function load(): Stored | null {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Stored | null;
    if (s && Date.parse(s.expiresAt) > Date.now()) return s;
    localStorage.removeItem(KEY); // an expired session is forgotten
    return null;
  } catch {
    return null;
  }
}

function takeNotice(): string {
  const n = sessionStorage.getItem(NOTICE) ?? '';
  sessionStorage.removeItem(NOTICE);
  return n;
}

const stored = load();
export const session = reactive({
  token: stored?.token ?? '',
  expiresAt: stored?.expiresAt ?? '',
  mustChangePassword: stored?.mustChangePassword ?? false,
  me: null as MeShape | null,
  /** why the person was signed out, shown once on the login page (kept over the page load that leads there) */
  notice: takeNotice(),
});

let expiry: ReturnType<typeof setTimeout> | undefined;
function armExpiry() {
  clearTimeout(expiry);
  if (!session.expiresAt) return;
  const ms = Date.parse(session.expiresAt) - Date.now();
  expiry = setTimeout(() => signOut('登录已过期，请重新登录'), Math.min(Math.max(ms, 0), 2 ** 31 - 1));
}
armExpiry();

export function signIn(t: Stored) {
  session.token = t.token;
  session.expiresAt = t.expiresAt;
  session.mustChangePassword = t.mustChangePassword;
  session.notice = '';
  localStorage.setItem(KEY, JSON.stringify(t));
  armExpiry();
}

export function signOut(notice = '') {
  session.token = '';
  session.expiresAt = '';
  session.me = null;
  session.mustChangePassword = false;
  session.notice = notice;
  localStorage.removeItem(KEY);
  if (notice) sessionStorage.setItem(NOTICE, notice);
  clearTimeout(expiry);
  const here = location.pathname + location.search;
  if (!location.pathname.startsWith('/login')) location.assign('/login' + (here !== '/' ? `?next=${encodeURIComponent(here)}` : ''));
}

export const hasRole = (...codes: string[]) => !!session.me?.roles.some((r) => codes.includes(r.code));
export const isAdmin = () => hasRole('ADMIN');
