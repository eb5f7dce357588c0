import { describe, expect, it } from 'vitest';
import { ACTION_FIELDS } from '../domain/actions';
import { TABS } from '../roles';
import deskEn from './desk.en.json';
import deskZhCN from './desk.zh-CN.json';
import mainZhCN from './zh-CN.json';
import { en, zhCN } from './messages';

type Tree = { [key: string]: string | Tree };

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

describe('zh-CN and en messages', () => {
  it('have exactly the same keys', () => {
    expect(keys(en as Tree).sort()).toEqual(keys(zhCN as Tree).sort());
  });

  it('are never empty and use the same placeholders', () => {
    for (const key of keys(zhCN as Tree)) {
      const zh = lookup(zhCN as Tree, key) as string;
      const english = lookup(en as Tree, key) as string;
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
      expect(lookup(zhCN as Tree, `events.${type}`)).toBeTruthy();
      for (const f of fields) {
        expect(lookup(zhCN as Tree, `fields.${f.name}`)).toBeTruthy();
        if (f.kind === 'textarea')
          expect(lookup(zhCN as Tree, `fields.${f.name}Placeholder`)).toBeTruthy();
      }
    }
  });

  it('name every tab of every role and every role', () => {
    for (const [role, tabs] of Object.entries(TABS)) {
      expect(lookup(zhCN as Tree, `roles.${role}`)).toBeTruthy();
      for (const tab of tabs) expect(lookup(zhCN as Tree, tab.label)).toBeTruthy();
    }
  });
});

describe('the desk screens’ messages (desk.*.json)', () => {
  it('use top-level keys of their own, so merging them overwrites nothing', () => {
    for (const key of [...Object.keys(deskZhCN), ...Object.keys(deskEn)]) {
      expect({ key, taken: key in mainZhCN }).toEqual({ key, taken: false });
    }
    expect(Object.keys(deskEn).sort()).toEqual(Object.keys(deskZhCN).sort());
  });
});
