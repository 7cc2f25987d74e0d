/**
 * The browser the e2e tests drive, found without downloading anything at run time:
 *
 * 1. `CHROMIUM_PATH`, when set (any Chromium or Chrome binary);
 * 2. else the Chromium shipped inside the npm package `@sparticuz/chromium` (a devDependency:
 *    `npm ci` brings it from the npm registry like any other package). Its binary and the three
 *    shared libraries it needs beyond glibc (NSS, NSPR, expat) are brotli-compressed in the
 *    package; they are unpacked once into the OS temp folder and the libraries put on the
 *    browser's `LD_LIBRARY_PATH`, so a fresh machine with no browser and no NSS runs it.
 *
 * Debian's `chromium` is not needed (nor looked for): every machine runs the same build.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { brotliDecompressSync } from "node:zlib";

export interface ChromiumLaunch {
  executablePath: string;
  /** Extra environment for the browser process (the packaged libraries), merged over process.env. */
  env: Record<string, string>;
  /** Where it came from, for the test log. */
  source: string;
}

export async function findChromium(): Promise<ChromiumLaunch> {
  const own = process.env.CHROMIUM_PATH;
  if (own) {
    if (!existsSync(own)) throw new Error(`CHROMIUM_PATH=${own}: no such file`);
    return { executablePath: own, env: {}, source: `CHROMIUM_PATH (${own})` };
  }
  const require = createRequire(import.meta.url);
  // The package exports only its entry (build/index.js): its folder is one up from there.
  const pkgDir = dirname(dirname(require.resolve("@sparticuz/chromium")));
  const version = (JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { version: string }).version;
  const dir = join(tmpdir(), `liqflow-chromium-${version}`);
  const executablePath = join(dir, "chromium");
  const libDir = join(dir, "lib");
  if (!existsSync(executablePath) || !existsSync(libDir)) {
    mkdirSync(dir, { recursive: true });
    untar(brotliDecompressSync(readFileSync(join(pkgDir, "bin", "al2023.tar.br"))), dir, (name) => name.startsWith("lib/"));
    // The binary last, written under a temporary name and renamed: its presence means "unpacked".
    const partial = `${executablePath}.partial-${process.pid}`;
    writeFileSync(partial, brotliDecompressSync(readFileSync(join(pkgDir, "bin", "chromium.br"))), { mode: 0o755 });
    renameSync(partial, executablePath);
  }
  const ld = [libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":");
  return { executablePath, env: { LD_LIBRARY_PATH: ld }, source: `@sparticuz/chromium ${version} (${dir})` };
}

/** Writes the regular files of a ustar archive under `into` (only those `keep` accepts). */
function untar(tar: Buffer, into: string, keep: (name: string) => boolean): void {
  let at = 0;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, len: number) => header.subarray(from, from + len).toString("utf8").replace(/\0.*$/s, "");
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : "") + field(0, 100);
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1) || "0";
    const body = at + 512;
    if (type === "0" && keep(name) && !name.includes("..")) {
      const path = join(into, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, tar.subarray(body, body + size), { mode: 0o755 });
    }
    at = body + Math.ceil(size / 512) * 512;
  }
}
