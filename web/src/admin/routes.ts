import type { RouteRecordRaw } from 'vue-router';

const ADMIN = { roles: ['admin' as const], tabs: true };

/** The admins' screens: plain lists and forms over the API's admin endpoints. */
export const adminRoutes: RouteRecordRaw[] = [
  {
    path: '/admin',
    name: 'admin',
    component: () => import('../views/admin/AdminHomeView.vue'),
    meta: { ...ADMIN, title: 'admin.nav.admin' },
  },
  {
    path: '/admin/units',
    name: 'admin-units',
    component: () => import('../views/admin/UnitsView.vue'),
    meta: { ...ADMIN, title: 'admin.units.title' },
  },
  {
    path: '/admin/users',
    name: 'admin-users',
    component: () => import('../views/admin/UsersView.vue'),
    meta: { ...ADMIN, title: 'admin.users.title' },
  },
  {
    path: '/admin/categories',
    name: 'admin-categories',
    component: () => import('../views/admin/CategoriesView.vue'),
    meta: { ...ADMIN, title: 'admin.categories.title' },
  },
  {
    path: '/admin/deadlines',
    name: 'admin-deadlines',
    component: () => import('../views/admin/DeadlinesView.vue'),
    meta: { ...ADMIN, title: 'admin.deadlines.title' },
  },
  {
    path: '/admin/calendar',
    name: 'admin-calendar',
    component: () => import('../views/admin/CalendarView.vue'),
    meta: { ...ADMIN, title: 'admin.calendar.title' },
  },
  {
    path: '/admin/webhooks',
    name: 'admin-webhooks',
    component: () => import('../views/admin/WebhooksView.vue'),
    meta: { ...ADMIN, title: 'admin.webhooks.title' },
  },
];
