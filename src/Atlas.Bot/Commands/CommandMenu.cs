using Atlas.Bot.Telegram;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>
/// Sets the bot's command menu at start: the subscriber commands in az, ru and (by default) English, and for each
/// admin, in their private chat, the subscriber and admin commands. A failure is logged; the bot works without a menu.
/// </summary>
public sealed partial class CommandMenu(ITelegramBotClient client, IOptions<TelegramOptions> options, ILogger<CommandMenu> log) : IHostedService
{
    public static IReadOnlyList<string> SubscriberCommands { get; } = ["start", "lang", "topics", "quiet", "latest", "stop", "help"];

    public static IReadOnlyList<string> AdminCommands { get; } =
        ["feeds", "poll", "pause", "resume", "preview", "channels", "subscribers", "broadcast", "failed", "retry", "stats", "unpost"];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var language in UiLanguage.All)
        {
            // English is the default menu: it is what everyone whose language has no menu of its own sees.
            var code = language == UiLanguage.English ? null : language;
            await SetAsync(Menu(language, SubscriberCommands), BotCommandScope.Default(), code, $"default/{language}", cancellationToken);
        }

        foreach (var admin in options.Value.Admins)
        {
            await SetAsync(Menu(UiLanguage.English, [.. SubscriberCommands, .. AdminCommands]), BotCommandScope.Chat(admin), null, $"admin {admin}", cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static BotCommand[] Menu(string language, IEnumerable<string> commands) =>
        [.. commands.Select(command => new BotCommand(command, BotTexts.Get(language, TextNames.MenuPrefix + command)))];

    private async Task SetAsync(BotCommand[] commands, BotCommandScope scope, string? languageCode, string menu, CancellationToken ct)
    {
        try
        {
            await client.SetMyCommands(commands, scope, languageCode, ct);
        }
        catch (Exception exception) when (SendFailureClassifier.IsSendFailure(exception) && !ct.IsCancellationRequested)
        {
            LogMenuFailed(menu, TokenRedaction.Scrub(exception.Message));
        }
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "Could not set the {Menu} command menu: {Reason}")]
    private partial void LogMenuFailed(string menu, string reason);
}
