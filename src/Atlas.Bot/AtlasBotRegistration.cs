using Atlas.Bot.Commands;
using Atlas.Bot.Delivery;
using Atlas.Bot.Feeds;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Atlas.Bot.Telegram;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;

namespace Atlas.Bot;

/// <summary>How this process was started.</summary>
/// <param name="ConfigFolder">The folder of the configuration file; relative feed paths are read from there.</param>
public sealed record RunSettings(bool DryRun, string ConfigFolder);

public static class AtlasBotRegistration
{
    /// <summary>Every registration of the service, in one place.</summary>
    public static IServiceCollection AddAtlasBot(this IServiceCollection services, IConfiguration configuration, RunSettings settings)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddSingleton<BotMetrics>();

        // Options: bound once here, validated at start (ConfigCheck has already named any problem for humans).
        services.AddOptions<FeedsOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FeedsOptions>, FeedsOptionsValidator>();
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimits>().Bind(configuration.GetSection(DeliveryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TelegramOptions>().Bind(configuration.GetSection(TelegramOptions.Section));

        // Storage first: its migration runs before anything that reads or writes.
        services.AddSingleton<Store>();
        services.AddHostedService<OutboxStartup>();

        // Feeds: fetch, decode, parse.
        services.AddFeedFetcher();
        services.AddSingleton<FeedSource>();
        services.AddSingleton(new FeedUrls(settings.ConfigFolder));

        // Delivery: the poller fills the outbox, the dispatcher empties it.
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<DeliverySwitch>();
        services.AddSingleton<AdminAlerts>();
        services.AddSingleton<FeedPoller>();
        services.AddHostedService<Dispatcher>();
        services.AddSingleton<RateGovernor>();

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

        services.AddPollSchedule(configuration);
        services.AddBotMetrics();
        return services;
    }

    /// <summary>One Quartz job per feed on its cron schedule, plus one poll right at start.</summary>
    private static void AddPollSchedule(this IServiceCollection services, IConfiguration configuration)
    {
        var feeds = configuration.Get<FeedsOptions>()?.Feeds ?? [];
        services.AddQuartz(quartz =>
        {
            foreach (var feed in feeds)
            {
                var job = PollJob.KeyFor(feed.Id);
                quartz.AddJob<PollJob>(configure => configure.WithIdentity(job).UsingJobData(PollJob.FeedIdKey, feed.Id));
                quartz.AddTrigger(trigger => trigger
                    .ForJob(job)
                    .WithIdentity($"{job.Name}-schedule", job.Group)
                    // A restart or a stalled scheduler does not fire a burst of missed polls: the next one comes on time.
                    .WithSchedule(CronScheduleBuilder.Create(feed.Schedule)
                        .InTimeZone(feed.Zone)
                        .WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
                quartz.AddTrigger(trigger => trigger
                    .ForJob(job)
                    .WithIdentity($"{job.Name}-at-start", job.Group)
                    .StartNow());
            }
        });
        services.AddQuartzHostedService(quartz => quartz.WaitForJobsToComplete = true);
    }
}
