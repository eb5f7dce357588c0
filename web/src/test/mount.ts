import { mount } from '@vue/test-utils';
import type { Component } from 'vue';
import { i18n, type Locale, setLocale } from '../i18n';

/** A component with the app's i18n, in the given language; router links render as plain anchors. */
export function mountIn(locale: Locale, component: Component, props: Record<string, unknown>) {
  setLocale(locale);
  return mount(component, {
    props,
    global: { plugins: [i18n], stubs: { RouterLink: { template: '<a><slot /></a>' } } },
  });
}
