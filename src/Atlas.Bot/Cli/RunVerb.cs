using Atlas.Bot.Web;

namespace Atlas.Bot.Cli;

/// <summary><c>atlas-bot run</c>: the service.</summary>
public static class RunVerb
{
    /// <param name="error">Where the configuration's problems go, one "config error: ..." line each (standard error).</param>
    public static async Task<int> RunAsync(Invocation invocation, TextWriter error, CancellationToken ct)
    {
        var app = Build(invocation, overrides: null, out var problems);
        if (app is null)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync($"config error: {problem}");
            }

            return 2;
        }

        await using (app)
        {
            try
            {
                await app.RunAsync(ct);
            }
            catch (Microsoft.Extensions.Options.OptionsValidationException invalid)
            {
                // A safety net behind ConfigCheck, which runs the same validators: still readable lines.
                foreach (var failure in invalid.Failures)
                {
                    await error.WriteLineAsync($"config error: {failure}");
                }

                return 2;
            }
        }

        return 0;
    }

    /// <summary>Builds the whole service, or returns null with the configuration's problems. Tests start it in-process.</summary>
    /// <param name="overrides">Configuration that wins over every other source (tests).</param>
    /// <param name="customize">A last look at the builder before it builds (tests add log capture here).</param>
    public static WebApplication? Build(
        Invocation invocation,
        IEnumerable<KeyValuePair<string, string?>>? overrides,
        out IReadOnlyList<string> problems,
        Action<WebApplicationBuilder>? customize = null)
    {
        // The configuration is read once and validated at start, so nothing watches files for changes: a watcher on the working
        // folder would otherwise wake on every write to a database kept there.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        builder.Configuration.Sources.Clear();
        string configFolder;
        try
        {
            configFolder = AtlasConfiguration.AddSources(builder.Configuration, invocation.ConfigPath, overrides);
        }
        catch (Exception exception) when (exception is FileNotFoundException or InvalidDataException or FormatException)
        {
            problems = [$"cannot read the configuration file: {exception.Message}"];
            return null;
        }

        problems = ConfigCheck.Problems(builder.Configuration, invocation.DryRun);
        if (problems.Count > 0)
        {
            return null;
        }

        if (invocation.DryRun)
        {
            // Standard output is for the posts; logs go to standard error.
            builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        var publicUrls = builder.Configuration["Urls"] is { Length: > 0 } urls ? urls : WebOptions.DefaultUrls;
        builder.Services.AddAtlasBot(builder.Configuration, new RunSettings(invocation.DryRun, configFolder));
        // Public addresses first (tests take the first as the bot's address); this rewrites "Urls" in the configuration,
        // so it comes after AddAtlasBot, whose Web validator compares the management ports with the public ones alone.
        builder.WebHost.UseUrls(builder.Configuration[$"{WebOptions.Section}:{nameof(WebOptions.ManagementUrls)}"] is { Length: > 0 } management
            ? $"{publicUrls};{management}"
            : publicUrls);
        customize?.Invoke(builder);
        var app = builder.Build();
        app.UseTrustedProxies();
        app.MapManagement();
        app.MapTelegramWebhook();
        app.MapWebSub();
        app.MapRedirects();
        return app;
    }
}
