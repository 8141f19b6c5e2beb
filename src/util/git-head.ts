import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

const readText = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** `ref` (e.g. refs/heads/main) as a loose ref file or a line of packed-refs. */
function resolveRef(gitDir: string, commonDir: string, ref: string): string | undefined {
  for (const dir of [gitDir, commonDir]) {
    const loose = readText(join(dir, ref))?.trim();
    if (loose !== undefined && OBJECT_ID.test(loose)) return loose;
  }
  for (const line of readText(join(commonDir, 'packed-refs'))?.split('\n') ?? []) {
    const [id, name] = line.trim().split(' ');
    if (name === ref && OBJECT_ID.test(id)) return id;
  }
  return undefined;
}

/** What git's files at `root/.git` say HEAD is; undefined if they say it in a way not read here. */
function headFromFiles(dotGit: string, root: string): string | undefined {
  let gitDir = dotGit;
  if (statSync(dotGit).isFile()) {
    // A linked worktree or submodule: ".git" is a file naming the real git directory.
    const pointer = /^gitdir: (.+)$/m.exec(readText(dotGit) ?? '');
    if (!pointer) return undefined;
    gitDir = resolve(root, pointer[1].trim());
  }
  const common = readText(join(gitDir, 'commondir'))?.trim();
  const commonDir = common ? resolve(gitDir, common) : gitDir;
  const head = readText(join(gitDir, 'HEAD'))?.trim();
  if (head === undefined) return undefined;
  if (OBJECT_ID.test(head)) return head;
  const ref = /^ref: (\S+)$/.exec(head);
  return ref ? resolveRef(gitDir, commonDir, ref[1]) : undefined;
}

/**
 * The commit checked out in the git working tree at `root` (its own `.git`, never a parent folder's:
 * kvsim installed inside another project must not report that project's commit), or undefined when
 * `root` is not a checkout. Read from git's files; `git rev-parse` runs only for layouts not read
 * here (e.g. reftable refs), because forking the simulator's process costs more CPU than the rest
 * of a small run's start-up.
 */
export function gitHead(root: string): string | undefined {
  const dotGit = join(root, '.git');
  try {
    statSync(dotGit);
  } catch {
    return undefined;
  }
  try {
    const id = headFromFiles(dotGit, root);
    if (id !== undefined) return id;
  } catch {
    // Unreadable layout: ask git below.
  }
  try {
    const r = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    const out = r.stdout?.trim() ?? '';
    return r.status === 0 && OBJECT_ID.test(out) ? out : undefined;
  } catch {
    return undefined;
  }
}
