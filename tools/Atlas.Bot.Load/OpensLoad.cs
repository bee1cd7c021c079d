using System.Diagnostics;
using System.Globalization;
using System.Net;
using Atlas.Bot.Cli;
using Atlas.Bot.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Atlas.Bot.Load;

/// <summary>
/// The opens scenario: the real service (as `atlas-bot run --dry-run` builds it, SQLite in a temp folder,
/// listening on loopback) gets GET /r/{code} at a fixed rate, each from a distinct User-Agent so that
/// every one must be counted; then the harness waits for the buffer to reach the database and compares.
/// </summary>
internal static class OpensLoad
{
    private const string Article = "https://atlas.az/en/load-test/";
    private const int WarmUpOpens = 200;
    private static readonly TimeSpan FlushPatience = TimeSpan.FromSeconds(30);

    public static async Task<LoadReport> RunAsync(LoadOptions options, CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("atlas-bot-load-").FullName;
        try
        {
            var app = await StartServiceAsync(folder, ct);
            await using (app)
            {
                var store = app.Services.GetRequiredService<Store>();
                var code = await SeedAsync(store, ct);
                var report = await FireAsync(new Uri(app.Urls.First()), code, options, store, ct);
                await app.StopAsync(ct);
                return report;
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<WebApplication> StartServiceAsync(string folder, CancellationToken ct)
    {
        var config = Path.Combine(folder, "appsettings.json");
        await File.WriteAllTextAsync(config, "{}", ct);
        // A feed must be configured; an empty one from a file keeps the poller quiet and off the network.
        await File.WriteAllTextAsync(Path.Combine(folder, "empty.xml"),
            """<?xml version="1.0"?><rss version="2.0"><channel><title>Load</title><link>https://atlas.az/en/</link><description>Load</description></channel></rss>""", ct);
        var overrides = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = $"Data Source={Path.Combine(folder, "atlas-bot.db")}",
            ["Urls"] = "http://127.0.0.1:0",
            ["Feeds:0:Id"] = "load",
            ["Feeds:0:Url"] = "empty.xml",
            ["Feeds:0:Language"] = "en",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var app = RunVerb.Build(new Invocation(Verb.Run, DryRun: true, ConfigPath: config), overrides, out var problems)
            ?? throw new InvalidOperationException("configuration problems: " + string.Join("; ", problems));
        await app.StartAsync(ct);
        return app;
    }

    /// <summary>An analysis as the poller would record it (no channels, so nothing is sent): its code is what readers open.</summary>
    private static async Task<string> SeedAsync(Store store, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await store.RecordItemAsync(
            new ItemRecord("load", "load-1", "Load test analysis", Article, now, null, "en"),
            new StoredPost("Load test analysis", null, null, null, null),
            channels: [],
            now,
            ct);
        return (await store.FindTrackedItemByCodeOrLinkAsync(Article, ct))?.Code ?? throw new InvalidOperationException("the seeded item has no code");
    }

    private static async Task<LoadReport> FireAsync(Uri service, string code, LoadOptions options, Store store, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = int.MaxValue })
        {
            BaseAddress = service,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var total = options.Rate * options.Seconds;
        var latencies = new double[total];
        var fromSchedule = new double[total];
        var statuses = new HttpStatusCode[total];
        var requests = new List<Task>(total);
        var opensBefore = await WarmUpAsync(http, code, store, ct);

        // Open loop: request i is due at i / rate seconds, whether or not earlier ones have been answered,
        // so a slow service shows up as latency instead of quietly lowering the rate.
        var clock = Stopwatch.StartNew();
        var sent = 0;
        while (sent < total)
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * options.Rate) + 1);
            for (; sent < due; sent++)
            {
                var scheduled = TimeSpan.FromSeconds((double)sent / options.Rate);
                requests.Add(SendAsync(http, code, sent, scheduled, clock, latencies, fromSchedule, statuses, ct));
            }

            await Task.Delay(1, ct);
        }

        var sending = clock.Elapsed;
        await Task.WhenAll(requests);
        var answered = clock.Elapsed;

        var redirected = statuses.Count(status => status == HttpStatusCode.Found);
        var counted = await WaitForOpensAsync(store, opensBefore + redirected, ct) - opensBefore;
        return new LoadReport(total, redirected, total - redirected, counted, sending, clock.Elapsed - answered,
            [.. latencies.Where((_, i) => statuses[i] != 0)], [.. fromSchedule.Where((_, i) => statuses[i] != 0)]);
    }

    /// <summary>
    /// A few opens one after another before measuring: the service's code is compiled and the link cached, as
    /// in a service that has been running for a while. Returns the opens in the database afterwards.
    /// </summary>
    private static async Task<long> WarmUpAsync(HttpClient http, string code, Store store, CancellationToken ct)
    {
        for (var i = 0; i < WarmUpOpens; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{code}");
            request.Headers.TryAddWithoutValidation("User-Agent", $"Mozilla/5.0 (X11; Linux x86_64) WarmUp/{i.ToString(CultureInfo.InvariantCulture)}");
            using var response = await http.SendAsync(request, ct);
        }

        return await WaitForOpensAsync(store, WarmUpOpens, ct);
    }

    private static async Task SendAsync(
        HttpClient http, string code, int index, TimeSpan scheduled, Stopwatch clock,
        double[] latencies, double[] fromSchedule, HttpStatusCode[] statuses, CancellationToken ct)
    {
        // Yield at once: the pacing loop must not wait for the request to be written.
        await Task.Yield();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/r/{code}");
        request.Headers.TryAddWithoutValidation("User-Agent", $"Mozilla/5.0 (Linux; Android 14; LoadReader {index.ToString(CultureInfo.InvariantCulture)}) Chrome/126.0 Mobile Safari/537.36");
        var started = clock.Elapsed;
        try
        {
            using var response = await http.SendAsync(request, ct);
            var finished = clock.Elapsed;
            statuses[index] = response.StatusCode;
            latencies[index] = (finished - started).TotalMilliseconds;
            fromSchedule[index] = (finished - scheduled).TotalMilliseconds;
        }
        catch (HttpRequestException)
        {
            // Left at status 0: counted as failed.
        }
    }

    /// <summary>Waits until the database holds <paramref name="expected"/> opens, or until the count stops moving.</summary>
    private static async Task<long> WaitForOpensAsync(Store store, long expected, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        long counted;
        while ((counted = await OpensAsync(store, ct)) < expected && deadline.Elapsed < FlushPatience)
        {
            await Task.Delay(50, ct);
        }

        return counted;
    }

    private static async Task<long> OpensAsync(Store store, CancellationToken ct) =>
        (await store.FiguresBetweenAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddDays(1), itemSeq: null, ct)).Opens;
}
