#!/usr/bin/env node
// Runs `prisma generate` on machines without internet access.
//
// Prisma's CLI refuses to generate unless its native schema-engine binary exists, and it tries to
// download that binary when it is missing. Generating the client never executes the engine, so when
// the binary is absent (offline install, blocked install scripts) we point PRISMA_SCHEMA_ENGINE_BINARY
// at an existing placeholder file. Users who have the real engine are left untouched.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const require = createRequire(import.meta.url);

function realEngineExists() {
  try {
    const enginesDir = dirname(require.resolve("@prisma/engines/package.json"));
    return readdirSync(enginesDir).some((f) => f.startsWith("schema-engine-"));
  } catch {
    return false;
  }
}

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1" };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && !realEngineExists()) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(import.meta.url);
}
const prismaCli = join(root, "node_modules", "prisma", "build", "index.js");
if (!existsSync(prismaCli)) {
  console.error("prisma-generate: the prisma package is not installed; run npm install first.");
  process.exit(1);
}
const result = spawnSync(process.execPath, [prismaCli, "generate"], { cwd: root, env, stdio: "inherit" });
process.exit(result.status ?? 1);
