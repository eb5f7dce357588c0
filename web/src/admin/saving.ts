import type { Ref } from 'vue';
import { adminFail } from './errors';

/**
 * Runs an admin's change with `busy` set while it lasts; a refusal is told in words and the
 * change reports false.
 */
export async function saving(busy: Ref<boolean>, change: () => Promise<void>): Promise<boolean> {
  busy.value = true;
  try {
    await change();
    return true;
  } catch (error) {
    adminFail(error);
    return false;
  } finally {
    busy.value = false;
  }
}
