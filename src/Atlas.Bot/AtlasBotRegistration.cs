using Atlas.Bot.Cli;
using Atlas.Bot.Commands;
using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Feeds.WebSub;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Atlas.Bot.Web;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;

namespace Atlas.Bot;

/// <summary>How this process was started.</summary>
/// <param name="ConfigFolder">The folder of the configuration file; relative feed paths are read from there.</param>
public sealed record RunSettings(bool DryRun, string ConfigFolder);

public static class AtlasBotRegistration
{
    /// <summary>How long stopping may take before the host gives up on its services.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(8);

    /// <summary>Every registration of the service, in one place.</summary>
    public static IServiceCollection AddAtlasBot(this IServiceCollection services, IConfiguration configuration, RunSettings settings)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddSingleton<BotMetrics>();

        // SIGTERM: the host stops within this (the dispatcher gives sends in flight 5 s of it); ops allow 10 s.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        services.AddSingleton<ServiceStart>();
        services.AddHostedService(provider => provider.GetRequiredService<ServiceStart>());

        services.AddAtlasBotOptions(configuration, settings.DryRun);

        // Storage first: its migration runs before anything that reads or writes.
        // Claims name the replica, as its leases do: a process restarted after a crash knows both of its predecessor's.
        services.AddSingleton(provider => new Store(provider.GetRequiredService<IOptions<StorageOptions>>(), provider.GetRequiredService<ReplicaIdentity>().Id));
        services.AddHostedService<OutboxStartup>();

        // Replicas: the jobs one process does at a time (getUpdates, sending) go to the holder of a lease row.
        services.AddSingleton(_ => ReplicaIdentity.Claim(ReplicaIdentity.SlotFolder));
        services.AddSingleton<Leadership>();

        // Feeds: fetch (its client is registered with its options), decode, parse.
        services.AddSingleton<FeedSource>();
        services.AddSingleton(new FeedUrls(settings.ConfigFolder));

        // Delivery: the poller fills the outbox, the dispatcher empties it.
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<DeliverySwitch>();
        services.AddSingleton<AdminAlerts>();
        services.AddHostedService<RateLimitWatch>();
        services.AddSingleton<FeedPoller>();
        services.AddHostedService<Dispatcher>();
        services.AddSingleton<RateGovernor>();
        services.AddSingleton<Retention>();

        // Telegram: the real client, or the console in a dry run.
        if (settings.DryRun)
        {
            services.AddSingleton<ITelegramSender>(new DryRunSender(Console.Out));
        }
        else
        {
            services.AddTelegramClient();
        }

        // Updates (commands): received into the inbox by polling or webhook; none in a dry run.
        var updates = settings.DryRun ? UpdateMode.Off : configuration.GetSection(TelegramOptions.Section).Get<TelegramOptions>()?.Updates ?? UpdateMode.Polling;
        services.AddUpdateReceiving(updates);
        if (updates != UpdateMode.Off)
        {
            services.AddCommands(provider => new ReceivingSide(
                provider.GetRequiredService<InboxSignal>(),
                ct => provider.GetRequiredService<BotIdentity>().UsernameAsync(TimeSpan.FromSeconds(5), ct)));
        }

        // Opens of tracked links (GET /r/{code}): buffered and written in batches.
        services.AddOpenTracking();

        services.AddSchedule(configuration, settings.DryRun);
        services.AddBotMetrics();

        // Stats: view counts read live and closed daily.
        services.AddSingleton(provider => new StatsDays(TimeZoneInfo.FindSystemTimeZoneById(provider.GetRequiredService<IOptions<StatsOptions>>().Value.TimeZone)));
        services.AddSingleton<StatsReader>();
        services.AddSingleton<DayCloser>();

        // WebSub: subscriptions at the feeds' hubs, renewed in the background (the callback is mapped in RunVerb).
        services.AddHttpClient<WebSubSubscriber>(client => client.Timeout = TimeSpan.FromSeconds(30));
        services.AddHostedService<WebSubRenewal>();

