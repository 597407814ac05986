/** Where the build writes a package's source file: `<package>/src/a/b.ts` → `<package>/dist/a/b.js`. */
export declare const distPathOf: (source: string) => string;
