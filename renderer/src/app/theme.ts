import { createTheme, Menu, Modal, Notification } from '@mantine/core';

/**
 * MantineProvider runs with withCssVariables={false} (it would inject an inline <style>, which the CSP
 * refuses), so every value here that differs from Mantine's defaults is mirrored in themeVariables.css.
 * test/e2e/themeVariables.spec.ts fails when the two drift apart.
 */
export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  components: {
    // The scroll-bar compensation of react-remove-scroll injects an inline <style>; the scroll lock itself
    // (blocking wheel and touch outside the modal) works without it.
    Modal: Modal.extend({
      defaultProps: { removeScrollProps: { removeScrollBar: false }, closeButtonProps: { 'aria-label': 'Close' } },
      styles: { title: { fontWeight: 600, fontSize: 'var(--mantine-font-size-lg)' } },
    }),
    // The focus placeholder (role="presentation") is not a child a role="menu" may have; without it the first
    // item takes the focus when a menu opens, as the ARIA menu pattern has it.
    Menu: Menu.extend({ defaultProps: { withInitialFocusPlaceholder: false } }),
    // Mantine renders a modal's header as <header>, which outside <main> is a second banner landmark.
    ModalHeader: { defaultProps: { component: 'div' } },
    // The close button is an icon only: without a name, screen readers announce just "button".
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } },
    }),
  },
});
