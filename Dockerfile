# One image for the three services and the gateway (docker-compose.yml picks the entry point):
#   node dist/apps/<service>/apps/<service>/src/main.js           the service
#   node dist/apps/gateway/apps/gateway/src/main.js               the gateway (reads
#                                                                 dist/openapi/openapi.json and serves
#                                                                 the portal, dist/portal, built here)
#   node dist/apps/<service>/apps/<service>/src/main.js migrate   its migrations

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY nest-cli.json tsconfig.json jest.swc.js ./
COPY libs ./libs
COPY apps ./apps
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
# V8's young generation at 64 MB semi-spaces (scripts/lib/system.js SERVICE_NODE_FLAGS: fewer
# scavenges under load; garbage collection fell from 8.9 % to 6.4 % of relationships' profile).
ENV NODE_OPTIONS=--max-semi-space-size=64
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
USER node
STOPSIGNAL SIGTERM
CMD ["node", "dist/apps/identity/apps/identity/src/main.js"]
