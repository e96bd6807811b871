# Stand-in for mcr.microsoft.com/dotnet/aspnet:10.0: the .NET and ASP.NET Core shared runtimes only (no SDK),
# copied from the host's /usr/share/dotnet by scripts/docker-test.sh into the build context. Honours the official
# image's interface that docker/Dockerfile and the compose file rely on: the non-root user `app` with UID/GID 1654
# and APP_UID, ASPNETCORE_HTTP_PORTS=8080, DOTNET_RUNNING_IN_CONTAINER, bash/grep/getent for the health checks.
FROM local/debian:bookworm
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      ca-certificates libicu72 libssl3 zlib1g libgssapi-krb5-2 tzdata \
 && rm -rf /var/lib/apt/lists/*
COPY . /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
 && groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --create-home --shell /bin/false app
ENV APP_UID=1654 \
    ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
