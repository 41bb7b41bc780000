import { HashRouter, Navigate, Route, Routes } from 'react-router';
import { useActiveSession } from '../features/session/sessionContext';
import { routesFor } from './consoleRoutes';
import { ConsoleLayout } from './layout/ConsoleLayout';

/** Hash routing: the app is served from app://console/ and has no server to answer deep links. */
export function ConsoleRouter() {
  const { role } = useActiveSession();
  const routes = routesFor(role);
  return (
    <HashRouter>
      <Routes>
        <Route element={<ConsoleLayout routes={routes} />}>
          {routes.map(({ path, page: Page }) => (
            <Route key={path} path={path} element={<Page />} />
          ))}
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </HashRouter>
  );
}
