using Atlas.Bot.Cli;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Tests.EndToEnd;

/// <summary>
/// The whole service, in-process, as `atlas-bot run` builds it: SQLite in a temp folder unless the settings name
/// another database (<see cref="HostTest"/> passes its test's, on either provider), the real Telegram.Bot client
/// against the fake Bot API, feeds from the in-process feed server. Stopping and starting it again on the same
/// database is a restart.
/// </summary>
public sealed class BotHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BotHost(WebApplication app) => _app = app;

    public Uri BaseAddress => new(_app.Urls.First());

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Configuration keys as ops would set them (Feeds:0:Url …); these win over everything.</param>
    /// <param name="time">The clock the service reads instead of the system's (tests that skip ahead).</param>
    public static async Task<BotHost> StartAsync(string folder, FakeBotApi telegram, IDictionary<string, string?> settings, CapturingLoggerProvider? logs = null, TimeProvider? time = null)
    {
        var config = Path.Combine(folder, "appsettings.json");
        if (!File.Exists(config))
        {
            await File.WriteAllTextAsync(config, "{}");
        }

        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "atlas-bot.db")}",
            ["Telegram:BotToken"] = telegram.Token,
            ["Telegram:ApiBaseUrl"] = telegram.BaseUrl,
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Debug",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        var app = RunVerb.Build(
            new Invocation(Verb.Run, ConfigPath: config),
            all,
            out var problems,
            builder =>
            {
                builder.Logging.ClearProviders();
                if (logs is not null)
                {
                    builder.Logging.AddProvider(logs);
                }

                if (time is not null)
                {
                    builder.Services.AddSingleton(time);
                }
            });
        Assert.True(app is not null, "configuration problems: " + string.Join("; ", problems));
        await app.StartAsync();
        return new BotHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
