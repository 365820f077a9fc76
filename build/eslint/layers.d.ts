/** Room -> the rooms it may import (see layers.js). */
export declare const rooms: Record<string, string[]>;
export declare function roomOf(absFile: string): string | undefined;
declare const plugin: { rules: Record<string, unknown> };
export default plugin;
