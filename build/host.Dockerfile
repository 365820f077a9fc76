# The headless host (A2A, monitor, agents, store) for a team server.
#   docker build -f build/host.Dockerfile -t codetether-host .
#   docker run -p 8000:8000 -v codetether-data:/data -e CODETETHER_TOKEN=ct_... codetether-host
# test/deploy/host-image.test.ts runs these steps without Docker (see README, "Run it for a team").
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends g++ make python3 && rm -rf /var/lib/apt/lists/*
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1
WORKDIR /app
# Dependencies first, so a source change reuses this layer. Install scripts run in the next
# step: the project's own (prepare) needs the sources, which are not here yet.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
# better-sqlite3 and node-pty compile their addons for this Node (or fetch a prebuilt one).
RUN npm rebuild --no-audit --no-fund
COPY . .
# The monitor's bundle (out/renderer), which the host serves at /.
RUN npx electron-vite build --logLevel warn
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
# git: worktrees and the coding agents' checkouts; tini: reaps the agents' exited processes.
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends git tini ca-certificates && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    CODETETHER_DATA_DIR=/data \
    CODETETHER_HOST=0.0.0.0 \
    CODETETHER_PORT=8000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/main ./main
COPY --from=build /app/shared ./shared
COPY --from=build /app/out/renderer ./out/renderer
COPY --from=build /app/build/host-entrypoint.sh ./build/host-entrypoint.sh
RUN mkdir -p /data && chown node:node /data
USER node
# The SQLite database, config.json, keys, task output and worktrees. With the PostgreSQL store
# only output, worktrees and keys live here.
VOLUME /data
EXPOSE 8000
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 CMD node -e "fetch('http://127.0.0.1:'+(process.env.CODETETHER_PORT||8000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["tini", "--", "build/host-entrypoint.sh"]
CMD ["serve"]
