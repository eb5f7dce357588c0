import { describe, expect, it } from 'vitest';
import { homeRoute, TABS } from './roles';
import { routes } from './router';
import type { Role } from './session';

describe('every role’s tab bar', () => {
  it('leads only to screens that role may open, starting at its home screen', () => {
    for (const [role, tabs] of Object.entries(TABS) as [Role, (typeof TABS)[Role]][]) {
      expect(homeRoute(role)).toBe(tabs[0]?.route);
      for (const tab of tabs) {
        const route = routes.find((r) => r.name === tab.route);
        expect({ role, tab: tab.route, exists: route !== undefined }).toEqual({
          role,
          tab: tab.route,
          exists: true,
        });
        const allowed = route?.meta?.roles;
        expect({ role, tab: tab.route, allowed: !allowed || allowed.includes(role) }).toEqual({
          role,
          tab: tab.route,
          allowed: true,
        });
        expect(route?.meta?.tabs).toBe(true);
      }
    }
  });

  it('residents and secretaries start where the bundle budget measures them', () => {
    expect(homeRoute('resident')).toBe('mine');
    expect(homeRoute('secretary')).toBe('inbox');
  });
});
