/**
 * Remembers the main window's size, position and maximised state between runs, in
 * `<userData>/window-state.json`. A saved position that is no longer on any display
 * (a monitor was unplugged) is ignored, so the window never opens off-screen.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

const DEFAULT_STATE: WindowState = { bounds: { x: 0, y: 0, width: 1280, height: 820 }, maximized: false };

export function loadWindowState(userDataDir: string, displays: Rectangle[]): WindowState & { positioned: boolean } {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(userDataDir, 'window-state.json'), 'utf8')) as WindowState;
    const b = raw.bounds;
    const valid = [b.x, b.y, b.width, b.height].every((n) => Number.isFinite(n)) && b.width >= 400 && b.height >= 300;
    if (!valid) return { ...DEFAULT_STATE, positioned: false };
    const visible = displays.some((d) => b.x < d.x + d.width && b.x + b.width > d.x && b.y < d.y + d.height && b.y + b.height > d.y);
    return { bounds: b, maximized: Boolean(raw.maximized), positioned: visible };
  } catch {
    return { ...DEFAULT_STATE, positioned: false };
  }
}

export function trackWindowState(win: BrowserWindow, userDataDir: string): void {
  let timer: NodeJS.Timeout | null = null;
  const save = (): void => {
    if (win.isDestroyed()) return;
    const state: WindowState = { bounds: win.getNormalBounds(), maximized: win.isMaximized() };
    try {
      fs.mkdirSync(userDataDir, { recursive: true });
      fs.writeFileSync(path.join(userDataDir, 'window-state.json'), JSON.stringify(state));
    } catch {
      // Losing the window position is not worth interrupting the user for.
    }
  };
  const later = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 400);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', save);
}
