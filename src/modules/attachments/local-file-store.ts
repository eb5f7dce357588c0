import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { assertKey, type FileStore } from './file-store';

const isMissing = (e: unknown) => (e as { code?: string }).code === 'ENOENT';

/**
 * Files in a folder of this machine, named by their SHA-256 and spread over 256 subfolders by the
 * first two digits, so no folder grows too long to list. A file appears whole or not at all: it
 * is written under a temporary name and renamed.
 */
export class LocalFileStore implements FileStore {
  private readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  private pathOf(key: string): string {
    assertKey(key);
    return join(this.root, key.slice(0, 2), key);
  }

  async put(key: string, body: Buffer): Promise<void> {
    const path = this.pathOf(key);
    if ((await this.sizeOf(path)) !== null) return;
    await mkdir(join(this.root, key.slice(0, 2)), { recursive: true });
    const temporary = `${path}.${randomUUID()}.part`;
    try {
      await writeFile(temporary, body, { mode: 0o640 });
      await rename(temporary, path);
    } finally {
      await rm(temporary, { force: true });
    }
  }

  async open(key: string) {
    const path = this.pathOf(key);
    const size = await this.sizeOf(path);
    return size === null ? null : { body: createReadStream(path), size };
  }

  async check(): Promise<void> {
    await mkdir(this.root, { recursive: true });
  }

  private async sizeOf(path: string): Promise<number | null> {
    try {
      return (await stat(path)).size;
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }
}
