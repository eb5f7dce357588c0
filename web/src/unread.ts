import { ref } from 'vue';
import { api, unwrap } from './api/client';
import { accessToken } from './session';

/** The unread count on the tab bar's badge; the inbox screen updates it as it marks things read. */
export const unreadCount = ref(0);

export async function refreshUnread(): Promise<void> {
  if (!accessToken()) {
    unreadCount.value = 0;
    return;
  }
  try {
    const page = await unwrap(
      api.GET('/api/v1/me/notifications', { params: { query: { unread: true, pageSize: 1 } } }),
    );
    unreadCount.value = page.unread;
  } catch {
    // The badge is a hint; the next navigation tries again.
  }
}

/** New messages show up on the badge within a minute while the app is on screen. */
export function pollUnread(everyMs = 60_000): void {
  setInterval(() => {
    if (document.visibilityState === 'visible') void refreshUnread();
  }, everyMs);
}
