import type { AppInfo } from '@shared/ipc/app';
import type { MenuCommand } from '@shared/ipc/menu';
import { baseName } from './format';
import { hasBackend, request } from './ipc';

/**
 * State of the application shell (chrome around the editor): what the
 * backend reports, which panels show, the chosen photo, the status line.
 * Components read it and call its methods; it owns no DOM.
 */
export class ShellState {
  info = $state<AppInfo | null>(null);
  /** Set when app:info could not be loaded; the status bar shows it. */
  infoError = $state<string | null>(null);
  panelsVisible = $state(true);
  aboutOpen = $state(false);
  /** Absolute path of the photo chosen in the open dialog. */
  photoPath = $state<string | null>(null);
  status = $state('Ready');
  /** What the window shows: the editor (one photo) or the batch queue. */
  mode = $state<'editor' | 'batch'>('editor');

  readonly photoName = $derived(this.photoPath ? baseName(this.photoPath) : null);

  /** Set by the editor, which opens and closes photos itself (it sets photoPath and status). */
  openHandler: (() => Promise<void>) | null = null;
  closeHandler: (() => Promise<void>) | null = null;

  async loadInfo(): Promise<void> {
    if (!hasBackend()) {
      this.infoError = 'No backend connected';
      return;
    }
    try {
      this.info = await request('app:info');
      this.infoError = null;
    } catch (err) {
      this.infoError = err instanceof Error ? err.message : String(err);
    }
  }

  async openImage(): Promise<void> {
    if (this.openHandler) return this.openHandler();
    try {
      const { files } = await request('dialog:open-image', { title: 'Open Photo' });
      const chosen = files[0]?.path;
      if (!chosen) return;
      this.photoPath = chosen;
      this.status = `Selected ${baseName(chosen)}`;
    } catch (err) {
      this.status = `Could not open the file dialog: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  closePhoto(): void {
    if (this.closeHandler) {
      void this.closeHandler();
      return;
    }
    if (!this.photoPath) return;
    this.status = `Closed ${baseName(this.photoPath)}`;
    this.photoPath = null;
  }

  togglePanels(): void {
    this.panelsVisible = !this.panelsVisible;
  }

  /** Menu commands the shell owns; editing commands are ignored until the editor handles them. */
  runMenuCommand(command: MenuCommand): void {
    switch (command) {
      case 'file.open':
        void this.openImage();
        break;
      case 'file.close':
        this.closePhoto();
        break;
      case 'view.toggle-panels':
        this.togglePanels();
        break;
      case 'help.about':
        this.aboutOpen = true;
        break;
      default:
        break;
    }
  }
}
