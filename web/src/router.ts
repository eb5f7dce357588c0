import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { adminRoutes } from './admin/routes';
import { deskRoutes } from './desk/routes';
import { homeRoute } from './roles';
import { type Role, role, signedIn } from './session';
import { refreshUnread } from './unread';

declare module 'vue-router' {
  interface RouteMeta {
    /** Open without signing in (signed-in people are sent to their home screen). */
    public?: boolean;
    /** Open to anyone, signed in or not, as a page of its own (a link in a text message). */
    open?: boolean;
    /** Only these roles; others are sent to their home screen. */
    roles?: Role[];
    /** The page's title (a message key). */
    title?: string;
    /** Shows the role's tab bar. */
    tabs?: boolean;
  }
}

const STAFF: Role[] = ['secretary', 'dispatcher', 'assignee', 'supervisor', 'admin'];

/** Every screen is its own chunk, so a role's first screen loads only what it shows. */
export const routes: RouteRecordRaw[] = [
  {
    path: '/sign-in',
    name: 'sign-in',
    component: () => import('./views/SignInView.vue'),
    meta: { public: true, title: 'signIn.title' },
  },
  {
    path: '/f/:token',
    name: 'feedback',
    component: () => import('./views/FeedbackView.vue'),
    props: true,
    meta: { open: true, title: 'feedback.title' },
  },
  {
    path: '/mine',
    name: 'mine',
    component: () => import('./views/RequestListView.vue'),
    props: { mode: 'mine' },
    meta: { roles: ['resident'], title: 'nav.myRequests', tabs: true },
  },
  {
    path: '/new',
    name: 'new',
    component: () => import('./views/NewRequestView.vue'),
    props: { mode: 'resident' },
    meta: { roles: ['resident'], title: 'form.newTitle', tabs: true },
  },
  {
    path: '/inbox',
    name: 'inbox',
    component: () => import('./views/RequestListView.vue'),
    props: { mode: 'inbox' },
    meta: { roles: STAFF, title: 'nav.inbox', tabs: true },
  },
  {
    path: '/record',
    name: 'record',
    component: () => import('./views/NewRequestView.vue'),
    props: { mode: 'record' },
    meta: { roles: ['secretary'], title: 'form.recordTitle', tabs: true },
  },
  {
    path: '/requests/:id',
    name: 'request',
    component: () => import('./views/RequestView.vue'),
    props: true,
    meta: { title: 'request.title' },
  },
  {
    path: '/notifications',
    name: 'notifications',
    component: () => import('./views/NotificationsView.vue'),
    meta: { title: 'notifications.title', tabs: true },
  },
  {
    path: '/me',
    name: 'me',
    component: () => import('./views/MeView.vue'),
    meta: { title: 'me.title', tabs: true },
  },
  ...deskRoutes,
  ...adminRoutes,
  {
    path: '/',
    name: 'home',
    redirect: () => ({ name: role.value ? homeRoute(role.value) : 'sign-in' }),
  },
  { path: '/:rest(.*)*', redirect: { name: 'home' } },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach((to) => {
  if (to.meta.open) return true;
  if (to.meta.public) {
    return signedIn.value && role.value ? { name: homeRoute(role.value) } : true;
  }
  if (!signedIn.value || !role.value) {
    return { name: 'sign-in', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
  }
  if (to.meta.roles && !to.meta.roles.includes(role.value)) return { name: homeRoute(role.value) };
  return true;
});

router.afterEach((to) => {
  if (!to.meta.public && !to.meta.open) void refreshUnread();
});
