using Atlas.Bot.Storage;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Commands;

/// <summary>/lang and the language buttons: which feed languages a subscriber (or a subscribed group) receives.</summary>
public sealed class LangCommand(Store store, FeedLanguages languages, GroupAdmins groupAdmins, TelegramCalls telegram)
{
    public async Task HandleAsync(Message message, CommandContext context, CancellationToken ct)
    {
        var chat = message.Chat.Id;
        var group = message.Chat.Type != ChatType.Private;
        if (group && !await groupAdmins.AllowAsync(message, context, ct))
        {
            return;
        }

        if (await store.GetSubscriberAsync(chat, ct) is not { Active: true } subscriber)
        {
            await context.ReplyAsync(chat, context.Text(group ? TextNames.GroupNotSubscribed : TextNames.NotSubscribed), ct);
            return;
        }

        await context.ReplyAsync(chat, context.Text(TextNames.LangPrompt), ct, LanguageKeyboard.For(context.Language, languages.All, subscriber.Languages));
    }

    /// <summary>A press on a language button; <paramref name="data"/> is what follows "lang:".</summary>
    public async Task SetAsync(CallbackQuery query, string data, CommandContext context, CancellationToken ct)
    {
        if (LanguageKeyboard.Parse(data) is not (string code, bool select) || !languages.Contains(code) || query.Message is not { } message)
        {
            await telegram.AnswerCallbackAsync(query.Id, context.Text(TextNames.ButtonExpired), ct);
            return;
        }

        var chat = message.Chat.Id;
        if (message.Chat.Type != ChatType.Private && !await groupAdmins.IsAdminAsync(message.Chat, query.From, senderChat: null, ct))
        {
            await telegram.AnswerCallbackAsync(query.Id, context.Text(TextNames.GroupAdminsOnly), ct);
            return;
        }

        if (await store.GetSubscriberAsync(chat, ct) is not { Active: true } subscriber)
        {
            await telegram.AnswerCallbackAsync(query.Id, context.Text(TextNames.NotSubscribed), ct);
            return;
        }

        var chosen = languages.All
            .Where(language => language == code ? select : subscriber.Languages.Contains(language))
            .ToList();
        if (chosen.Count == 0)
        {
            await telegram.AnswerCallbackAsync(query.Id, context.Text(TextNames.LangAtLeastOne), ct);
            return;
        }

        await store.SetLanguagesAsync(chat, chosen, ct);
        await telegram.AnswerCallbackAsync(query.Id, context.Text(TextNames.LangSaved, BotTexts.LanguageNames(context.Language, chosen)), ct);
        await telegram.EditKeyboardAsync(chat, message.Id, LanguageKeyboard.For(context.Language, languages.All, chosen), ct);
    }
}
