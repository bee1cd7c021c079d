using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Quartz;

namespace Atlas.Bot.Feeds;

/// <summary>Checks every feed entry and names each problem with its configuration key.</summary>
public sealed partial class FeedsOptionsValidator : IValidateOptions<FeedsOptions>
{
    public static readonly IReadOnlySet<string> Languages = new HashSet<string>(StringComparer.Ordinal) { "az", "en", "ru" };

    public ValidateOptionsResult Validate(string? name, FeedsOptions options)
    {
        var errors = new List<string>();
        if (options.Feeds.Count == 0)
        {
            errors.Add("Feeds: no feed is configured (set Feeds__0__Id, Feeds__0__Url, Feeds__0__Language, Feeds__0__Channels__0).");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Feeds.Count; i++)
        {
            var feed = options.Feeds[i];
            var key = $"Feeds:{i}";
            if (string.IsNullOrWhiteSpace(feed.Id))
            {
                errors.Add($"{key}:Id is required.");
            }
            else if (!IdPattern().IsMatch(feed.Id))
            {
                errors.Add($"{key}:Id '{feed.Id}' may hold only letters, digits, '-' and '_'.");
            }
            else if (!ids.Add(feed.Id))
            {
                errors.Add($"{key}:Id '{feed.Id}' is used by another feed.");
            }

            if (string.IsNullOrWhiteSpace(feed.Url))
            {
                errors.Add($"{key}:Url is required (an http(s) URL or a file path).");
            }
            else if (Uri.TryCreate(feed.Url, UriKind.Absolute, out var uri) && uri.Scheme is not ("http" or "https" or "file") && !Path.IsPathRooted(feed.Url))
            {
                errors.Add($"{key}:Url '{feed.Url}' must be http, https or a file path.");
            }

            if (!Languages.Contains(feed.Language))
            {
                errors.Add($"{key}:Language '{feed.Language}' must be az, en or ru.");
            }

            var entries = new List<(int Index, ChannelEntry Entry)>();
            for (var c = 0; c < feed.Channels.Count; c++)
            {
                if (ChannelEntry.TryParse(feed.Channels[c], out var problem) is not { } entry)
                {
                    errors.Add($"{key}:Channels:{c} '{feed.Channels[c]}' {problem}.");
                }
                else if (entries.Find(earlier => earlier.Entry.SamePlaceAs(entry)) is { Entry: not null } same)
                {
                    // Twice in one feed would post everything twice there; two topics of one group are two places.
                    errors.Add($"{key}:Channels:{c} '{feed.Channels[c]}' is the same place as {key}:Channels:{same.Index}.");
                }
                else
                {
                    entries.Add((c, entry));
                }
            }

            if (!CronExpression.TryParse(feed.Schedule, out _))
            {
                errors.Add($"{key}:Schedule '{feed.Schedule}' is not a valid Quartz cron expression (for example '0 0/2 * * * ?').");
            }

            if (feed.Backfill < 0)
            {
                errors.Add($"{key}:Backfill must be 0 or more.");
            }

            if (!TimeZoneInfo.TryFindSystemTimeZoneById(feed.TimeZone, out _))
            {
                errors.Add($"{key}:TimeZone '{feed.TimeZone}' is not a known time zone (for example Asia/Baku).");
            }

            // The binder takes any number for an enum; only the names mean something.
            if (!Enum.IsDefined(feed.WebSub))
            {
                errors.Add($"{key}:WebSub '{feed.WebSub}' must be Auto or Off.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static bool IsChat(string chat) =>
        UsernamePattern().IsMatch(chat) || long.TryParse(chat, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _);

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^@[A-Za-z][A-Za-z0-9_]{3,31}$")]
    private static partial Regex UsernamePattern();
}
