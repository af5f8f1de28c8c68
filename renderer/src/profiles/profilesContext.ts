/**
 * The console's one profile list and the platform's file calls the Profiles view needs, handed
 * from App.tsx to every page's views without threading them through each page: App provides it,
 * ViewTabs reads it into the ViewContext.
 */
import { createContext } from 'react';

import type { Platform } from '../platform/Platform.js';
import type { ProfileLibrary } from './ProfileLibrary.js';

export interface ProfilesPort {
  readonly library: ProfileLibrary;
  /** "Open profile…": Platform.openFile. */
  readonly openFile: Platform['openFile'];
  /** Exports (PNG, SVG, folded text): Platform.saveFile. */
  readonly saveFile: Platform['saveFile'];
}

export const ProfilesContext = createContext<ProfilesPort | undefined>(undefined);
