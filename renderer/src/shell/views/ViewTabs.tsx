/**
 * A page's views as tabs, drawn from the registry: the views the page's source offers (viewsFor.ts),
 * the chosen one kept in the URL (`view=`).
 */
import { useCallback, useContext, useMemo, useState } from 'react';

import { ProfilesContext } from '../../profiles/profilesContext.js';
import { prepareHostNodes } from '../../views/host/prepareHostNodes.js';
import { readNavigation } from '../navigation/location.js';
import { useNavigationSync } from '../navigation/useNavigation.js';
import { ViewErrorBoundary } from './ViewErrorBoundary.js';
import { VIEW_REGISTRY, type ViewContext } from './viewRegistry.js';
import { shownView, VIEW_LABELS, visibleViews, type ViewId } from './viewsFor.js';

export interface ViewTabsProps extends Omit<ViewContext, 'openView' | 'profiles'> {
  /** The views the page's source offers (viewsFor). */
  views: readonly ViewId[];
  /** The view shown first; by default the URL's `view`, else the first offered. */
  initialView?: ViewId;
  /** A view asked for from outside the tabs (a notice's link); `seq` tells two asks apart. */
  request?: { view: ViewId; seq: number } | undefined;
}

export function ViewTabs({ views, initialView, request, live, ...page }: ViewTabsProps) {
  const [chosen, setChosen] = useState<ViewId | undefined>(
    () => initialView ?? readNavigation().view,
  );
  // A new request moves the tabs there, once (adjusting state while rendering, as React advises).
  const [answered, setAnswered] = useState(request);
  if (request !== answered) {
    setAnswered(request);
    if (request !== undefined) setChosen(request.view);
  }
  const hasHost = useMemo(() => prepareHostNodes(live.store).length > 0, [live]);
  const visible = visibleViews(views, hasHost, chosen);
  const view = shownView(visible, chosen);
  useNavigationSync({ view: view === 'fleet' ? undefined : view });
  const openView = useCallback((id: ViewId) => setChosen(id), []);
  const profiles = useContext(ProfilesContext);
  return (
    <div className="views">
      <div className="tabs" role="tablist" aria-label="Views">
        {VIEW_LABELS.filter(([id]) => visible.includes(id)).map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={view === id}
            aria-controls={`panel-${id}`}
            className={view === id ? 'tab active' : 'tab'}
            onClick={() => setChosen(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`}>
        <ViewErrorBoundary key={view} view={VIEW_LABELS.find(([id]) => id === view)?.[1] ?? view}>
          {VIEW_REGISTRY[view]({ ...page, live, openView, profiles })}
        </ViewErrorBoundary>
      </div>
    </div>
  );
}
