namespace Atlas.Bot.Cli;

public enum Verb
{
    Run,
    Preview,
    Healthcheck,
    Backup,
    Stats,
    Help,
}

/// <summary>The parsed command line: a verb and its options. Parsing never throws; problems are listed.</summary>
public sealed record Invocation(
    Verb Verb,
    bool DryRun = false,
    string? ConfigPath = null,
    string? Target = null,
    bool Json = false,
    string Language = "en",
    string TimeZone = "Asia/Baku",
    DateOnly? From = null,
    DateOnly? To = null,
    bool Csv = false,
    IReadOnlyList<string>? Errors = null)
{
    public const string Usage =
        """
        Usage:
          atlas-bot [run] [--dry-run] [--config <path>]      run the service (the default verb)
          atlas-bot preview <url-or-file> [--json] [--language az|en|ru] [--time-zone <zone>]
                                                             one feed through fetch, parse and format; sends nothing
          atlas-bot healthcheck [url]                        exit 0 when the service's /healthz answers 200
          atlas-bot backup <file> [--config <path>]          a consistent copy of the database, taken while it runs
          atlas-bot stats --from YYYY-MM-DD --to YYYY-MM-DD [--csv] [--config <path>]
                                                             daily figures for a range
        """;

    public IReadOnlyList<string> Errors { get; init; } = Errors ?? [];

    public static Invocation Parse(IReadOnlyList<string> args)
    {
        var verb = Verb.Run;
        var position = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            verb = args[0] switch
            {
                "run" => Verb.Run,
                "preview" => Verb.Preview,
                "healthcheck" => Verb.Healthcheck,
                "backup" => Verb.Backup,
                "stats" => Verb.Stats,
                "help" => Verb.Help,
                _ => Verb.Help,
            };
            if (verb == Verb.Help && args[0] != "help")
            {
                return new Invocation(Verb.Help, Errors: [$"unknown command '{args[0]}'"]);
            }

            position = 1;
        }

        var invocation = new Invocation(verb);
        var errors = new List<string>();
        for (var i = position; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value()
            {
                if (i + 1 < args.Count)
                {
                    return args[++i];
                }

                errors.Add($"{arg} needs a value");
                return null;
            }

            switch (arg)
            {
                case "--dry-run" when verb == Verb.Run:
                    invocation = invocation with { DryRun = true };
                    break;
                case "--config" when verb is Verb.Run or Verb.Backup or Verb.Stats:
                    invocation = invocation with { ConfigPath = Value() };
                    break;
                case "--from" when verb == Verb.Stats:
                    invocation = invocation with { From = Date(Value()) };
                    break;
                case "--to" when verb == Verb.Stats:
                    invocation = invocation with { To = Date(Value()) };
                    break;
                case "--csv" when verb == Verb.Stats:
                    invocation = invocation with { Csv = true };
                    break;
                case "--json" when verb == Verb.Preview:
                    invocation = invocation with { Json = true };
                    break;
                case "--language" when verb == Verb.Preview:
                    invocation = invocation with { Language = Value() ?? "en" };
                    break;
                case "--time-zone" when verb == Verb.Preview:
                    invocation = invocation with { TimeZone = Value() ?? "Asia/Baku" };
                    break;
                case "-h" or "--help":
                    return new Invocation(Verb.Help);
                case not null when !arg.StartsWith('-') && verb is Verb.Preview or Verb.Healthcheck or Verb.Backup && invocation.Target is null:
                    invocation = invocation with { Target = arg };
                    break;
                default:
                    errors.Add($"unexpected argument '{arg}'");
                    break;
            }
        }

        if (verb == Verb.Preview && invocation.Target is null)
        {
            errors.Add("preview needs a feed URL or file");
        }

        if (verb == Verb.Backup && invocation.Target is null)
        {
            errors.Add("backup needs the file to write");
        }

        if (verb == Verb.Stats && (invocation.From is null || invocation.To is null))
        {
            errors.Add("stats needs --from YYYY-MM-DD and --to YYYY-MM-DD");
        }
        else if (invocation.From > invocation.To)
        {
            errors.Add("stats: --from is after --to");
        }

        DateOnly? Date(string? text)
        {
            if (text is not null && DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
            {
                return date;
            }

            errors.Add($"'{text}' is not a date like 2026-11-28");
            return null;
        }

        return invocation with { Errors = errors };
    }
}
