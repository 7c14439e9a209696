/**
 * One load per models folder and process: callers that ask while a load runs
 * share it, and later callers get its result. A failed load is not kept, so a
 * fixed or newly installed model file is picked up by the next call.
 */
export function loadOncePerFolder<T>(load: (dir: string) => Promise<T>): (dir: string) => Promise<T> {
  const loads = new Map<string, Promise<T>>();
  return (dir) => {
    let pending = loads.get(dir);
    if (!pending) {
      pending = load(dir);
      pending.catch(() => loads.delete(dir));
      loads.set(dir, pending);
    }
    return pending;
  };
}
