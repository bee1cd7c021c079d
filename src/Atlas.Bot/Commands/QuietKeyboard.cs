using System.Globalization;
using System.Text.RegularExpressions;
using Atlas.Bot.Delivery;
using Atlas.Bot.Posts;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Commands;

/// <summary>A quiet-hours choice: a span, or none (<see cref="Span"/> null: off).</summary>
public readonly record struct QuietChoice(QuietSpan? Span);

/// <summary>
/// The buttons of /quiet and the spans typed after it. A button says what it sets ("quiet:off", "quiet:2207"), never
/// "toggle", so a press handled twice changes nothing twice. The chosen one is marked ✅; a span typed with /quiet that
/// is none of the presets gets a marked button of its own, so the keyboard always shows what is set.
/// </summary>
public static partial class QuietKeyboard
{
    public const string Prefix = "quiet:";

    /// <summary>The spans offered as buttons: the nights people most often keep quiet.</summary>
    public static IReadOnlyList<QuietSpan> Presets { get; } = [new(22, 7), new(23, 8), new(0, 9)];

    public static IReadOnlyList<IReadOnlyList<InlineButton>> For(string uiLanguage, QuietSpan? chosen)
    {
        var off = BotTexts.Get(uiLanguage, TextNames.QuietOffButton);
        List<InlineButton> presets =
        [
            Button(off, "off", chosen is null),
            .. Presets.Select(span => Button(ButtonText(span), Data(span), chosen == span)),
        ];
        return chosen is { } custom && !Presets.Contains(custom)
            ? [presets, [Button(ButtonText(custom), Data(custom), on: true)]]
            : [presets];
    }

    /// <summary>Reads what follows the prefix: "off" or four digits (start and end hour); null when it is neither.</summary>
    public static QuietChoice? Parse(string data)
    {
        if (data == "off")
        {
            return new QuietChoice(null);
        }

        return data.Length == 4 && data.All(char.IsAsciiDigit)
            && new QuietSpan(Hour(data[..2]), Hour(data[2..])) is var span && QuietHours.IsValid(span)
            ? new QuietChoice(span)
            : null;
    }

    /// <summary>
    /// Reads a span typed after /quiet: "23-7", "23-07", "23:00-07:00", "23 – 07" (a hyphen, an en or an em dash), or
    /// "off". Whole hours 0 to 23, start and end apart; anything else is null and changes nothing.
    /// </summary>
    public static QuietChoice? ParseTyped(string text)
    {
        var trimmed = text.Trim();
        if (string.Equals(trimmed, "off", StringComparison.OrdinalIgnoreCase))
        {
            return new QuietChoice(null);
        }

        if (TypedSpan().Match(trimmed) is not { Success: true } match)
        {
            return null;
        }

        var span = new QuietSpan(Hour(match.Groups["start"].Value), Hour(match.Groups["end"].Value));
        return QuietHours.IsValid(span) ? new QuietChoice(span) : null;
    }

    /// <summary>"22–07": a button's text.</summary>
    public static string ButtonText(QuietSpan span) => $"{Two(span.Start)}–{Two(span.End)}";

    /// <summary>"22:00–07:00": the span in a sentence.</summary>
    public static string Spelled(QuietSpan span) => $"{Two(span.Start)}:00–{Two(span.End)}:00";

    private static InlineButton Button(string text, string data, bool on) =>
        new(on ? $"✅ {text}" : text, CallbackData: Prefix + data);

    private static string Data(QuietSpan span) => Two(span.Start) + Two(span.End);

    private static string Two(int hour) => hour.ToString("00", CultureInfo.InvariantCulture);

    private static int Hour(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<start>[0-9]{1,2})(?::00)?\s*[-–—]\s*(?<end>[0-9]{1,2})(?::00)?$", RegexOptions.CultureInvariant)]
    private static partial Regex TypedSpan();
}
