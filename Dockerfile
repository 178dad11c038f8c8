# Redress in a container (issue #20). Not built on the development machine (no container engine there):
# test/bin/container.test.ts checks what can be checked without one.

# Build: the npm packages and the compiled JavaScript.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY channels ./channels
COPY dialogs ./dialogs
COPY types ./types
RUN npm run build && npm prune --omit=dev

# Run: the runtime packages, the build and the sources it was made from (bin/redress.mjs runs dist/ only while it
# matches them), the migrations; a user that is not root.
FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3978 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json /app/tsconfig.json /app/tsconfig.build.json ./
COPY --from=build /app/bin ./bin
COPY --from=build /app/src ./src
COPY --from=build /app/channels ./channels
COPY --from=build /app/dialogs ./dialogs
COPY --from=build /app/types ./types
COPY migrations ./migrations
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/livez').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The command of `npm run serve` (package.json), run directly so the process gets the stop signal.
CMD ["node", "--max-old-space-size=192", "--max-semi-space-size=4", "bin/redress.mjs", "serve"]
