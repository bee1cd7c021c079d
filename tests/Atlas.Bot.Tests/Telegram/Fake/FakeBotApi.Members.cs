using System.Collections.Concurrent;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Tests.Telegram.Fake;

public sealed partial class FakeBotApi
{
    private readonly ConcurrentDictionary<(long Chat, long User), ChatMemberStatus> _members = new();
    private readonly ConcurrentQueue<KeyboardEdit> _keyboardEdits = new();

    /// <summary>Every editMessageReplyMarkup accepted, in order.</summary>
    public IReadOnlyCollection<KeyboardEdit> KeyboardEdits => _keyboardEdits;

    /// <summary>What getChatMember says of <paramref name="user"/> in <paramref name="chat"/>; "member" when never set.</summary>
    public void SetChatMember(long chat, long user, ChatMemberStatus status) => _members[(chat, user)] = status;

    private Outcome GetChatMember(FakeRequest request)
    {
        if (ResolveChat(request, out _, out var chatId) is { } chatError)
        {
            return chatError;
        }

        if (request.Number("user_id") is not { } userId || userId <= 0)
        {
            return FakeReply.BadRequest("PARTICIPANT_ID_INVALID");
        }

        var user = new User { Id = userId, IsBot = false, FirstName = "Test user" };
        ChatMember member = _members.GetValueOrDefault((chatId, userId), ChatMemberStatus.Member) switch
        {
            ChatMemberStatus.Creator => new ChatMemberOwner { User = user },
            ChatMemberStatus.Administrator => new ChatMemberAdministrator { User = user, CanManageChat = true },
            ChatMemberStatus.Left => new ChatMemberLeft { User = user },
            ChatMemberStatus.Kicked => new ChatMemberBanned { User = user },
            _ => new ChatMemberMember { User = user },
        };
        return Outcome.Ok(Serialize(member));
    }

    /// <summary>Only messages the bot sent can be edited; an unchanged keyboard is "not modified", as Telegram says.</summary>
    private Outcome EditMessageReplyMarkup(FakeRequest request)
    {
        if (ResolveChat(request, out var chat, out var chatId) is { } chatError)
        {
            return chatError;
        }

        var messageId = (int)(request.Number("message_id") ?? 0);
        var sent = Messages.LastOrDefault(message => message.ChatId == chatId && message.MessageId == messageId);
        if (sent is null)
        {
            return FakeReply.BadRequest("message to edit not found");
        }

        if (CheckKeyboard(request) is { } keyboardError)
        {
            return keyboardError;
        }

        var buttons = Buttons(request);
        var current = _keyboardEdits.LastOrDefault(edit => edit.ChatId == chatId && edit.MessageId == messageId)?.Buttons ?? sent.Buttons;
        if (current.SequenceEqual(buttons))
        {
            return FakeReply.BadRequest(
                "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
        }

        _keyboardEdits.Enqueue(new KeyboardEdit(chat, chatId, messageId, buttons));
        return Outcome.Ok(Serialize(new Message { Id = messageId, Date = _time.GetUtcNow().UtcDateTime, Chat = ChatOf(chat, chatId), Text = sent.Text }));
    }
}

/// <summary>An editMessageReplyMarkup the fake accepted: the message's new buttons (none when removed).</summary>
public sealed record KeyboardEdit(string Chat, long ChatId, int MessageId, IReadOnlyList<SentButton> Buttons);
