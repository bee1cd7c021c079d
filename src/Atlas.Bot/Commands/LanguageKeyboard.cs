using Atlas.Bot.Posts;
using Atlas.Bot.Telegram;

namespace Atlas.Bot.Commands;

/// <summary>
/// The feed-language buttons of /start and /lang: one per language, ✅ on the selected ones. Each button says
/// what pressing it sets ("lang:+az" selects, "lang:-az" deselects), so a press handled twice changes nothing twice.
/// </summary>
public static class LanguageKeyboard
{
    public const string Prefix = "lang:";

    public static IReadOnlyList<IReadOnlyList<InlineButton>> For(string uiLanguage, IReadOnlyList<string> feedLanguages, IReadOnlyCollection<string> selected) =>
        [.. feedLanguages.Select(code =>
        {
            var on = selected.Contains(code);
            var name = BotTexts.LanguageName(uiLanguage, code);
            return (IReadOnlyList<InlineButton>)[new InlineButton(on ? $"✅ {name}" : name, CallbackData: $"{Prefix}{(on ? '-' : '+')}{code}")];
        })];

    /// <summary>Reads "+az" or "-az" (after the prefix); null when it is neither.</summary>
    public static (string Code, bool Select)? Parse(string data) =>
        data is ['+' or '-', _, ..] && data[1..].All(char.IsAsciiLetterLower)
            ? (data[1..], data[0] == '+')
            : null;
}
