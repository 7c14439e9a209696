/**
 * THE IPC contract: every request channel (renderer asks, main answers) with
 * its argument schema and result type, and every event channel (main pushes)
 * with its payload type. Main, preload, the test bridge and the renderer all
 * derive from this module; nothing else crosses the process boundary.
 *
 * How to add a request channel
 *   1. Put the argument schema (zod; `.optional()` when the argument may be
 *      omitted, strict objects so unknown keys are refused) and the result type
 *      in a capability file beside this one (e.g. `restore.ts`), then add one
 *      line to `requests`:  'restore:run': request(restoreRunArgsSchema, resultOf<RestoreRunResult>()),
 *      Main validates every call against the schema before the handler runs and
 *      answers INVALID_ARGUMENT otherwise; results are types only (main is trusted).
 *   2. Implement it in `src/main/<capability>/handlers.ts` with `defineHandlers`
 *      and list that module in `src/main/backend.ts`. The router refuses to start
 *      when a contract channel has no handler or two.
 *   The preload and the bridge build their channel lists from `requests`; nothing to edit there.
 *
 * How to add an event channel
 *   Add  'restore:progress': eventOf<RestoreProgress>(),  to `events`, and emit
 *   it from a handler with `ctx.emit('restore:progress', payload)` (goes to the
 *   caller's window / socket). Payloads must be structured-clone and JSON safe:
 *   no class instances, no big pixel buffers (those go by custom protocol).
 *
 * Channel names are `<capability>:<verb>`; request and event names never overlap.
 */
import { z } from 'zod';
import type { AppInfo } from './app';
import {
  batchRefArgsSchema,
  batchStartArgsSchema,
  batchThumbnailArgsSchema,
  type BatchItemEvent,
  type BatchListResult,
  type BatchOpenOutputResult,
  type BatchProgress,
  type BatchSnapshot,
  type BatchThumbnailResult,
} from './batch';
import {
  defectsCancelArgsSchema,
  defectsDetectArgsSchema,
  defectsFacesArgsSchema,
  defectsRethresholdArgsSchema,
  type DefectsCancelResult,
  type DefectsDetectResult,
  type DefectsFacesResult,
  type DefectsProgress,
  type DefectsRethresholdResult,
} from './defects';
import { batchItemRefArgsSchema, type BatchOpenItemResult } from './batch-open';
import { settingsPatchSchema, type SettingsView } from './settings';
import { tonePreviewArgsSchema, type TonePreviewResult } from './tone-preview';
import {
  chooseFolderArgsSchema,
  openImageArgsSchema,
  saveFileArgsSchema,
  type ChooseFolderResult,
  type OpenImageResult,
  type SaveFileResult,
} from './dialog';
import {
  documentCommitArgsSchema,
  documentExportArgsSchema,
  documentExportPlanArgsSchema,
  documentImportArgsSchema,
  documentOpenArgsSchema,
  documentRefArgsSchema,
  documentViewArgsSchema,
  type DisplayImage,
  type DocumentCommitResult,
  type DocumentExportPlan,
  type DocumentExportResult,
  type DocumentInfo,
  type RecentList,
} from './documents';
import type { IpcResult } from './errors';
import type { GrantedPath } from './grants';
import type { MenuCommandEvent, MenuOpenRecentEvent } from './menu';
import { defectsSnapArgsSchema, type DefectsSnapResult } from './snap';
import { projectOpenArgsSchema, projectSaveArgsSchema, type ProjectOpenResult, type ProjectSaveResult } from './project';
import {
  restoreCancelArgsSchema,
  restoreRunArgsSchema,
  type RestoreCancelResult,
  type RestoreProgress,
  type RestoreRunResult,
} from './restore';

/** Carries a type through a value without a runtime payload. */
export interface TypeOnly<T> {
  readonly __type?: (value: T) => T;
}

export interface RequestSpec<S extends z.ZodType, R> {
  readonly args: S;
  readonly result: TypeOnly<R>;
}

export function request<S extends z.ZodType, R>(args: S, result: TypeOnly<R>): RequestSpec<S, R> {
  return { args, result };
}

export function resultOf<T>(): TypeOnly<T> {
  return {};
}

export function eventOf<T>(): TypeOnly<T> {
  return {};
}

/** Schema for channels that take no argument. */
const noArgs = z.undefined();

