import { afterAll } from 'vitest';

/**
 * Vant measures its bars again 100, 200 and 300 ms after they mount, on timers an unmount does
 * not clear; a file that ends sooner would have them fire after its page is gone.
 */
afterAll(() => new Promise((resolve) => setTimeout(resolve, 350)));
