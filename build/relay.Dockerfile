# The standalone sync relay: docker build -f build/relay.Dockerfile -t codetether-relay .
# Run: docker run -p 8787:8787 -v relay-data:/data codetether-relay [--redis redis://redis:6379]
# Tokens: docker run --rm -v relay-data:/data codetether-relay token create --workspace W
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends g++ make python3 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Only the runtime dependencies; Electron and the build toolchain are dev dependencies.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
RUN npm rebuild better-sqlite3 --no-audit --no-fund
COPY shared ./shared
COPY sync-server ./sync-server
RUN rm -rf sync-server/test

FROM ${NODE_IMAGE}
# tini forwards SIGTERM to the relay, which then closes clients and folds its logs.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends tini && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    CODETETHER_RELAY_DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/shared ./shared
COPY --from=build /app/sync-server ./sync-server
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8787
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 CMD node -e "fetch('http://127.0.0.1:8787/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["tini", "--", "node", "sync-server/bin.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8787", "--data-dir", "/data"]
