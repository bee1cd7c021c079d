using System.Globalization;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Commands;

/// <summary>
/// The one place that decides what an update means: a command, a button press, a membership change, or nothing.
/// Edited messages, channel posts, messages from bots and anything else Telegram sends are ignored silently.
/// </summary>
public sealed class CommandRouter(
    AdminGate admins,
    HelpCommand help,
    StartCommand start,
    StopCommand stop,
    LangCommand lang,
    LatestCommand latest,
    SubscribeCommand subscribe,
    FeedsCommand feeds,
    PollCommand poll,
    PauseCommand pause,
    PreviewCommand preview,
    ChannelsCommand channels,
    SubscribersCommand subscribers,
    BroadcastCommand broadcast,
    FailedCommand failed,
    StatsCommand stats,
    MembershipChanges memberships,
    TelegramCalls telegram)
{
    public Task RouteAsync(Update update, CommandContext context, CancellationToken ct) => update switch
    {
        { Message: { } message } => OnMessageAsync(message, context, ct),
        { CallbackQuery: { } query } => OnCallbackAsync(query, context, ct),
        { MyChatMember: { } change } => memberships.HandleAsync(change, context, ct),
        _ => Task.CompletedTask,
    };

    /// <summary>For logs: what an update was, e.g. "/lang", "callback lang:+az", "my_chat_member".</summary>
    public static string Describe(Update update, string? botUsername) => update switch
    {
        { Message.Text: { } text } when CommandLine.Parse(text, botUsername) is { } command => "/" + command.Name,
        { CallbackQuery.Data: { } data } => "callback " + (data.Length > 20 ? data[..20] : data),
        _ => update.Type.ToString(),
    };

    private Task OnMessageAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var isPrivate = message.Chat.Type == ChatType.Private;
        // An anonymous group admin writes as the group itself (From is Telegram's GroupAnonymousBot): that is a person.
        var asTheGroup = message.SenderChat?.Id == message.Chat.Id;
        var fromChannel = message.SenderChat is not null && !asTheGroup;
        if (message.From is { IsBot: true } && !asTheGroup || fromChannel || message.Chat.Type == ChatType.Channel)
        {
            return Task.CompletedTask;
        }

        if (CommandLine.Parse(message.Text, context.BotUsername) is not { } command)
        {
            // Text, stickers, photos: a short help in private; in groups other talk is none of the bot's business.
            return isPrivate ? help.ShortHelpAsync(message, context, ct) : Task.CompletedTask;
        }

        return isPrivate ? OnPrivateCommandAsync(message, command, context, ct) : OnGroupCommandAsync(message, command, context, ct);
    }

    private Task OnPrivateCommandAsync(Message message, CommandLine command, CommandContext context, CancellationToken ct) => command.Name switch
    {
        "start" or "subscribe" => start.HandleAsync(message, context, ct),
        "stop" or "unsubscribe" => stop.HandleAsync(message, context, ct),
        "lang" => lang.HandleAsync(message, context, ct),
        "latest" => latest.HandleAsync(message, context, ct),
        "help" => help.HandleAsync(message, context, ct),
        // The admins' menu is the list of admin commands, so the menu and the gate cannot disagree.
        _ when CommandMenu.AdminCommands.Contains(command.Name) => OnAdminCommandAsync(message, command, context, ct),
        _ => help.ShortHelpAsync(message, context, ct),
    };

    private Task OnGroupCommandAsync(Message message, CommandLine command, CommandContext context, CancellationToken ct) => command.Name switch
    {
        "subscribe" => subscribe.SubscribeAsync(message, context, ct),
        "unsubscribe" or "stop" => subscribe.UnsubscribeAsync(message, context, ct),
        "lang" => lang.HandleAsync(message, context, ct),
        "latest" => latest.HandleAsync(message, context, ct),
        "start" or "help" => help.GroupHelpAsync(message, context, ct),
        // A bare "/cmd" in a group may be meant for another bot; only an explicit "/cmd@ourbot" deserves an answer.
        _ when command.Addressed => help.GroupHelpAsync(message, context, ct),
        _ => Task.CompletedTask,
    };

    private async Task OnAdminCommandAsync(Message message, CommandLine command, CommandContext context, CancellationToken ct)
    {
        if (message.From is not { } from || !await admins.AllowAsync(from.Id, message.Chat.Id, command.Name, command.Arguments, context, ct))
        {
            return;
        }

        await (command.Name switch
        {
            "feeds" => feeds.HandleAsync(message, context, ct),
            "poll" => poll.HandleAsync(message, command.Arguments, context, ct),
            "pause" => pause.HandleAsync(message, pause: true, context, ct),
            "resume" => pause.HandleAsync(message, pause: false, context, ct),
            "preview" => preview.HandleAsync(message, command.Arguments, context, ct),
            "channels" => channels.HandleAsync(message, context, ct),
            "subscribers" => subscribers.HandleAsync(message, context, ct),
            "broadcast" => broadcast.DraftAsync(message, command, context, ct),
            "failed" => failed.ListAsync(message, context, ct),
            "retry" => failed.RetryAsync(message, command.Arguments, context, ct),
            _ => stats.HandleAsync(message, command.Arguments, context, ct),
        });
    }

    private async Task OnCallbackAsync(CallbackQuery query, CommandContext context, CancellationToken ct)
    {
        var data = query.Data ?? "";
        if (data.StartsWith(LanguageKeyboard.Prefix, StringComparison.Ordinal))
        {
            await lang.SetAsync(query, data[LanguageKeyboard.Prefix.Length..], context, ct);
        }
        else if (Seq(data, BroadcastCommand.SendPrefix) is { } send)
        {
            if (await AllowCallbackAsync(query, "broadcast-confirm", send, context, ct))
            {
                await broadcast.ConfirmAsync(query, send, context, ct);
            }
        }
        else if (Seq(data, BroadcastCommand.CancelPrefix) is { } cancel)
        {
            if (await AllowCallbackAsync(query, "broadcast-cancel", cancel, context, ct))
            {
                await broadcast.CancelAsync(query, cancel, context, ct);
            }
        }
        else
        {
            // An old keyboard, or data nobody sent: say so briefly, nothing else.
            await telegram.AnswerCallbackAsync(query.Id, context.Text(TextNames.ButtonExpired), ct);
        }
    }

    private async Task<bool> AllowCallbackAsync(CallbackQuery query, string action, long seq, CommandContext context, CancellationToken ct)
    {
        if (await admins.AllowAsync(query.From.Id, query.Message?.Chat.Id ?? query.From.Id, action, seq.ToString(CultureInfo.InvariantCulture), context, ct))
        {
            return true;
        }

        await telegram.AnswerCallbackAsync(query.Id, context.Text(TextNames.AdminOnly), ct);
        return false;
    }

    private static long? Seq(string data, string prefix) =>
        data.StartsWith(prefix, StringComparison.Ordinal)
        && long.TryParse(data.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? seq
            : null;
}
