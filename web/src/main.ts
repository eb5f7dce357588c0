import { createApp } from 'vue';
import App from './App.vue';
import { currentLocale, i18n } from './i18n';
import { applyLargeText, largeText } from './preferences';
import { router } from './router';
import { onSessionExpired } from './session';
import { pollUnread } from './unread';
import './styles/base.css';

document.documentElement.lang = currentLocale();
applyLargeText(largeText.value);

onSessionExpired(() => {
  const here = router.currentRoute.value;
  if (here.name !== 'sign-in' && !here.meta.open) {
    void router.replace({ name: 'sign-in', query: { redirect: here.fullPath, expired: '1' } });
  }
});

createApp(App).use(i18n).use(router).mount('#app');
pollUnread();
