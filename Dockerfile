# One image for both processes of the service; docker-compose.yml picks the command:
#   worker: node --import tsx worker/main.ts   (npm run worker)
#   api:    node --import tsx api/main.ts      (npm run api)
# The TypeScript runs through tsx's loader (a runtime dependency), so there is no compile step; node is
# the process itself (not npm or the tsx wrapper), so SIGTERM reaches it and it stops gracefully.

# ── build: native modules (better-sqlite3) and the generated Prisma clients ────────────────────
FROM node:20-bookworm-slim AS build
WORKDIR /app

# better-sqlite3 12 falls back to a node-gyp source build when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

# npm ci runs the postinstall (`prisma generate` for prisma/schema.prisma and prisma/postgres/schema.prisma),
# which needs the schemas, scripts/ and prisma.config.ts (it imports db/url.ts) in place first.
# db/client.ts imports both generated clients: the build fails if either is missing.
COPY package.json package-lock.json ./
COPY prisma.config.ts ./
COPY db ./db
COPY prisma ./prisma
COPY scripts ./scripts
# --include=dev: the migrate service runs `npx prisma migrate deploy`, and prisma is a devDependency.
RUN npm ci --include=dev --no-audit --no-fund \
 && test -f generated/sqlite/client.ts && test -f generated/postgres/client.ts

COPY . .
# §10: the workbench, built once into web/dist (the API serves it at /)
RUN npm run build:web && test -f web/dist/index.html
# the workflow bundle, built once (WORKFLOW_BUNDLE below): a worker starts in a moment instead of ≈ 12 s
RUN npm run build:workflows && test -f dist/workflow-bundle.js

# ── runtime: no compilers ────────────────────────────────────────────────────────────────────
FROM node:20-bookworm-slim
# NODE_OPTIONS: V8's young generation at 64 MB a thread (issue 15, README "Configuration")
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=64 \
    WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    CHECKPOINT_DISABLE=1
WORKDIR /app
# Owned by root and only read by the app: the node user cannot rewrite its own code.
COPY --from=build /app /app

USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "api/main.ts"]
