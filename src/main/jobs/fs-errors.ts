/** What a file-system error means for the person, keyed by Node's error code. */
const MEANINGS: Readonly<Record<string, string>> = {
  ENOENT: 'it does not exist (or a folder on the way is missing)',
  ENOTDIR: 'a file stands where a folder is needed',
  EEXIST: 'a file with that name is in the way',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many files are open',
  EIO: 'the disk reported an input/output error',
  EBUSY: 'it is in use by another program',
};

/** A file-system failure in the person's words: "permission denied", "the disk is full"; the library's text otherwise. */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code && MEANINGS[code]) return MEANINGS[code];
  return err instanceof Error ? err.message.trim() : String(err);
}

/** The library's own words, for a details line. */
export function fsDetail(err: unknown): string {
  return err instanceof Error ? err.message.trim() : String(err);
}
