# iishost in a container: the command and the sample modules, built from this tree.
#   docker build -t iishost .
#   docker run --rm -p 8080:8080 iishost            # serves samples/ with cmd/iishost/default.config
# Serve your own modules by mounting a configuration and the libraries it names:
#   docker run --rm -p 8080:8080 -v $PWD/site:/etc/iishost:ro iishost \
#     -config /etc/iishost/applicationHost.config -listen :8080

# Build stage: Go for the command (cgo), g++ for the modules.
FROM golang:1.26-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -o /out/bin/iishost ./cmd/iishost
# Every sample folder holding sources becomes <folder>.so, the names default.config uses.
RUN mkdir -p /out/modules \
 && for dir in samples/*/; do \
      name=$(basename "$dir"); \
      ls "$dir" | grep -Eq '\.(c|cpp|cc|cxx)$' || continue; \
      /out/bin/iishost build -o "/out/modules/$name.so" "$dir" || exit 1; \
    done \
 && cp cmd/iishost/default.config /out/applicationHost.config

# Runtime stage: glibc and libstdc++ (which C++ modules link against), no compiler.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libstdc++6 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --no-create-home --shell /usr/sbin/nologin --uid 10001 iishost
COPY --from=build /out/bin/iishost /usr/local/bin/iishost
COPY --from=build /out/modules /opt/iishost/modules
COPY --from=build /out/applicationHost.config /etc/iishost/applicationHost.config
COPY samples/wwwroot /srv/iishost/wwwroot
# %IISHOST_SAMPLES% and %IISHOST_WWWROOT% in the configuration expand to these.
ENV IISHOST_SAMPLES=/opt/iishost/modules \
    IISHOST_WWWROOT=/srv/iishost/wwwroot
USER 10001:10001
# 8080 serves the sites; 9090 is the admin port when started with -admin :9090.
EXPOSE 8080 9090
ENTRYPOINT ["/usr/local/bin/iishost"]
# -listen :8080 in place of the configuration's loopback binding, so the port can be published.
CMD ["-config", "/etc/iishost/applicationHost.config", "-listen", ":8080"]
