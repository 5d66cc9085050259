// For `tsc -p js/tsconfig.json` only (the package ships no .d.ts from js/): facts about the
// built-ins that the lib declarations leave out, so checks the modules already make narrow.

interface NumberConstructor {
  /** True only for numbers. */
  isInteger(number: unknown): number is number;
  /** True only for numbers. */
  isSafeInteger(number: unknown): number is number;
}