export const requests = {
  'app:info': request(noArgs, resultOf<AppInfo>()),
  'dialog:open-image': request(openImageArgsSchema, resultOf<OpenImageResult>()),
  'dialog:save-file': request(saveFileArgsSchema, resultOf<SaveFileResult>()),
  'dialog:choose-folder': request(chooseFolderArgsSchema, resultOf<ChooseFolderResult>()),
  'document:open': request(documentOpenArgsSchema, resultOf<DocumentInfo>()),
  'document:import': request(documentImportArgsSchema, resultOf<DocumentInfo>()),
  'document:view': request(documentViewArgsSchema, resultOf<DisplayImage>()),
  'document:commit': request(documentCommitArgsSchema, resultOf<DocumentCommitResult>()),
  'document:export-plan': request(documentExportPlanArgsSchema, resultOf<DocumentExportPlan>()),
  'document:export': request(documentExportArgsSchema, resultOf<DocumentExportResult>()),
  'document:close': request(documentRefArgsSchema, resultOf<{ readonly closed: boolean }>()),
  'project:save': request(projectSaveArgsSchema, resultOf<ProjectSaveResult>()),
  'project:open': request(projectOpenArgsSchema, resultOf<ProjectOpenResult>()),
  'recent:list': request(noArgs, resultOf<RecentList>()),
  'recent:clear': request(noArgs, resultOf<RecentList>()),
  'restore:run': request(restoreRunArgsSchema, resultOf<RestoreRunResult>()),
  'restore:cancel': request(restoreCancelArgsSchema, resultOf<RestoreCancelResult>()),
  'tone:preview': request(tonePreviewArgsSchema, resultOf<TonePreviewResult>()),
  'defects:detect': request(defectsDetectArgsSchema, resultOf<DefectsDetectResult>()),
  'defects:rethreshold': request(defectsRethresholdArgsSchema, resultOf<DefectsRethresholdResult>()),
  'defects:cancel': request(defectsCancelArgsSchema, resultOf<DefectsCancelResult>()),
  'defects:faces': request(defectsFacesArgsSchema, resultOf<DefectsFacesResult>()),
  'defects:snap': request(defectsSnapArgsSchema, resultOf<DefectsSnapResult>()),
  'batch:start': request(batchStartArgsSchema, resultOf<BatchSnapshot>()),
  'batch:get': request(batchRefArgsSchema, resultOf<BatchSnapshot>()),
  'batch:list': request(noArgs, resultOf<BatchListResult>()),
  'batch:pause': request(batchRefArgsSchema, resultOf<BatchProgress>()),
  'batch:resume': request(batchRefArgsSchema, resultOf<BatchProgress>()),
  'batch:cancel': request(batchRefArgsSchema, resultOf<BatchProgress>()),
  'batch:retry-failed': request(batchRefArgsSchema, resultOf<BatchProgress>()),
  'batch:thumbnail': request(batchThumbnailArgsSchema, resultOf<BatchThumbnailResult>()),
  'batch:open-output': request(batchRefArgsSchema, resultOf<BatchOpenOutputResult>()),
  'batch:open-item': request(batchItemRefArgsSchema, resultOf<BatchOpenItemResult>()),
  'settings:get': request(noArgs, resultOf<SettingsView>()),
  'settings:set': request(settingsPatchSchema, resultOf<SettingsView>()),
} as const;

export const events = {
  'menu:command': eventOf<MenuCommandEvent>(),
  'menu:open-recent': eventOf<MenuOpenRecentEvent>(),
  'restore:progress': eventOf<RestoreProgress>(),
  'defects:progress': eventOf<DefectsProgress>(),
  'batch:progress': eventOf<BatchProgress>(),
  'batch:item': eventOf<BatchItemEvent>(),
} as const;

/**
 * The one channel outside `requests`: the preload asks main to grant a dropped
 * file's path (PatinaApi.grantFile). It is not in REQUEST_CHANNELS, so the
 * renderer's `invoke` cannot reach it with a path of its own making.
 */
export const DROPPED_FILE_CHANNEL = 'grant:dropped-file';

export type RequestChannel = keyof typeof requests;
export type EventChannel = keyof typeof events;

export const REQUEST_CHANNELS = Object.freeze(Object.keys(requests)) as readonly RequestChannel[];
export const EVENT_CHANNELS = Object.freeze(Object.keys(events)) as readonly EventChannel[];

/** What the renderer passes (before schema defaults/transforms). */
export type RequestArg<C extends RequestChannel> = z.input<(typeof requests)[C]['args']>;
/** What the handler receives (after validation). */
export type ValidatedArg<C extends RequestChannel> = z.output<(typeof requests)[C]['args']>;
export type RequestResult<C extends RequestChannel> =
  (typeof requests)[C]['result'] extends TypeOnly<infer R> ? R : never;
export type EventPayload<E extends EventChannel> = (typeof events)[E] extends TypeOnly<infer P> ? P : never;

/** The argument is optional in `invoke` exactly when the schema accepts undefined. */
export type RequestArgTuple<C extends RequestChannel> =
  undefined extends RequestArg<C> ? [arg?: RequestArg<C>] : [arg: RequestArg<C>];

export type Unsubscribe = () => void;

/**
 * `window.patina`: the whole surface the preload (or the test bridge's shim)
 * exposes to the renderer. Nothing else is exposed.
 */
export interface PatinaApi {
  invoke<C extends RequestChannel>(channel: C, ...arg: RequestArgTuple<C>): Promise<IpcResult<RequestResult<C>>>;
  on<E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe;
  /**
   * A read handle for a File the person dropped on the window, so the editor
   * can open it in place: the preload takes its path from Electron's webUtils
   * (only files from disk have one; a page cannot make one up) and main grants
   * it. null where a File has no path on disk: the test bridge, or data
   * dragged from another application; the editor then imports the bytes.
   * `file` is a DOM File (typed loosely: src/shared has no DOM types).
   */
  grantFile(file: object): Promise<GrantedPath | null>;
}

export function isRequestChannel(value: unknown): value is RequestChannel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(requests, value);
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(events, value);
}
