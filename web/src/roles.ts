import type { Role } from './session';

export interface Tab {
  route: string;
  label: string;
  icon: string;
  badge?: 'unread';
}

const notifications: Tab = {
  route: 'notifications',
  label: 'nav.notifications',
  icon: 'bell',
  badge: 'unread',
};
const me: Tab = { route: 'me', label: 'nav.me', icon: 'user-o' };
const requests: Tab = { route: 'inbox', label: 'nav.requests', icon: 'orders-o' };

/** Each role's tab bar; its first tab is the role's home screen. */
export const TABS: Record<Role, Tab[]> = {
  resident: [
    { route: 'mine', label: 'nav.myRequests', icon: 'orders-o' },
    { route: 'new', label: 'nav.newRequest', icon: 'add-o' },
    notifications,
    me,
  ],
  secretary: [
    { route: 'inbox', label: 'nav.inbox', icon: 'todo-list-o' },
    { route: 'record', label: 'nav.record', icon: 'edit' },
    notifications,
    me,
  ],
  dispatcher: [requests, notifications, me],
  assignee: [requests, notifications, me],
  supervisor: [
    { route: 'overdue', label: 'desk.nav.overdue', icon: 'warning-o' },
    { route: 'stats', label: 'desk.nav.stats', icon: 'chart-trending-o' },
    requests,
    notifications,
    me,
  ],
  admin: [
    { route: 'admin', label: 'admin.nav.admin', icon: 'setting-o' },
    requests,
    notifications,
    me,
  ],
};

export const homeRoute = (role: Role): string => TABS[role][0]?.route ?? 'me';
