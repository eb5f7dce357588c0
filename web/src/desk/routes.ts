import type { RouteRecordRaw } from 'vue-router';

/** The supervisors' screens (admins may open them too: the API lets both supervise). */
export const deskRoutes: RouteRecordRaw[] = [
  {
    path: '/overdue',
    name: 'overdue',
    component: () => import('../views/desk/OverdueBoardView.vue'),
    meta: { roles: ['supervisor', 'admin'], title: 'desk.nav.overdue', tabs: true },
  },
  {
    path: '/stats',
    name: 'stats',
    component: () => import('../views/desk/StatsView.vue'),
    props: (route) => ({ unitId: route.query.unitId || undefined }),
    meta: { roles: ['supervisor', 'admin'], title: 'desk.nav.stats', tabs: true },
  },
  {
    path: '/stats/units/:unitId',
    name: 'unit-requests',
    component: () => import('../views/desk/UnitRequestsView.vue'),
    props: (route) => ({ unitId: route.params.unitId, name: route.query.name || undefined }),
    meta: { roles: ['supervisor', 'admin'], title: 'desk.unitRequests.title', tabs: true },
  },
  {
    path: '/approvals',
    name: 'approvals',
    component: () => import('../views/desk/ApprovalsView.vue'),
    meta: { roles: ['supervisor', 'admin'], title: 'desk.approvals.title', tabs: true },
  },
];
