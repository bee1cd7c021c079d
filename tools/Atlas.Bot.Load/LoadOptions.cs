using System.Globalization;

namespace Atlas.Bot.Load;

/// <summary>The harness's command line; parsing never throws, a problem is returned as <see cref="Error"/>.</summary>
internal sealed record LoadOptions(int Rate, int Seconds, string? Error = null)
{
    public const string Usage =
        """
        Usage:
          dotnet run --project tools/Atlas.Bot.Load -c Release -- opens [--rate <opens/s>] [--seconds <n>]
            opens   GET /r/{code} at a fixed rate, each from a distinct User-Agent; defaults: --rate 2000 --seconds 10
        """;

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions(Rate: 2000, Seconds: 10);
        if (args.Count == 0 || args[0] != "opens")
        {
            return options with { Error = "the only scenario is 'opens'" };
        }

        for (var i = 1; i < args.Count; i += 2)
        {
            var value = i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
                ? number
                : (int?)null;
            options = (args[i], value) switch
            {
                ("--rate", { } rate) => options with { Rate = rate },
                ("--seconds", { } seconds) => options with { Seconds = seconds },
                ("--rate" or "--seconds", null) => options with { Error = $"{args[i]} needs a positive whole number" },
                _ => options with { Error = $"unknown option '{args[i]}'" },
            };
            if (options.Error is not null)
            {
                return options;
            }
        }

        return options;
    }

    public string Command => $"dotnet run --project tools/Atlas.Bot.Load -c Release -- opens --rate {Rate} --seconds {Seconds}";
}
