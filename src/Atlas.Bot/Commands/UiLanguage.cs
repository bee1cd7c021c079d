namespace Atlas.Bot.Commands;

/// <summary>The languages the bot speaks: az, en and ru.</summary>
public static class UiLanguage
{
    public const string Azerbaijani = "az";
    public const string English = "en";
    public const string Russian = "ru";

    public static IReadOnlyList<string> All { get; } = [Azerbaijani, English, Russian];

    /// <summary>Maps Telegram's language_code (an IETF tag such as "ru-RU") to az, ru or en; English otherwise.</summary>
    public static string From(string? languageCode) => languageCode?.ToLowerInvariant() switch
    {
        ['a', 'z', ..] => Azerbaijani,
        ['r', 'u', ..] => Russian,
        _ => English,
    };
}
