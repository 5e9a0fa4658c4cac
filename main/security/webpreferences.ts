// The renderer's webPreferences. Most are Electron's defaults today; they are
// spelled out so a changed default or a careless edit shows up in review and
// fails the unit test.

export interface HardenedWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  spellcheck: false;
  navigateOnDragDrop: false;
  webviewTag: false;
  safeDialogs: true;
  devTools: boolean;
}

/**
 * devTools should be false in packaged builds: at a counter, DevTools would let
 * anyone at the keyboard run their own script in the renderer.
 */
export function createWebPreferences(opts: { preload: string; devTools: boolean }): HardenedWebPreferences {
  return {
    preload: opts.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    // Off also keeps Chromium from downloading dictionaries from Google.
    spellcheck: false,
    navigateOnDragDrop: false,
    webviewTag: false,
    safeDialogs: true,
    devTools: opts.devTools,
  };
}
