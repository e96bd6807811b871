# Stand-in for postgres:15 from Debian bookworm's postgresql-15. Honours the official image's interface the compose
# file and scripts rely on: POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB create the superuser and the database
# when the data directory (PGDATA, /var/lib/postgresql/data, the volume) is empty; scripts in
# /docker-entrypoint-initdb.d run once on that first start; the server listens on every interface with password
# (scram-sha-256) authentication for TCP; pg_isready, psql, pg_dump and pg_restore are on PATH; the server runs as
# user postgres and stops fast-but-clean on SIGINT, like the official image.
FROM local/debian:bookworm
# No cluster at install time: the entrypoint creates one in the volume.
RUN mkdir -p /etc/postgresql-common \
 && echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.conf \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/postgresql/data /var/run/postgresql /docker-entrypoint-initdb.d \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql \
 && chmod 700 /var/lib/postgresql/data
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data \
    LANG=C.UTF-8
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
