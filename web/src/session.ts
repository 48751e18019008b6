// §9 login and the session: the token is kept (localStorage) until it expires; a one-time password
// sends the person to 修改密码 before anything else.
import { reactive } from 'vue';
import type { paths } from './api/openapi';

const KEY = 'nanxian.session';

/** GET /api/v1/me's answer, typed from the OpenAPI document */
export type MeShape = paths['/api/v1/me']['get']['responses'][200]['content']['application/json'];

interface Stored { token: string; expiresAt: string; mustChangePassword: boolean }

function load(): Stored | null {
  try {
    const s = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Stored | null;
    return s && Date.parse(s.expiresAt) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

const stored = load();
export const session = reactive({
  token: stored?.token ?? '',
  expiresAt: stored?.expiresAt ?? '',
  mustChangePassword: stored?.mustChangePassword ?? false,
  me: null as MeShape | null,
  /** why the person was signed out, shown on the login page */
  notice: '',
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
  clearTimeout(expiry);
  const here = location.pathname + location.search;
  if (!location.pathname.startsWith('/login')) location.assign('/login' + (here !== '/' ? `?next=${encodeURIComponent(here)}` : ''));
}

export const hasRole = (...codes: string[]) => !!session.me?.roles.some((r) => codes.includes(r.code));
/** the county's leaders and the offices that watch the whole pipeline: they see the 驾驶舱 */
export const LEADER_ROLES = ['COUNTY_HEAD', 'VICE_HEAD', 'DEPUTY_SECRETARY', 'OPEN_ECONOMY_OFFICE', 'GOV_OFFICE', 'DISCIPLINE', 'ORG_DEPT', 'ADMIN'];
export const isAdmin = () => hasRole('ADMIN');
