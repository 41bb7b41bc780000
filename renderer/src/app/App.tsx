import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { SessionGate } from '../features/session/SessionGate';
import { SessionProvider } from '../features/session/SessionProvider';
import { RecoveryScreen } from '../features/workstation/RecoveryScreen';
import { colorSchemeManager } from './colorScheme';
import { ConsoleRouter } from './ConsoleRouter';
import { theme } from './theme';
import { useFocusKeeper } from './useFocusKeeper';

/**
 * withCssVariables / withGlobalClasses are off because both render inline <style> elements, which the CSP
 * refuses; themeVariables.css carries the variables instead and the global classes are not used.
 */
export function App() {
  useFocusKeeper();
  return (
    <MantineProvider
      theme={theme}
      colorSchemeManager={colorSchemeManager}
      defaultColorScheme="auto"
      withCssVariables={false}
      withGlobalClasses={false}
    >
      <Notifications position="bottom-right" />
      {/* main loads #recovery when the console could not open (its key is missing): no session exists then. */}
      {window.location.hash === '#recovery' ? (
        <RecoveryScreen />
      ) : (
        <SessionProvider>
          <SessionGate>
            <ConsoleRouter />
          </SessionGate>
        </SessionProvider>
      )}
    </MantineProvider>
  );
}
