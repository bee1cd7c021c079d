# syntax=docker/dockerfile:1
# Build: docker build -t atlas-bot .
# Run:   docker run -v atlas-data:/data -e Telegram__BotToken=... -e Feeds__0__Url=https://... atlas-bot

FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
# Restore first, from the project files alone, so that code changes reuse the cached packages.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Atlas.Bot/Atlas.Bot.csproj src/Atlas.Bot/
# One target architecture: the native chart libraries of the other platforms stay out of the image.
RUN dotnet restore src/Atlas.Bot/Atlas.Bot.csproj -a $TARGETARCH
COPY src/ src/
# The shipped configuration and sample feeds are published next to the program (app/config/).
COPY config/ config/
RUN dotnet publish src/Atlas.Bot/Atlas.Bot.csproj -c Release -a $TARGETARCH --self-contained false -o /app --no-restore
# The volume's mount point, owned by the runtime image's non-root user (APP_UID 1654).
RUN mkdir -p /data

# Chiseled: no shell, no package manager; "extra" adds ICU and tzdata (Asia/Baku, az/ru cultures).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY --from=build --chown=1654:1654 /data /data
# Public: /r/ and the webhook on 8080. /metrics and /healthz only on 9090 inside the container (Web__ManagementUrls=http://0.0.0.0:9090
# lets a scraper on the container's network in; publish 8080 alone either way). The health check asks wherever the configuration says.
ENV Storage__ConnectionString="Data Source=/data/atlas-bot.db" \
    Urls="http://0.0.0.0:8080" \
    Web__ManagementUrls="http://127.0.0.1:9090"
VOLUME /data
EXPOSE 8080
USER 1654
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["/app/atlas-bot", "healthcheck"]
ENTRYPOINT ["/app/atlas-bot"]
CMD ["run"]
