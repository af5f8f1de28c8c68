import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { detectPlatform } from '../platform/detectPlatform.js';
import { App } from './App.js';
import './theme.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App platform={detectPlatform()} />
  </StrictMode>,
);
