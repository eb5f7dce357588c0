import { describe, expect, it } from 'vitest';
import { ACTION_FIELDS, labelOf } from '../domain/actions';
import { QUEUES } from '../domain/queues';
import { TABS } from '../roles';
import en from './en.json';
import { AREA_MESSAGES, MESSAGES, type MessageTree as Tree } from './index';
import zhCN from './zh-CN.json';

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`),
  );
}

function lookup(tree: Tree, key: string): string | undefined {
  const value = key
    .split('.')
    .reduce<string | Tree | undefined>(
      (node, part) => (typeof node === 'object' ? node[part] : undefined),
      tree,
    );
  return typeof value === 'string' ? value : undefined;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** The area files of one language, by area (`field.zh-CN.json` → field), and the main file. */
const files = (locale: 'zh-CN' | 'en', main: Tree): Record<string, Tree> => ({
  main,
  ...Object.fromEntries(
    Object.entries(AREA_MESSAGES[locale]).map(([path, tree]) => [
      path.replace(/^\.\//, '').replace(`.${locale}.json`, ''),
      tree,
    ]),
  ),
});

describe('zh-CN and en messages', () => {
  it('have exactly the same keys, file by file', () => {
    const zh = files('zh-CN', zhCN as Tree);
    const english = files('en', en as Tree);
    expect(Object.keys(english).sort()).toEqual(Object.keys(zh).sort());
    expect(Object.keys(zh).length).toBeGreaterThan(1);
    for (const [area, tree] of Object.entries(zh)) {
      expect({ area, keys: keys(english[area] ?? {}).sort() }).toEqual({
        area,
        keys: keys(tree).sort(),
      });
    }
    expect(keys(MESSAGES.en).sort()).toEqual(keys(MESSAGES['zh-CN']).sort());
  });

  it('no file says again what another one says (each key lives in one file)', () => {
    const seen = new Map<string, string>();
    for (const [area, tree] of Object.entries(files('zh-CN', zhCN as Tree))) {
      for (const key of keys(tree)) {
        expect({ key, alsoIn: seen.get(key) }).toEqual({ key, alsoIn: undefined });
        seen.set(key, area);
      }
    }
    expect(keys(MESSAGES['zh-CN']).length).toBe(seen.size);
  });

  it('are never empty and use the same placeholders', () => {
    for (const key of keys(MESSAGES['zh-CN'])) {
      const zh = lookup(MESSAGES['zh-CN'], key) as string;
      const english = lookup(MESSAGES.en, key) as string;
      expect({ key, empty: zh.trim() === '' || english.trim() === '' }).toEqual({
        key,
        empty: false,
      });
      expect({ key, placeholders: placeholders(english) }).toEqual({
        key,
        placeholders: placeholders(zh),
      });
    }
  });

  it('name every action and every field an action asks for (label and, for text, a placeholder)', () => {
    for (const [type, fields] of Object.entries(ACTION_FIELDS)) {
      expect(lookup(MESSAGES['zh-CN'], `events.${type}`)).toBeTruthy();
      for (const f of fields) {
        expect(lookup(MESSAGES['zh-CN'], labelOf(f))).toBeTruthy();
        if (f.kind === 'textarea')
          expect(lookup(MESSAGES['zh-CN'], `${labelOf(f)}Placeholder`)).toBeTruthy();
      }
    }
  });

  it('name every tab of every role and every role', () => {
    for (const [role, tabs] of Object.entries(TABS)) {
      expect(lookup(MESSAGES['zh-CN'], `roles.${role}`)).toBeTruthy();
      for (const tab of tabs) expect(lookup(MESSAGES['zh-CN'], tab.label)).toBeTruthy();
    }
  });

  it('name every work list of every role', () => {
    const labels = Object.values(QUEUES).flatMap((queues) => queues.map((q) => q.label));
    expect(labels.filter((l) => !lookup(MESSAGES['zh-CN'], l) || !lookup(MESSAGES.en, l))).toEqual(
      [],
    );
  });
});
