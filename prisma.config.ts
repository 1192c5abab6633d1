import { defineConfig } from "prisma/config";

// process.env rather than env(): `prisma generate` must work without DATABASE_URL set.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://root@127.0.0.1:5432/huibao" },
});
