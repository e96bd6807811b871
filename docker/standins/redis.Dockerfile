# Stand-in for redis:7 from Debian bookworm's redis-server (7.0). Honours the official image's interface the
# compose file relies on: `redis-server ARGS...` as the command, redis-cli for the health check, /data as the
# working directory (RDB snapshots land in the volume), listening on every interface, running as user redis.
FROM local/debian:bookworm
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server redis-tools \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
WORKDIR /data
USER redis
EXPOSE 6379
# No config file: Redis's built-in defaults (bind all interfaces, port 6379, dir = working directory).
CMD ["redis-server"]
