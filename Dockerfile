# Multi-stage build: compile with the full Rust toolchain, ship a slim image with
# the one binary (templates, static files and migrations are compiled into it).
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY .sqlx .sqlx
COPY src src
COPY migrations migrations
COPY templates templates
COPY static static
# Queries are checked against the committed .sqlx cache: no database at build time.
ENV SQLX_OFFLINE=true
RUN cargo build --release --locked --bin liaison

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --no-create-home liaison
COPY --from=build /src/target/release/liaison /usr/local/bin/liaison
USER liaison
ENV LIAISON_ADDR=0.0.0.0:3000
EXPOSE 3000
ENTRYPOINT ["liaison"]
CMD ["serve"]
