# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the dev dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# Runtime stage: production dependencies, compiled code, data and the API contract, as a non-root user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# The service and the ops CLI, both compiled: `docker compose exec api-1 node dist/src/cli/tables.js list --redis …`.
COPY --from=build /app/dist ./dist
COPY data ./data
COPY openapi.yaml ./
# The last activated tables are written here, so a restart during a Redis outage serves them
# rather than data/: a volume outlives the container. Created before VOLUME, owned by node.
ENV SNAPSHOT_DIR=/var/lib/crisis-route/snapshots
RUN mkdir -p "$SNAPSHOT_DIR" && chown -R node:node /var/lib/crisis-route
VOLUME ["/var/lib/crisis-route/snapshots"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself; the service handles it (graceful shutdown),
# so no init wrapper is needed. Not `npm start`: its prestart build needs the dev dependencies.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/server.js"]
