using Atlas.Bot.Storage;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>/lang and the language buttons: which feed languages a subscriber (or a subscribed group) receives.</summary>
public sealed class LangCommand(Store store, FeedLanguages languages, SubscriberSettings settings, TelegramCalls telegram)
{
    public async Task HandleAsync(Message message, CommandContext context, CancellationToken ct)
    {
        if (await settings.ForCommandAsync(message, context, ct) is not { } subscriber)
        {
            return;
        }

        await context.ReplyAsync(message.Chat.Id, context.Text(TextNames.LangPrompt), ct, LanguageKeyboard.For(context.Language, languages.All, subscriber.Languages));
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
        if (await settings.ForPressAsync(query, message, notSubscribedInGroup: TextNames.NotSubscribed, context, ct) is not { } subscriber)
        {
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
