import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { EngineError } from '../errors/engine-error';

/**
 * What a run reads, so it can never write there. Plain data: it rides on a
 * RestoreRequest across postMessage to the worker.
 */
export interface ProtectedInputs {
  /** Files read as inputs (photos, masks). */
  readonly files: readonly string[];
  /** Folders whose photos are read; `recursive` covers every folder below too. */
  readonly folders?: readonly { readonly dir: string; readonly recursive: boolean }[];
  /** Exact files the person asked to have replaced (a confirmed "replace the original"). */
  readonly replaceable?: readonly string[];
}

interface Resolved {
  readonly real: string;
  readonly dev?: number;
  readonly ino?: number;
}

/**
 * The one rule every writer follows (CLI, batch queue, detect, export, editor
 * restore): no write lands on a path that resolves, symbolic links followed,
 * to an input file (or the same file by hard link) or to a place inside a
 * folder being read, unless the person asked for that exact file to be
 * replaced. Paths are compared after realpath, so a link to the input tree
 * does not hide it.
 */
export class WriteGuard {
  private constructor(
    private readonly files: readonly Resolved[],
    private readonly folders: readonly { readonly real: string; readonly recursive: boolean }[],
    private readonly replaceable: ReadonlySet<string>,
  ) {}

  static async of(inputs: ProtectedInputs): Promise<WriteGuard> {
    const files = await Promise.all(inputs.files.map(resolveFile));
    const folders = await Promise.all((inputs.folders ?? []).map(async (f) => ({ real: await resolveLinks(f.dir), recursive: f.recursive })));
    const replaceable = new Set(await Promise.all((inputs.replaceable ?? []).map(resolveLinks)));
    return new WriteGuard(files, folders, replaceable);
  }

  /** Why writing `target` is refused, in the person's words; null when it is allowed. */
  async refusal(target: string): Promise<string | null> {
    const t = await resolveFile(target);
    if (this.replaceable.has(t.real)) return null;
    const input = this.files.find((f) => f.real === t.real || (t.ino !== undefined && f.ino === t.ino && f.dev === t.dev));
    if (input) {
      const via = input.real === path.resolve(target) ? '' : ` (${target} leads to it)`;
      return `Writing ${target} would replace the original ${input.real}${via}; originals are never replaced. Choose another output folder`;
    }
    const dir = path.dirname(t.real);
    const folder = this.folders.find((f) => dir === f.real || (f.recursive && isInside(dir, f.real)));
    if (folder) {
      return `Writing ${target} would put a file among the photos and masks being read in ${folder.real}; choose an output folder outside it`;
    }
    return null;
  }

  /** Throws OUTPUT_IS_INPUT when writing `target` is refused. */
  async check(target: string): Promise<void> {
    const reason = await this.refusal(target);
    if (reason) throw new EngineError('OUTPUT_IS_INPUT', reason);
  }

  /** Why using `dir` as an output folder is refused (it is, or sits inside, a folder being read); null if allowed. */
  async folderRefusal(dir: string): Promise<string | null> {
    const real = await resolveLinks(dir);
    const folder = this.folders.find((f) => real === f.real || (f.recursive && isInside(real, f.real)));
    if (!folder) return null;
    const where = real === folder.real ? 'is a folder the photos or masks are read from' : 'is inside a folder the photos or masks are read from, sub-folders included';
    return `The output folder ${dir} ${where} (${folder.real}); choose an output folder outside it`;
  }
}

/**
 * A path with every symbolic link resolved, for a path that need not exist
 * yet: the deepest existing ancestor is resolved and the rest appended.
 */
export async function resolveLinks(p: string): Promise<string> {
  const abs = path.resolve(p);
  const rest: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      return path.join(await realpath(cur), ...rest.reverse());
    } catch {
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}

async function resolveFile(p: string): Promise<Resolved> {
  const real = await resolveLinks(p);
  try {
    const s = await stat(real);
    return { real, dev: s.dev, ino: s.ino };
  } catch {
    return { real };
  }
}

function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
