# Stand-in for mcr.microsoft.com/dotnet/sdk:10.0 (no image registry is reachable from the machines this runs on).
# Built by scripts/docker-test.sh from a debootstrapped Debian bookworm (local/debian:bookworm); its build context
# holds the host's .NET SDK (dotnet/, hard links to /usr/share/dotnet) and the extra CA certificates the host trusts
# (ca/, from /usr/local/share/ca-certificates: where the machine's outbound HTTPS passes an inspecting proxy, NuGet
# inside the build must trust the same roots as the host). Honours what docker/Dockerfile uses: `dotnet` on PATH, an SDK
# that satisfies global.json, and the official image's environment variables.
FROM local/debian:bookworm
# The native libraries .NET loads (ICU for globalization, OpenSSL, Kerberos for Npgsql's GSS code paths, zlib),
# plus CA roots for NuGet's HTTPS.
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      ca-certificates libicu72 libssl3 zlib1g libgssapi-krb5-2 tzdata \
 && rm -rf /var/lib/apt/lists/*
COPY ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null
COPY dotnet/ /usr/share/dotnet/
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
# The host's NuGet certificate revocation mode, when it has one (`offline` where revocation servers are unreachable).
ARG NUGET_CERT_REVOCATION_MODE=online
ENV NUGET_CERT_REVOCATION_MODE=$NUGET_CERT_REVOCATION_MODE \
    DOTNET_RUNNING_IN_CONTAINER=true \
    DOTNET_USE_POLLING_FILE_WATCHER=true \
    NUGET_XMLDOC_MODE=skip \
    APP_UID=1654
RUN groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --create-home --shell /bin/false app
