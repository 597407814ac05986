/** Where the build writes a package's source file: `<package>/src/a/b.ts` → `<package>/dist/a/b.js`. */
export declare const distPathOf: (source: string) => string;

/** Builds without the type check for tests that run the built code; one build at a time across test files. */
export declare function buildForTests(): Promise<void>;
