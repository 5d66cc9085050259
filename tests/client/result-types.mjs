// The result types in src/js/types.d.ts are written by hand: the client never deserializes an
// answer (it hands out what JSON.parse made), so no Rust type describes them. They are held to
// gumroad-mock instead, whose answers the conformance suites hold to Gumroad's own examples:
// every answer the client cases got is written out as a TypeScript object literal annotated
// with the declared result type of the method that got it, and tsc checks the file. A field
// the mock sends that the type does not declare (an excess property of a literal), a required
// field it does not send, or a value of another type fails the check.
import { mkdirSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";

/** At most this many distinct answers per route are kept (enough to see optional fields vary). */
const PER_ROUTE = 4;

/** Keeps answers per route name, the first few distinct ones. */
export class ResultLog {
  constructor() {
    /** @type {Map<string, Map<string, unknown>>} */
    this.byRoute = new Map();
    /** @type {string[]} */
    this.skipped = [];
  }

  /** @param {string} route @param {unknown} value */
  add(route, value) {
    if (!isJson(value)) {
      if (!this.skipped.includes(route)) this.skipped.push(route);
      return;
    }
    const text = JSON.stringify(value);
    const seen = this.byRoute.get(route) ?? new Map();
    if (seen.size < PER_ROUTE && !seen.has(text)) seen.set(text, value);
    this.byRoute.set(route, seen);
  }
}

/** Plain JSON data: what JSON.parse makes (a Blob or a class instance is not). */
function isJson(value) {
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isJson);
  if (typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.values(value).every(isJson);
}

/** The declared result type of `client.<a>.<b>()` as a TypeScript type expression. */
function resultType(route) {
  let t = "GumroadClient";
  for (const part of route.split(".")) t = `NonNullable<${t}>[${JSON.stringify(part)}]`;
  return `Awaited<ReturnType<${t}>>`;
}

/**
 * Writes the answers as annotated literals under `dir` and runs tsc on them. Resolves to
 * { ok, output, checked } where `checked` counts the literals.
 */
export function checkResultTypes(log, { repoRoot, dir }) {
  mkdirSync(dir, { recursive: true });
  const lines = [
    "// Written by tests/client/result-types.mjs from the answers the client cases got.",
    `import type { GumroadClient } from ${JSON.stringify(`${repoRoot}/dist/pkg/index.js`)};`,
  ];
  let checked = 0;
  for (const [route, answers] of [...log.byRoute].sort(([a], [b]) => a.localeCompare(b))) {
    let i = 0;
    for (const text of answers.keys()) {
      const name = `${route.replaceAll(".", "_")}_${i++}`;
      lines.push(`// ${route}`, `export const ${name}: ${resultType(route)} = ${text};`);
      checked++;
    }
  }
  writeFileSync(`${dir}/results.ts`, lines.join("\n") + "\n");
  writeFileSync(
    `${dir}/tsconfig.json`,
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "ES2022",
          module: "ESNext",
          moduleResolution: "bundler",
          lib: ["ES2022", "DOM", "DOM.Iterable"],
          skipLibCheck: true,
          exactOptionalPropertyTypes: true,
        },
        files: ["results.ts"],
      },
      null,
      2,
    ),
  );
  const run = spawnSync(`${repoRoot}/node_modules/.bin/tsc`, ["-p", dir, "--pretty", "false"], { encoding: "utf8" });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`, checked };
}
