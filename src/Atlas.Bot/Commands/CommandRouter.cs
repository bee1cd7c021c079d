using System.Globalization;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Commands;

/// <summary>
/// The one place that decides what an update means: a command, a button press, a membership change, news of a forum
/// topic (<see cref="ForumTopicUpdates"/>), or nothing.
/// Edited messages, channel posts, messages from bots and anything else Telegram sends are ignored silently.
/// Whatever the bot would answer (every private message, its own commands in groups, every button press) is first
/// held to the <see cref="ReplyBudget"/>: over budget it is not handled at all.
/// </summary>
public sealed partial class CommandRouter(
    AdminGate admins,
    HelpCommand help,
    StartCommand start,
    StopCommand stop,
    LangCommand lang,
    TopicsCommand topics,
    QuietCommand quiet,
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
    UnpostCommand unpost,
    MembershipChanges memberships,
    ForumTopicUpdates forumTopics,
    TelegramCalls telegram,
    ReplyBudget budget,
    ILogger<CommandRouter> log)
{
    public Task RouteAsync(Update update, CommandContext context, CancellationToken ct) => update switch
    {
        { Message: { } message } when ForumTopicUpdates.Concerns(message) => OnForumTopicMessageAsync(message, context, ct),
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

    /// <summary>What a forum says of a topic is noted whoever wrote it, and costs no budget; the message is then what it is anyway.</summary>
    private async Task OnForumTopicMessageAsync(Message message, CommandContext context, CancellationToken ct)
    {
        await forumTopics.HandleAsync(message, context, ct);
        await OnMessageAsync(message, context, ct);
    }

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
            return isPrivate ? WithinBudgetAsync(message, () => help.ShortHelpAsync(message, context, ct), context, ct) : Task.CompletedTask;
        }

        var answer = isPrivate ? OnPrivateCommand(message, command, context, ct) : OnGroupCommand(message, command, context, ct);
        // Only what the bot answers costs budget: a command for another bot in the same group costs nothing.
        return answer is null ? Task.CompletedTask : WithinBudgetAsync(message, answer, context, ct);
    }

    private Func<Task> OnPrivateCommand(Message message, CommandLine command, CommandContext context, CancellationToken ct) => command.Name switch
    {
        "start" or "subscribe" => () => start.HandleAsync(message, context, ct),
        "stop" or "unsubscribe" => () => stop.HandleAsync(message, context, ct),
        "lang" => () => lang.HandleAsync(message, context, ct),
        "topics" => () => topics.HandleAsync(message, context, ct),
        "quiet" => () => quiet.HandleAsync(message, command.Arguments, context, ct),
        "latest" => () => latest.HandleAsync(message, context, ct),
        "help" => () => help.HandleAsync(message, context, ct),
        // The admins' menu is the list of admin commands, so the menu and the gate cannot disagree.
        _ when CommandMenu.AdminCommands.Contains(command.Name) => () => OnAdminCommandAsync(message, command, context, ct),
        _ => () => help.ShortHelpAsync(message, context, ct),
    };

    /// <summary>The group command's handler; null when the bot does not answer it.</summary>
    private Func<Task>? OnGroupCommand(Message message, CommandLine command, CommandContext context, CancellationToken ct) => command.Name switch
    {
        "subscribe" => () => subscribe.SubscribeAsync(message, context, ct),
        "unsubscribe" or "stop" => () => subscribe.UnsubscribeAsync(message, context, ct),
        "lang" => () => lang.HandleAsync(message, context, ct),
        "topics" => () => topics.HandleAsync(message, context, ct),
        "quiet" => () => quiet.HandleAsync(message, command.Arguments, context, ct),
        "latest" => () => latest.HandleAsync(message, context, ct),
        "start" or "help" => () => help.GroupHelpAsync(message, context, ct),
        // A bare "/cmd" in a group may be meant for another bot; only an explicit "/cmd@ourbot" deserves an answer.
        _ when command.Addressed => () => help.GroupHelpAsync(message, context, ct),
        _ => null,
    };

    /// <summary>
    /// Runs <paramref name="answer"/> when the sender and the group have budget left; otherwise queues the notice once an
    /// episode. Admins are held to the same budget: a second command within the interval is a script, not a person.
    /// </summary>
    private async Task WithinBudgetAsync(Message message, Func<Task> answer, CommandContext context, CancellationToken ct)
    {
        // An anonymous group admin writes as the group, from Telegram's GroupAnonymousBot that all such admins share.
        var sender = message.SenderChat?.Id ?? message.From?.Id ?? message.Chat.Id;
        if (await AdmitAsync(sender, message.Chat, () => context.ReplyAsync(message.Chat.Id, context.Text(TextNames.TooManyRequests), ct), context))
        {
            await answer();
        }
    }

    /// <summary>
    /// Holds a request from <paramref name="sender"/> (in <paramref name="chat"/>, when known) to the budget: true to answer
    /// it; over budget, <paramref name="notice"/> runs once an episode.
    /// </summary>
    private async Task<bool> AdmitAsync(long sender, Chat? chat, Func<Task> notice, CommandContext context)
    {
        var group = chat is null || chat.Type == ChatType.Private ? (long?)null : chat.Id;
        var admission = budget.Admit(context.UpdateId, sender, group);
        if (admission == Admission.Notice)
        {
            LogOverBudget(sender, chat?.Id ?? sender);
            await notice();
        }

        return admission == Admission.Answer;
    }

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
            "unpost" => unpost.HandleAsync(message, command.Arguments, context, ct),
            _ => stats.HandleAsync(message, command.Arguments, context, ct),
        });
    }

    private async Task OnCallbackAsync(CallbackQuery query, CommandContext context, CancellationToken ct)
    {
        // A press costs like a command: it edits a message or queues a reply, ahead of posts. Over budget the press is
        // answered with the notice once an episode (a toast, not a message), and otherwise left to Telegram's timeout.
        if (!await AdmitAsync(query.From.Id, query.Message?.Chat, () => telegram.AnswerCallbackAsync(query.Id, context.Text(TextNames.TooManyRequests), ct), context))
        {
            return;
        }

        var data = query.Data ?? "";
        if (data.StartsWith(LanguageKeyboard.Prefix, StringComparison.Ordinal))
        {
            await lang.SetAsync(query, data[LanguageKeyboard.Prefix.Length..], context, ct);
        }
        else if (data.StartsWith(TopicKeyboard.Prefix, StringComparison.Ordinal))
        {
            await topics.PressAsync(query, data[TopicKeyboard.Prefix.Length..], context, ct);
        }
        else if (data.StartsWith(QuietKeyboard.Prefix, StringComparison.Ordinal))
        {
            await quiet.PressAsync(query, data[QuietKeyboard.Prefix.Length..], context, ct);
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

    [LoggerMessage(EventId = 3030, Level = LogLevel.Warning,
        Message = "Too many requests from {Sender} in chat {Chat}: told once to try again in a minute; what exceeds the budget goes unanswered")]
    private partial void LogOverBudget(long sender, long chat);
}
