# The standalone sync relay: docker build -f build/relay.Dockerfile -t codetether-relay .
# Run: docker run -p 8787:8787 -v relay-data:/data codetether-relay
# Tokens: docker run --rm -v relay-data:/data codetether-relay token create --workspace W --data-dir /data
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends g++ make python3 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Only the runtime dependencies; Electron and the build toolchain are dev dependencies.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY shared ./shared
COPY sync-server ./sync-server
RUN rm -rf sync-server/test && mkdir /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:8787/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "sync-server/bin.js"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8787", "--data-dir", "/data"]
