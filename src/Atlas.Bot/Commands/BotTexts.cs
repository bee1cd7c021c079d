using System.Globalization;
using System.Resources;

[assembly: NeutralResourcesLanguage("en")]

namespace Atlas.Bot.Commands;

/// <summary>The bot's words in az, en and ru, from Texts.resx and its satellite translations.</summary>
public static class BotTexts
{
    private static readonly ResourceManager Resources = new("Atlas.Bot.Commands.Texts", typeof(BotTexts).Assembly);

    /// <summary>The text <paramref name="name"/> (one of <see cref="TextNames"/>) in <paramref name="language"/>, formatted with <paramref name="args"/>.</summary>
    public static string Get(string language, string name, params object?[] args)
    {
        var culture = Culture(language);
        var template = Resources.GetString(name, culture)
            ?? throw new InvalidOperationException($"The bot has no text named '{name}'.");
        return args.Length == 0 ? template : string.Format(culture, template, args);
    }

    /// <summary>A feed language's name in <paramref name="language"/>; a language the bot does not speak keeps its code.</summary>
    public static string LanguageName(string language, string code) =>
        UiLanguage.All.Contains(code) ? Get(language, TextNames.LanguageNamePrefix + code) : code;

    public static string LanguageNames(string language, IEnumerable<string> codes) =>
        string.Join(", ", codes.Select(code => LanguageName(language, code)));

    /// <summary>Every text of the neutral (English) file with its value in <paramref name="language"/> only, without fallback; for tests.</summary>
    internal static IReadOnlyDictionary<string, string> All(string language)
    {
        var set = Resources.GetResourceSet(Culture(language), createIfNotExists: true, tryParents: false);
        return set is null
            ? new Dictionary<string, string>()
            : set.Cast<System.Collections.DictionaryEntry>().ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value ?? "");
    }

    private static CultureInfo Culture(string language) =>
        CultureInfo.GetCultureInfo(UiLanguage.All.Contains(language) ? language : UiLanguage.English);
}
