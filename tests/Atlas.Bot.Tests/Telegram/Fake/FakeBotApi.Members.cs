using System.Collections.Concurrent;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Tests.Telegram.Fake;

public sealed partial class FakeBotApi
{
    private readonly ConcurrentDictionary<(long Chat, long User), ChatMemberStatus> _members = new();

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
}
