export declare const projectDir: string;
export declare function findElectronBinary(): string | null;
export declare const MISSING_ELECTRON_MESSAGE: string;
