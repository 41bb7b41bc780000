/** Who is calling: the transport (Electron IPC or the test bridge) decides whether the frame is the app's own. */
export interface Caller {
  senderId: string;
  trusted: boolean;
}
