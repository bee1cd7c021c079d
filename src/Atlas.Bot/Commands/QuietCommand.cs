using System.Globalization;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>
/// /quiet and its buttons: the hours in which a subscriber's (or a subscribed group's) posts arrive silently. Hours are
/// the center's (Stats__TimeZone), and every answer says so: Telegram does not tell a bot where its user is.
/// </summary>
public sealed class QuietCommand(Store store, SubscriberSettings settings, TelegramCalls telegram, StatsDays days)
{
    /// <param name="arguments">What follows /quiet: nothing to see the buttons, a span ("23-07") or "off" to set it.</param>
    public async Task HandleAsync(Message message, string arguments, CommandContext context, CancellationToken ct)
    {
        if (await settings.ForCommandAsync(message, context, ct) is not { } subscriber)
        {
            return;
        }

        var chat = subscriber.ChatId;
        if (arguments.Length == 0)
        {
            var current = await store.QuietHoursAsync(chat, ct);
            await context.ReplyAsync(chat, context.Text(TextNames.QuietPrompt, Zone(context)), ct, QuietKeyboard.For(context.Language, current));
            return;
        }

        if (QuietKeyboard.ParseTyped(arguments) is not { } choice)
        {
            // Bad input loses nothing: the hours set stay as they were.
            await context.ReplyAsync(chat, context.Text(TextNames.QuietUsage), ct);
            return;
        }

        await store.SetQuietHoursAsync(chat, choice.Span, ct);
        await context.ReplyAsync(chat, Saved(choice.Span, context), ct);
    }

    /// <summary>A press on a quiet-hours button; <paramref name="data"/> is what follows "quiet:".</summary>
    public async Task PressAsync(CallbackQuery query, string data, CommandContext context, CancellationToken ct)
    {
        if (QuietKeyboard.Parse(data) is not { } choice || query.Message is not { } message)
        {
            await telegram.AnswerCallbackAsync(query.Id, context.Text(TextNames.ButtonExpired), ct);
            return;
        }

        if (await settings.ForPressAsync(query, message, notSubscribedInGroup: TextNames.GroupNotSubscribed, context, ct) is not { } subscriber)
        {
            return;
        }

        var chat = subscriber.ChatId;
        var toast = choice.Span is { } span ? context.Text(TextNames.QuietToastSpan, QuietKeyboard.Spelled(span)) : context.Text(TextNames.QuietToastOff);
        if (await store.QuietHoursAsync(chat, ct) == choice.Span)
        {
            // Pressed again (or the press handled again): nothing to change, and an edit Telegram would call "not modified".
            await telegram.AnswerCallbackAsync(query.Id, toast, ct);
            return;
        }

        await store.SetQuietHoursAsync(chat, choice.Span, ct);
        await telegram.AnswerCallbackAsync(query.Id, toast, ct);
        await telegram.EditKeyboardAsync(chat, message.Id, QuietKeyboard.For(context.Language, choice.Span), ct);
    }

    private string Saved(QuietSpan? span, CommandContext context) =>
        span is { } quiet ? context.Text(TextNames.QuietSaved, QuietKeyboard.Spelled(quiet), Zone(context)) : context.Text(TextNames.QuietOff);

    /// <summary>"Hours are Asia/Baku time (it is 14:05 there now): Telegram does not tell bots…".</summary>
    private string Zone(CommandContext context) =>
        context.Text(TextNames.QuietZone, days.Zone.Id, TimeZoneInfo.ConvertTime(context.Now, days.Zone).ToString("HH:mm", CultureInfo.InvariantCulture));
}
