// The workbench's pages (§10). Every page but 登录 loads when it is first opened.
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { api, ok } from './api/client';
import { session } from './session';

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true, title: '登录' } },
  { path: '/password', name: 'password', component: () => import('./views/ChangePassword.vue'), meta: { title: '修改密码' } },
  {
    path: '/',
    component: () => import('./views/Shell.vue'),
    children: [
      { path: '', redirect: '/tasks' },
      { path: 'tasks', name: 'inbox', component: () => import('./views/Inbox.vue'), meta: { title: '我的待办' } },
      { path: 'tasks/done', name: 'done', component: () => import('./views/Done.vue'), meta: { title: '已办' } },
      { path: 'tasks/:id', name: 'task', component: () => import('./views/Task.vue'), meta: { title: '办理' } },
      { path: 'projects', name: 'projects', component: () => import('./views/Projects.vue'), meta: { title: '项目库' } },
      { path: 'projects/new', name: 'register', component: () => import('./views/RegisterLead.vue'), meta: { title: '登记线索' } },
      { path: 'projects/:id', name: 'project', component: () => import('./views/Project.vue'), meta: { title: '项目' } },
      { path: 'notifications', name: 'notifications', component: () => import('./views/Notifications.vue'), meta: { title: '消息' } },
      { path: 'meetings', name: 'meetings', component: () => import('./views/Meetings.vue'), meta: { title: '会议' } },
      { path: 'reports', name: 'reports', component: () => import('./views/Reports.vue'), meta: { title: '报表' } },
      { path: 'trips', name: 'trips', component: () => import('./views/Trips.vue'), meta: { title: '外出招商' } },
      { path: 'sites', name: 'sites', component: () => import('./views/Sites.vue'), meta: { title: '招商地图' } },
      { path: 'pitches', name: 'pitches', component: () => import('./views/Pitches.vue'), meta: { title: '策划包装库' } },
      { path: 'partners', name: 'partners', component: () => import('./views/Partners.vue'), meta: { title: '招商顾问与商协会' } },
      { path: 'people/:id/record', name: 'person-record', component: () => import('./views/PersonRecord.vue'), meta: { title: '人员信息库' } },
      { path: 'cockpit', name: 'cockpit', component: () => import('./views/Cockpit.vue'), meta: { title: '驾驶舱' } },
      { path: 'admin/people', name: 'admin-people', component: () => import('./views/admin/People.vue'), meta: { title: '人员管理', admin: true } },
      { path: 'admin/task-forces', name: 'admin-task-forces', component: () => import('./views/admin/TaskForces.vue'), meta: { title: '专班与角色', admin: true } },
      { path: 'admin/policy', name: 'admin-policy', component: () => import('./views/admin/Policy.vue'), meta: { title: '政策版本', admin: true } },
      { path: 'admin/deliveries', name: 'admin-deliveries', component: () => import('./views/admin/Deliveries.vue'), meta: { title: '消息投递', admin: true } },
      { path: 'admin/audit', name: 'admin-audit', component: () => import('./views/admin/Audit.vue'), meta: { title: '审计日志', admin: true } },
      { path: ':rest(.*)*', name: 'missing', component: () => import('./views/Missing.vue'), meta: { title: '页面不存在' } },
    ],
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

/** Loads the caller (GET /me) once a token is there: unit, roles, groups and the unread count. */
export async function loadMe() {
  session.me = await ok(api.GET('/api/v1/me'));
  session.mustChangePassword = session.me.mustChangePassword;
  return session.me;
}

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (!session.token) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  if (!session.me) {
    try {
      await loadMe();
    } catch {
      return false; // 401 signs out (api/client.ts); anything else: stay where the person is
    }
  }
  if (session.mustChangePassword && to.name !== 'password') return { name: 'password' };
  if (to.meta.admin && !session.me?.roles.some((r) => r.code === 'ADMIN')) return { path: '/tasks' };
  return true;
});

router.afterEach((to) => {
  document.title = `${(to.meta.title as string | undefined) ?? ''}${to.meta.title ? ' · ' : ''}南县招商引资工作台`;
});
