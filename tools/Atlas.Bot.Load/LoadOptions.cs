using System.Globalization;
using System.Text;

namespace Atlas.Bot.Load;

/// <summary>The harness's command line; parsing never throws, a problem is returned as <see cref="Error"/>.</summary>
/// <param name="Seconds">opens: how long to fire; fanout: stop after this long (0 = until everyone has it).</param>
internal sealed record LoadOptions(
    string Scenario, int Rate, int Seconds, int Subscribers = 0, int Kills = 0, bool Paid = false, string? Error = null)
{
    /// <summary>--double-rate: the Bot API double's global limit when it is to be stricter than the bot's; 0 = the same as --rate.</summary>
    public int DoubleRate { get; init; }

    /// <summary>--slack-ms: how much shorter than a second the double counts (the old, lenient double); 0 = strict.</summary>
    public int SlackMs { get; init; }

    /// <summary>--cpu-hogs: CPU-bound processes kept running beside the bot, so that its sends meet scheduling jitter.</summary>
    public int CpuHogs { get; init; }

    /// <summary>retention: simulated days, Storage__KeepDays, analyses and incoming updates a day.</summary>
    public int Days { get; init; }

    public int KeepDays { get; init; }

    public int Items { get; init; }

    public int Updates { get; init; }

    /// <summary>--flood (opens): the --rate requests come from one address, each naming a random User-Agent.</summary>
    public bool Flood { get; init; }

    /// <summary>--readers R (opens): R more requests a second, each from a reader of its own address, beside the flood.</summary>
    public int Readers { get; init; }

    /// <summary>--postgres: the bot runs on a fresh database of a throwaway PostgreSQL cluster instead of a SQLite file.</summary>
    public bool Postgres { get; init; }

    /// <summary>replicas: how many bot processes share the database (--replicas), and how many /start commands arrive during the run (--commands).</summary>
    public int Replicas { get; init; }

    public int Commands { get; init; }

    /// <summary>--kill-sender (replicas): kill -9 the replica that is sending, mid-fan-out.</summary>
    public bool KillSender { get; init; }

    /// <summary>--topics (enqueue): every subscriber chose 3 of 20 topics and the analysis carries 2 of them.</summary>
    public bool Topics { get; init; }

    /// <summary>--poll-only (websub): no hub; the feed is polled every two minutes, the baseline a push is measured against.</summary>
    public bool PollOnly { get; init; }

    /// <summary>The global limit the Bot API double enforces.</summary>
    public int DoubleLimit => DoubleRate > 0 ? DoubleRate : Rate;

    /// <summary>Extra environment for atlas-bot from --env KEY=VALUE (e.g. Delivery__MaxInFlight=64), to try a setting.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings { get; init; } = [];

    public const string Usage =
        """
        Usage: dotnet run --project tools/Atlas.Bot.Load -c Release -- <scenario> [options]
          opens    GET /r/{code} at a fixed rate through a trusted proxy, each from a reader of its own address;
                   defaults: --rate 2000 --seconds 10; --flood: the --rate requests come from one address, each with
                   a random User-Agent (at most 30 may count); --readers R: R readers a second beside them
          fanout   one analysis to N subscribers through the real atlas-bot process and a flood-limited Bot API double;
                   defaults: --subscribers 10000 --rate 30 [--paid] [--seconds <stop after>]
          enqueue  the time to record one analysis with its N delivery rows; default: --subscribers 100000;
                   --topics: each subscriber chose 3 of 20 topics, each analysis carries 2 (the fan-out filters on them)
          latency  new analyses published to the polled feed while a fan-out runs; defaults: --subscribers 10000 --rate 30 --seconds 60
          websub   the same with WebSub: the feed names an in-process hub and is polled hourly; each new analysis is
                   pushed by the hub the moment it is written; --poll-only: no hub, polled every two minutes (the
                   baseline); defaults: --subscribers 10000 --rate 30 --seconds 60 (--poll-only: --seconds 300)
          crash    kill -9 the bot K times during a fan-out, restarting it each time; defaults: --subscribers 5000 --rate 30 --kills 10
          faults   20% of Bot API calls fail (5xx, 429 up to 30 s, timeouts, dropped connections); three analyses;
                   defaults: --subscribers 2000 --rate 30
          storm    10% of subscribers have blocked the bot; defaults: --subscribers 5000 --rate 30
          fairness analyses published together: 3 to half the subscribers (in order, one message each), 7 to the
                   other half (one digest each); defaults: --subscribers 1000 --rate 30
          command-flood one person sends /latest 30 times a second for --seconds during a fan-out to N subscribers;
                   defaults: --subscribers 1000 --rate 30 --seconds 10
          retention a month of a busy bot on a simulated clock, straight through the Store (no Telegram): each day
                   --items analyses to --subscribers subscribers and a channel, all sent, and --updates commands
                   answered and audited; the day closer and retention run nightly; prints the database size and rows
                   per day; defaults: --days 30 --keep-days 7 --items 20 --subscribers 2000 --updates 200
          replicas --replicas atlas-bot processes on one fresh PostgreSQL database and one Bot API double that counts
                   all of them together; one analysis to N subscribers, --commands /start from new users during it;
                   then the replica that ran the last feed poll is killed and the gap to the next poll measured;
                   --kill-sender: kill -9 the replica that is sending, mid-fan-out;
                   defaults: --replicas 3 --subscribers 10000 --rate 30 --commands 50
          corrections one analysis to N subscribers and a channel, then corrected with private copies edited too:
                   the N + 1 edits' rate, 429s, edits twice, messages sent again; defaults: --subscribers 2000 --rate 30
          Every fan-out scenario also takes --env KEY=VALUE (repeatable): more environment for atlas-bot;
          --postgres: atlas-bot runs on a fresh database of a throwaway PostgreSQL cluster (initdb and pg_ctl from
          the machine's PostgreSQL server package, as the tests do) instead of a SQLite file;
          --double-rate R: the Bot API double allows R/s overall instead of --rate (a stricter Telegram);
          --slack-ms M: the double counts each window M ms short (lenient); by default it counts strictly;
          --cpu-hogs K: K CPU-bound processes (busy shell loops) run beside the bot for the whole run.
        """;

    private static readonly Dictionary<string, LoadOptions> Defaults = new(StringComparer.Ordinal)
    {
        ["opens"] = new("opens", Rate: 2000, Seconds: 10),
        ["fanout"] = new("fanout", Rate: 30, Seconds: 0, Subscribers: 10_000),
        ["enqueue"] = new("enqueue", Rate: 0, Seconds: 0, Subscribers: 100_000),
        ["latency"] = new("latency", Rate: 30, Seconds: 60, Subscribers: 10_000),
        ["websub"] = new("websub", Rate: 30, Seconds: 60, Subscribers: 10_000),
        ["crash"] = new("crash", Rate: 30, Seconds: 0, Subscribers: 5_000, Kills: 10),
        ["faults"] = new("faults", Rate: 30, Seconds: 0, Subscribers: 2_000),
        ["storm"] = new("storm", Rate: 30, Seconds: 0, Subscribers: 5_000),
        ["fairness"] = new("fairness", Rate: 30, Seconds: 0, Subscribers: 1_000),
        ["command-flood"] = new("command-flood", Rate: 30, Seconds: 10, Subscribers: 1_000),
        ["replicas"] = new("replicas", Rate: 30, Seconds: 0, Subscribers: 10_000) { Postgres = true, Replicas = 3, Commands = 50 },
        ["corrections"] = new("corrections", Rate: 30, Seconds: 0, Subscribers: 2_000),
        ["retention"] = new("retention", Rate: 0, Seconds: 0, Subscribers: 2_000) { Days = 30, KeepDays = 7, Items = 20, Updates = 200 },
    };

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || !Defaults.TryGetValue(args[0], out var options))
        {
            return new LoadOptions("", 0, 0, Error: $"the scenarios are {string.Join(", ", Defaults.Keys)}");
        }

        for (var i = 1; i < args.Count; i++)
        {
            if (args[i] == "--paid")
            {
                options = options with { Paid = true };
                continue;
            }

            if (args[i] == "--flood")
            {
                options = options with { Flood = true };
                continue;
            }

            if (args[i] == "--postgres")
            {
                options = options with { Postgres = true };
                continue;
            }

            if (args[i] == "--topics")
            {
                options = options with { Topics = true };
                continue;
            }

            if (args[i] == "--poll-only")
            {
                options = options with { PollOnly = true, Seconds = args.Contains("--seconds") ? options.Seconds : 300 };
                continue;
            }

            if (args[i] == "--kill-sender")
            {
                options = options with { KillSender = true };
                continue;
            }

            if (args[i] == "--env")
            {
                var setting = i + 1 < args.Count ? args[i + 1].Split('=', 2) : [];
                options = setting is [{ Length: > 0 } key, var text]
                    ? options with { Settings = [.. options.Settings, new(key, text)] }
                    : options with { Error = "--env needs KEY=VALUE" };
                if (options.Error is not null)
                {
                    return options;
                }

                i++;
                continue;
            }

            var value = i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
                ? number
                : (int?)null;
            options = (args[i], value) switch
            {
                ("--rate", { } rate) => options with { Rate = rate },
                ("--seconds", { } seconds) => options with { Seconds = seconds },
                ("--subscribers", { } subscribers) => options with { Subscribers = subscribers },
                ("--kills", { } kills) => options with { Kills = kills },
                ("--double-rate", { } doubleRate) => options with { DoubleRate = doubleRate },
                ("--cpu-hogs", { } hogs) => options with { CpuHogs = hogs },
                ("--readers", { } readers) => options with { Readers = readers },
                ("--slack-ms", { } slack) when slack < 1000 => options with { SlackMs = slack },
                ("--days", { } days) => options with { Days = days },
                ("--keep-days", { } keepDays) => options with { KeepDays = keepDays },
                ("--items", { } items) => options with { Items = items },
                ("--updates", { } updates) => options with { Updates = updates },
                ("--replicas", { } replicas) => options with { Replicas = replicas },
                ("--commands", { } commands) => options with { Commands = commands },
                ("--rate" or "--seconds" or "--subscribers" or "--kills" or "--double-rate" or "--cpu-hogs"
                    or "--days" or "--keep-days" or "--items" or "--updates" or "--readers" or "--replicas" or "--commands", null) => options with { Error = $"{args[i]} needs a positive whole number" },
                ("--slack-ms", _) => options with { Error = "--slack-ms needs a whole number of milliseconds from 1 to 999" },
                _ => options with { Error = $"unknown option '{args[i]}'" },
            };
            if (options.Error is not null)
            {
                return options;
            }

            i++;
        }

        return options;
    }

    /// <summary>The command that reproduces this run, every option spelled out.</summary>
    public string Command
    {
        get
        {
            var command = new StringBuilder($"dotnet run --project tools/Atlas.Bot.Load -c Release -- {Scenario}");
            void Add(string name, int value, bool when = true)
            {
                if (when)
                {
                    command.Append(CultureInfo.InvariantCulture, $" {name} {value}");
                }
            }

            Add("--subscribers", Subscribers, Scenario != "opens");
            Add("--rate", Rate, Scenario is not ("enqueue" or "retention"));
            Add("--seconds", Seconds, Seconds > 0);
            Add("--kills", Kills, Scenario == "crash");
            Add("--double-rate", DoubleRate, DoubleRate > 0);
            Add("--slack-ms", SlackMs, SlackMs > 0);
            Add("--cpu-hogs", CpuHogs, CpuHogs > 0);
            Add("--days", Days, Scenario == "retention");
            Add("--keep-days", KeepDays, Scenario == "retention");
            Add("--items", Items, Scenario == "retention");
            Add("--updates", Updates, Scenario == "retention");
            Add("--replicas", Replicas, Scenario == "replicas");
            Add("--commands", Commands, Scenario == "replicas");
            command.Append(KillSender ? " --kill-sender" : "");
            command.Append(Postgres && Scenario != "replicas" ? " --postgres" : "");
            command.Append(Paid ? " --paid" : "");
            command.Append(Flood ? " --flood" : "");
            command.Append(Topics ? " --topics" : "");
            command.Append(PollOnly ? " --poll-only" : "");
            Add("--readers", Readers, Readers > 0);
            foreach (var (key, value) in Settings)
            {
                command.Append(CultureInfo.InvariantCulture, $" --env {key}={value}");
            }

            return command.ToString();
        }
    }
}
