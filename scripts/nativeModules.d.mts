export declare const NATIVE_ADDONS: readonly string[];
export declare function ensureNativeModulesForElectron(): boolean;
