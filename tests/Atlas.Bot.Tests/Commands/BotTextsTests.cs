using System.Reflection;
using System.Text.RegularExpressions;
using Atlas.Bot.Commands;
using Atlas.Bot.Tests.Telegram.Fake;

namespace Atlas.Bot.Tests.Commands;

public sealed partial class BotTextsTests
{
    private static readonly IReadOnlyDictionary<string, string> English = BotTexts.All("en");

    [Theory]
    [InlineData("az")]
    [InlineData("ru")]
    public void Every_text_exists_in_the_translation_and_is_translated(string language)
    {
        var translated = BotTexts.All(language);

        Assert.NotEmpty(English);
        Assert.Equal(English.Keys.Order(), translated.Keys.Order());
        Assert.All(English, text => Assert.True(text.Value != translated[text.Key], $"{language} {text.Key} is not translated"));
        Assert.All(English, text => Assert.Equal(Placeholders(text.Value), Placeholders(translated[text.Key])));
    }

    [Fact]
    public void Every_text_name_in_code_has_a_text()
    {
        var names = typeof(TextNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => !field.Name.EndsWith("Prefix", StringComparison.Ordinal))
            .Select(field => (string)field.GetValue(null)!);

        Assert.All(names, name => Assert.Contains(name, English.Keys));
        Assert.All(CommandMenu.SubscriberCommands.Concat(CommandMenu.AdminCommands), command => Assert.Contains(TextNames.MenuPrefix + command, English.Keys));
        Assert.All(UiLanguage.All, code => Assert.Contains(TextNames.LanguageNamePrefix + code, English.Keys));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("az")]
    [InlineData("ru")]
    public void Every_text_is_valid_Telegram_HTML(string language)
    {
        foreach (var name in English.Keys)
        {
            var text = BotTexts.Get(language, name, "x", "x", "x", "x", "x", "x", "x");
            Assert.True(TelegramHtmlRules.Check(text).ok, $"{language} {name}");
        }
    }

    [Fact]
    public void Azerbaijani_is_written_with_its_own_letters()
    {
        var az = string.Concat(BotTexts.All("az").Values);

        Assert.All("əşğıöüç", letter => Assert.Contains(letter, az));
    }

    [Fact]
    public void An_unknown_language_falls_back_to_English() =>
        Assert.Equal(BotTexts.Get("en", TextNames.Help), BotTexts.Get("tr", TextNames.Help));

    private static string[] Placeholders(string text) => [.. Placeholder().Matches(text).Select(match => match.Value).Distinct().Order()];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
