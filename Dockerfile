# syntax=docker/dockerfile:1
#
# newsearch in one container: a static binary on scratch, the seed articles
# and their prebuilt index inside, data under /data (a volume).
#
#   podman build -t newsearch .        (or docker build)
#   podman run --read-only -p 8080:8080 newsearch
#   podman run --read-only -p 8080:8080 -v ./corpus:/corpus:ro -e NEWSEARCH_SEEDS=/corpus newsearch
#
# Settings are NEWSEARCH_* environment variables (see README.md).

FROM golang:1.26 AS build
WORKDIR /src
# Dependencies first: this layer is reused until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY cmd ./cmd
COPY index ./index
COPY server ./server
COPY seeds ./seeds
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/newsearch ./cmd/newsearch
# The seed articles and their index, built now so that a container answers
# its first query at once; serve reuses the index while /seeds is unchanged.
RUN mkdir -p /out/seeds /out/tmp \
 && cp seeds/*.txt seeds/meta.json /out/seeds/ \
 && chmod 1777 /out/tmp \
 && /out/newsearch index -index /out/data -log-format json /out/seeds

FROM scratch
ARG VERSION=dev
LABEL org.opencontainers.image.title="newsearch" \
      org.opencontainers.image.description="Embeddable full-text search for news archives (English, Russian, Chinese): faceted, highlighted JSON API and search page" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="proprietary" \
      org.opencontainers.image.source="https://example.invalid/newsearch"
COPY --from=build /out/newsearch /newsearch
COPY --from=build /out/seeds /seeds
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build /out/tmp /tmp
ENV NEWSEARCH_ADDR=:8080 \
    NEWSEARCH_INDEX=/data \
    NEWSEARCH_SEEDS=/seeds \
    NEWSEARCH_LOG_FORMAT=json
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 CMD ["/newsearch", "health"]
ENTRYPOINT ["/newsearch"]
CMD ["serve"]