        // Web: health (the endpoints are mapped in RunVerb).
        services.AddSingleton<ReadinessCheck>();
        return services;
    }

    /// <summary>
    /// Every option of the service, bound and validated: the one list of configuration rules. The host validates them
    /// at start; ConfigCheck runs the same registrations first, to name every problem before anything is built.
    /// </summary>
    /// <param name="dryRun">A dry run never talks to Telegram: it needs no token and receives no updates.</param>
    public static IServiceCollection AddAtlasBotOptions(this IServiceCollection services, IConfiguration configuration, bool dryRun)
    {
        services.AddOptions<FeedsOptions>().Bind(configuration).CheckedAtStart();
        services.AddSingleton<IValidateOptions<FeedsOptions>, FeedsOptionsValidator>();
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section)).ValidateAnnotations(DeliveryOptions.Section).CheckedAtStart();
        services.AddOptions<RateLimits>().Bind(configuration.GetSection(DeliveryOptions.Section)).ValidateAnnotations(DeliveryOptions.Section).CheckedAtStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateAnnotations(StorageOptions.Section).CheckedAtStart();

        // Fetch's options are bound and validated where its client is registered.
        services.AddFeedFetcher();
        services.AddOptions<FetchOptions>().CheckedAtStart();

        services.AddOptions<StatsOptions>().Bind(configuration.GetSection(StatsOptions.Section)).ValidateAnnotations(StatsOptions.Section)
            .Rule(stats => TimeZoneInfo.TryFindSystemTimeZoneById(stats.TimeZone, out _)
                ? []
                : [$"Stats:TimeZone '{stats.TimeZone}' is not a known time zone (for example Asia/Baku)."])
            .CheckedAtStart();
        services.AddOptions<TrackingOptions>().Bind(configuration.GetSection(TrackingOptions.Section))
            .Rule(tracking => tracking.PublicBaseUrl is not { Length: > 0 } publicBase
                || (Uri.TryCreate(publicBase, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                ? []
                : [$"Tracking:PublicBaseUrl '{tracking.PublicBaseUrl}' must be the bot's public http(s) address, e.g. https://bot.atlas.az."])
            .CheckedAtStart();
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection(AlertOptions.Section)).ValidateAnnotations(AlertOptions.Section).CheckedAtStart();
        services.AddOptions<CommandLimits>().Bind(configuration.GetSection(CommandLimits.Section)).ValidateAnnotations(CommandLimits.Section).CheckedAtStart();

        // Urls as configured: RunVerb adds the management addresses to what Kestrel listens on only afterwards.
        services.AddOptions<WebOptions>().Bind(configuration.GetSection(WebOptions.Section)).CheckedAtStart();
        services.AddSingleton<IValidateOptions<WebOptions>>(new WebOptionsValidator(configuration["Urls"]));

        var telegram = services.AddOptions<TelegramOptions>().Bind(configuration.GetSection(TelegramOptions.Section));
        if (!dryRun)
        {
            services.AddSingleton<IValidateOptions<TelegramOptions>>(new TelegramOptionsValidator(Path.Combine(AtlasConfiguration.SecretsFolder, "Telegram__BotToken")));
            telegram.CheckedAtStart();
        }

        return services;
    }

    /// <summary>
    /// The Quartz schedule: one poll job per feed on its cron schedule plus one poll right at start; the daily
    /// close of the view counts (and a catch-up at start); the daily retention pass (and one at start); the daily
    /// audience sample (not in a dry run). On PostgreSQL the schedule is stored and shared by the replicas
    /// (<see cref="ClusteredSchedule"/>): each replica writes this list over what is stored as it starts.
    /// </summary>
    private static void AddSchedule(this IServiceCollection services, IConfiguration configuration, bool dryRun)
    {
        var feeds = configuration.Get<FeedsOptions>()?.Feeds ?? [];
        var statsZone = TimeZoneInfo.FindSystemTimeZoneById((configuration.GetSection(StatsOptions.Section).Get<StatsOptions>() ?? new StatsOptions()).TimeZone);
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        services.AddQuartz(quartz =>
        {
            // SQLite is one process: the schedule lives in memory and is rebuilt from this list at each start.
            if (StorageOptions.IsPostgres(storage.Provider))
            {
                quartz.UseClusteredStore(QuartzSchema.ConnectionString(storage));
            }

            foreach (var feed in feeds)
            {
                var job = PollJob.KeyFor(feed.Id);
                quartz.AddJob<PollJob>(configure => configure.WithIdentity(job).UsingJobData(PollJob.FeedIdKey, feed.Id));
                quartz.AddCronTriggers(job, feed.Schedule, feed.Zone, alsoAtStart: true);
            }

            quartz.AddJob<CloseDayJob>(configure => configure.WithIdentity(CloseDayJob.Key));
            quartz.AddCronTriggers(CloseDayJob.Key, CloseDayJob.Schedule, statsZone, alsoAtStart: true);
            quartz.AddJob<RetentionJob>(configure => configure.WithIdentity(RetentionJob.Key));
            quartz.AddCronTriggers(RetentionJob.Key, RetentionJob.Schedule, statsZone, alsoAtStart: true);
            if (!dryRun)
            {
                quartz.AddJob<AudienceJob>(configure => configure.WithIdentity(AudienceJob.Key));
                quartz.AddCronTriggers(AudienceJob.Key, AudienceJob.Schedule, statsZone, alsoAtStart: false);
            }
        });
        // Stopping waits for running jobs, which end promptly: they follow ApplicationStopping.
        services.AddQuartzHostedService(quartz => quartz.WaitForJobsToComplete = true);
    }

    /// <summary>A job on its cron schedule in its zone, and when <paramref name="alsoAtStart"/> one run right at start.</summary>
    private static void AddCronTriggers(this IQuartzBuilder quartz, JobKey job, string cron, TimeZoneInfo zone, bool alsoAtStart)
    {
        quartz.AddTrigger(trigger => trigger
            .ForJob(job)
            .WithIdentity($"{job.Name}-schedule", job.Group)
            // A restart or a stalled scheduler does not fire a burst of missed runs: the next one comes on time.
            .WithSchedule(CronScheduleBuilder.Create(cron).InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
        if (!alsoAtStart)
        {
            return;
        }

        quartz.AddTrigger(trigger => trigger
            .ForJob(job)
            .WithIdentity($"{job.Name}-at-start", job.Group)
            .StartNow());
    }
}
