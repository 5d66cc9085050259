// `make bench`: measures the built package. Sizes are deterministic (one run suffices).
// Start-up, per-call CPU, edge throughput and paging benchmarks are not written yet.
import { readFileSync, writeFileSync, readdirSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const pkg = path.join(root, "dist/pkg");

function sizes(file) {
  const buf = readFileSync(file);
  return {
    raw: buf.length,
    gzip: gzipSync(buf, { level: 9 }).length,
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const rows = [
  ["client+worker .wasm (web)", path.join(pkg, "web/gumroad_wasm_bg.wasm")],
  ["JS glue (web)", path.join(pkg, "web/gumroad_wasm.js")],
  ["error classes (JS)", path.join(pkg, "web/snippets", readdirSync(path.join(pkg, "web/snippets"))[0], "js/errors.js")],
];

const lines = [
  "| artifact | raw bytes | gzip -9 | brotli -q 11 |",
  "|---|---:|---:|---:|",
  ...rows.map(([name, f]) => {
    const s = sizes(f);
    return `| ${name} | ${s.raw} | ${s.gzip} | ${s.brotli} |`;
  }),
];
const header = `# Benchmark results\n\nMachine: ${os.cpus()[0]?.model ?? "unknown"} x${os.cpus().length}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString()}\n\n## Size\n\n`;
const out = `${header}${lines.join("\n")}\n\nOnly sizes are measured so far; the other benchmarks are not implemented yet.\n`;
console.log(lines.join("\n"));
writeFileSync(path.join(root, "bench/RESULTS.md"), out);
console.log("\nwritten to bench/RESULTS.md");
