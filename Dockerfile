# nocwatch: multi-stage build; the runtime image has no compiler and runs as a non-root user.
FROM node:20-bookworm-slim AS build
# better-sqlite3 is a native module: build it from source against this Node.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
COPY bin ./bin
COPY config ./config
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    NOCWATCH_DATA_DIR=/var/lib/nocwatch
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/config ./config
RUN groupadd --system nocwatch && useradd --system --gid nocwatch --home /var/lib/nocwatch nocwatch \
    && mkdir -p /var/lib/nocwatch && chown nocwatch:nocwatch /var/lib/nocwatch
USER nocwatch
VOLUME ["/var/lib/nocwatch"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Listening on all interfaces requires tokens: pass NOCWATCH_ADMIN_TOKEN (and/or the ingest/read tokens).
ENTRYPOINT ["node", "dist/main.js"]
CMD ["run", "--host", "0.0.0.0"]
