import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { SessionProvider } from './api/session-context';
import { createPortalRouter } from './app/routes';
import { initI18n } from './i18n/i18n';

/** The portal's entry: i18n first, then Fluent, the session and the router. */
async function main(): Promise<void> {
  await initI18n();
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root');
  createRoot(root).render(
    <StrictMode>
      <FluentProvider theme={webLightTheme}>
        <SessionProvider>
          <RouterProvider router={createPortalRouter()} />
        </SessionProvider>
      </FluentProvider>
    </StrictMode>,
  );
}

void main();
