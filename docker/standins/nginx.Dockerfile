# Stand-in for nginx:1.22 (the version in Debian bookworm). Honours the official image's interface the compose
# file relies on: /etc/nginx/conf.d/*.conf included inside `http {}`, logs to the container's stdout/stderr,
# `nginx -g 'daemon off;'` as the command, SIGQUIT for a graceful stop.
FROM local/debian:bookworm
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && rm -f /etc/nginx/sites-enabled/* \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80 443
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
