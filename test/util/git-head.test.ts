import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitHead } from '../../src/util/git-head.js';
import { PACKAGE_ROOT } from '../../src/util/package-info.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const dirs: string[] = [];
const scratch = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'kvsim-git-head-'));
  dirs.push(d);
  return d;
};
const write = (path: string, text: string): void => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('gitHead reads the checked-out commit from git files', () => {
  it('a detached HEAD is the commit itself', () => {
    const root = scratch();
    write(join(root, '.git/HEAD'), `${A}\n`);
    expect(gitHead(root)).toBe(A);
  });

  it('a branch HEAD resolves through its loose ref before packed-refs', () => {
    const root = scratch();
    write(join(root, '.git/HEAD'), 'ref: refs/heads/main\n');
    write(join(root, '.git/packed-refs'), `# pack-refs with: peeled fully-peeled sorted\n${B} refs/heads/main\n`);
    expect(gitHead(root)).toBe(B);
    write(join(root, '.git/refs/heads/main'), `${A}\n`);
    expect(gitHead(root)).toBe(A);
  });

  it('a linked worktree reads its own HEAD and the shared refs of the common directory', () => {
    const root = scratch();
    const main = join(root, 'repo/.git');
    write(join(main, 'packed-refs'), `${A} refs/heads/feature\n`);
    write(join(main, 'worktrees/wt/HEAD'), 'ref: refs/heads/feature\n');
    write(join(main, 'worktrees/wt/commondir'), '../..\n');
    write(join(root, 'wt/.git'), `gitdir: ${join(main, 'worktrees/wt')}\n`);
    expect(gitHead(join(root, 'wt'))).toBe(A);
  });

  it('a folder without its own .git has no commit, even inside another checkout', () => {
    const root = scratch();
    write(join(root, '.git/HEAD'), `${A}\n`);
    mkdirSync(join(root, 'node_modules/kvsim'), { recursive: true });
    expect(gitHead(join(root, 'node_modules/kvsim'))).toBeUndefined();
  });

  it('agrees with `git rev-parse HEAD` on kvsim itself when it is a git checkout', (ctx) => {
    const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
    if (r.status !== 0 || spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: PACKAGE_ROOT, encoding: 'utf8' }).stdout.trim() !== PACKAGE_ROOT.replace(/\/$/, '')) {
      ctx.skip();
      return;
    }
    expect(gitHead(PACKAGE_ROOT)).toBe(r.stdout.trim());
  });
});
