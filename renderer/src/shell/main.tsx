import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { detectPlatform } from '../platform/detectPlatform.js';
import { App } from './App.js';
import './theme.css';

// The web console reads its token from the fragment once; a pasted new `#token=…` starts over.
window.addEventListener('hashchange', () => window.location.reload());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App platform={detectPlatform()} />
  </StrictMode>,
);
