import { ref, watch } from 'vue';

const LARGE_TEXT_KEY = 'closed-loop.large-text';

/**
 * Text sizes are in rem, so the phone's own font setting scales the app; large text multiplies
 * it once more (html font-size 125 % of what the phone asks for).
 */
export const largeText = ref(localStorage.getItem(LARGE_TEXT_KEY) === '1');

export function applyLargeText(on: boolean): void {
  document.documentElement.classList.toggle('large-text', on);
}

watch(largeText, (on) => {
  localStorage.setItem(LARGE_TEXT_KEY, on ? '1' : '0');
  applyLargeText(on);
});
