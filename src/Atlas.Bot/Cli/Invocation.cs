using System.Globalization;
using System.Reflection;

namespace Atlas.Bot.Cli;

public enum Verb
{
    Run,
    Preview,
    Healthcheck,
    Backup,
    Stats,
    CopyStore,

    /// <summary>No verb named, and help asked for: the usage of every verb.</summary>
    Help,
}

/// <summary>
/// The parsed command line: a verb and its options. Parsing never throws; problems are listed. Every option also
/// takes the form <c>--name=value</c>; <c>--help</c> (or <c>-h</c>) and <c>--version</c> go with any verb.
/// </summary>
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
    string? CopyFrom = null,
    string? CopyTo = null,
    IReadOnlyList<string>? Errors = null)
{
    public IReadOnlyList<string> Errors { get; init; } = Errors ?? [];

    /// <summary>Print <see cref="Usage"/> of <see cref="Verb"/> and exit 0.</summary>
    public bool Help { get; init; }

    /// <summary>Print <see cref="ProgramVersion"/> and exit 0.</summary>
    public bool Version { get; init; }

    /// <summary>The program's informational version ("1.0.0+commit" where the build knew its commit).</summary>
    public static string ProgramVersion { get; } =
        typeof(Invocation).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Invocation).Assembly.GetName().Version?.ToString()
        ?? "0";

    /// <summary>What <c>atlas-bot &lt;verb&gt; --help</c> prints; for <see cref="Verb.Help"/>, every verb's first line.</summary>
    public static string Usage(Verb verb) => verb switch
    {
        Verb.Run =>
            """
            Usage: atlas-bot [run] [--dry-run] [--config <path>]
            Runs the service (the default verb).
              --dry-run          everything but Telegram: posts are printed on standard output; no token needed
              --config <path>    the configuration file (default: config/appsettings.json)
            """,
        Verb.Preview =>
            """
            Usage: atlas-bot preview <url-or-file> [--json] [--language az|en|ru] [--time-zone <zone>]
            One feed through fetch, parse and format; stores and sends nothing. Exit 1 when the feed cannot be read.
              --json                 one JSON object per item and line
              --language az|en|ru    the language of the post's labels (default: en)
              --time-zone <zone>     for dates without a zone (default: Asia/Baku)
            """,
        Verb.Healthcheck =>
            """
            Usage: atlas-bot healthcheck [url] [--config <path>]
            Exit 0 when the service's /healthz answers 200, else 1 (the container's HEALTHCHECK).
              url                default: on Web:ManagementUrls when the configuration sets it, else on Urls
                                 (http://127.0.0.1:8080/healthz when neither is set)
              --config <path>    the configuration file (default: config/appsettings.json)
            """,
        Verb.Backup =>
            """
            Usage: atlas-bot backup <file> [--config <path>]
            A consistent copy of the database the configuration names, taken while the service runs.
              --config <path>    the configuration file (default: config/appsettings.json)
            """,
        Verb.Stats =>
            """
            Usage: atlas-bot stats --from YYYY-MM-DD --to YYYY-MM-DD [--csv] [--config <path>]
            Daily figures for a range, from the database the configuration names.
              --csv              date,deliveries,opens,subscribers_active,subscribers_joined,subscribers_left
              --config <path>    the configuration file (default: config/appsettings.json)
            """,
        Verb.CopyStore =>
            """
            Usage: atlas-bot copy-store --from <sqlite connection> --to <postgres connection>
            Copies an SQLite deployment's data into PostgreSQL (migrated first), with a progress line per table on
            standard error; run it with the service stopped. Running it again copies nothing twice.
              --from <conn>    the SQLite database: Data Source=<file> (or just the file)
              --to <conn>      Npgsql's form: Host=…;Port=…;Username=…;Password=…;Database=…
            """,
        _ =>
            """
            Usage:
              atlas-bot [run] [--dry-run] [--config <path>]      run the service (the default verb)
              atlas-bot preview <url-or-file> [--json] [--language az|en|ru] [--time-zone <zone>]
                                                                 one feed through fetch, parse and format; sends nothing
              atlas-bot healthcheck [url] [--config <path>]      exit 0 when the service's /healthz answers 200
              atlas-bot backup <file> [--config <path>]          a consistent copy of the database, taken while it runs
              atlas-bot stats --from YYYY-MM-DD --to YYYY-MM-DD [--csv] [--config <path>]
                                                                 daily figures for a range
              atlas-bot copy-store --from <sqlite connection> --to <postgres connection>
                                                                 move the data to PostgreSQL (service stopped)
              atlas-bot <verb> --help                            that verb's options
              atlas-bot --version                                the program's version
            """,
    };

    public static Invocation Parse(IReadOnlyList<string> args)
    {
        var verb = Verb.Run;
        var position = 0;
        var help = false;
        if (args.Count > 0 && args[0] == "help")
        {
            // "atlas-bot help preview" is "atlas-bot preview --help".
            help = true;
            position = 1;
            verb = Verb.Help;
            if (args.Count > 1 && !IsOption(args[1]))
            {
                if (VerbNamed(args[1]) is not { } named)
                {
                    return new Invocation(Verb.Help, Errors: [$"unknown command '{args[1]}'"]);
                }

                verb = named;
                position = 2;
            }
        }
        else if (args.Count > 0 && !IsOption(args[0]))
        {
            if (VerbNamed(args[0]) is not { } named)
            {
                return new Invocation(Verb.Help, Errors: [$"unknown command '{args[0]}'"]);
            }

            verb = named;
            position = 1;
        }
        else if (args.Any(arg => arg is "-h" or "--help"))
        {
            // No verb named: the usage of all of them, not the default verb's alone.
            verb = Verb.Help;
        }

        var invocation = new Invocation(verb);
        var version = false;
        var errors = new List<string>();
        for (var i = position; i < args.Count; i++)
        {
            var arg = args[i];
            var equals = arg.StartsWith("--", StringComparison.Ordinal) ? arg.IndexOf('=', StringComparison.Ordinal) : -1;
            var name = equals > 0 ? arg[..equals] : arg;
            var inline = equals > 0 ? arg[(equals + 1)..] : null;

            string? Value()
            {
                if (inline is { Length: > 0 })
                {
                    return inline;
                }

                if (inline is null && i + 1 < args.Count && !IsOption(args[i + 1]))
                {
                    return args[++i];
                }

                errors.Add($"{name} needs a value");
                return null;
            }

            bool Flag()
            {
                if (inline is not null)
                {
                    errors.Add($"{name} takes no value");
                }

                return true;
            }

            switch (name)
            {
                case "-h" or "--help":
                    help = Flag();
                    break;
                case "--version":
                    version = Flag();
                    break;
                case "--dry-run" when verb == Verb.Run:
                    invocation = invocation with { DryRun = Flag() };
                    break;
                case "--config" when verb is Verb.Run or Verb.Healthcheck or Verb.Backup or Verb.Stats:
                    invocation = invocation with { ConfigPath = Value() };
                    break;
                case "--from" when verb == Verb.Stats:
                    invocation = invocation with { From = Date(Value()) };
                    break;
                case "--to" when verb == Verb.Stats:
                    invocation = invocation with { To = Date(Value()) };
                    break;
                case "--from" when verb == Verb.CopyStore:
                    invocation = invocation with { CopyFrom = Value() };
                    break;
                case "--to" when verb == Verb.CopyStore:
                    invocation = invocation with { CopyTo = Value() };
                    break;
                case "--csv" when verb == Verb.Stats:
                    invocation = invocation with { Csv = Flag() };
                    break;
                case "--json" when verb == Verb.Preview:
                    invocation = invocation with { Json = Flag() };
                    break;
                case "--language" when verb == Verb.Preview:
                    invocation = invocation with { Language = Value() ?? "en" };
                    break;
                case "--time-zone" when verb == Verb.Preview:
                    invocation = invocation with { TimeZone = Value() ?? "Asia/Baku" };
                    break;
                case not null when IsOption(arg):
                    errors.Add(verb == Verb.Help ? $"unknown option '{name}'" : $"unknown option '{name}' for {Name(verb)}");
                    break;
                case not null when verb is Verb.Preview or Verb.Healthcheck or Verb.Backup && invocation.Target is null:
                    invocation = invocation with { Target = arg };
                    break;
                default:
                    errors.Add($"unexpected argument '{arg}'");
                    break;
            }
        }

        if (help || version)
        {
            // Asked how to use it: that answer, whatever else is on the line.
            return new Invocation(verb) { Help = help && !version, Version = version };
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

        if (verb == Verb.CopyStore && (invocation.CopyFrom is null || invocation.CopyTo is null))
        {
            errors.Add("copy-store needs --from <sqlite connection> and --to <postgres connection>");
        }

        DateOnly? Date(string? text)
        {
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            errors.Add($"'{text}' is not a date like 2026-11-28");
            return null;
        }

        return invocation with { Errors = errors };
    }

    /// <summary>"--json", "-h"; not "-" alone, nor a negative number.</summary>
    private static bool IsOption(string arg) => arg.Length > 1 && arg[0] == '-' && !char.IsAsciiDigit(arg[1]);

    private static Verb? VerbNamed(string word) => word switch
    {
        "run" => Verb.Run,
        "preview" => Verb.Preview,
        "healthcheck" => Verb.Healthcheck,
        "backup" => Verb.Backup,
        "stats" => Verb.Stats,
        "copy-store" => Verb.CopyStore,
        _ => null,
    };

    private static string Name(Verb verb) => verb == Verb.CopyStore ? "copy-store" : verb.ToString().ToLowerInvariant();
}
