using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Tests.Commands;

/// <summary>Builds the updates Telegram would send, as Telegram.Bot types.</summary>
public static class Updates
{
    private static int _messageId = 1000;

    public static User Person(long id, string language = "en") => new() { Id = id, IsBot = false, FirstName = "Person", LanguageCode = language };

    public static Chat Private(long id) => new() { Id = id, Type = ChatType.Private, FirstName = "Person" };

    public static Chat Group(long id, ChatType type = ChatType.Supergroup) => new() { Id = id, Type = type, Title = "Analysts' group" };

    public static Update Text(long user, string text, string language = "en") => Text(Private(user), Person(user, language), text);

    public static Update Text(Chat chat, User? from, string text, Chat? senderChat = null) => new()
    {
        Message = Message(chat, from, message =>
        {
            message.Text = text;
            message.SenderChat = senderChat;
            if (text.StartsWith('/'))
            {
                message.Entities = [new MessageEntity { Type = MessageEntityType.BotCommand, Offset = 0, Length = text.Split(' ', 2)[0].Length }];
            }
        }),
    };

    public static Update Sticker(long user) => new()
    {
        Message = Message(Private(user), Person(user), message => message.Sticker = new Sticker
        {
            FileId = "sticker", FileUniqueId = "s", Type = StickerType.Regular, Width = 512, Height = 512,
        }),
    };

    public static Update Photo(long user) => new()
    {
        Message = Message(Private(user), Person(user), message =>
        {
            message.Photo = [new PhotoSize { FileId = "photo", FileUniqueId = "p", Width = 10, Height = 10 }];
            message.Caption = "/stats";
        }),
    };

    public static Update Edited(long user, string text) => new() { EditedMessage = Message(Private(user), Person(user), message => message.Text = text) };

    public static Update ChannelPost(long channel, string text) => new()
    {
        ChannelPost = Message(new Chat { Id = channel, Type = ChatType.Channel, Title = "Channel" }, null, message => message.Text = text),
    };

    public static Update FromBot(long chat, string text) => new()
    {
        Message = Message(Private(chat), new User { Id = 777, IsBot = true, FirstName = "Other bot" }, message => message.Text = text),
    };

    public static Update Callback(long user, int messageId, string data, Chat? chat = null, string language = "en") => new()
    {
        CallbackQuery = new CallbackQuery
        {
            Id = $"cq-{Interlocked.Increment(ref _messageId)}",
            From = Person(user, language),
            ChatInstance = "ci",
            Data = data,
            Message = new Message { Id = messageId, Date = DateTime.UtcNow, Chat = chat ?? Private(user) },
        },
    };

    public static Update MyChatMember(Chat chat, ChatMember member) => new()
    {
        MyChatMember = new ChatMemberUpdated
        {
            Chat = chat,
            From = Person(42),
            Date = DateTime.UtcNow,
            OldChatMember = new ChatMemberMember { User = BotUser },
            NewChatMember = member,
        },
    };

    public static User BotUser { get; } = new() { Id = 123456789, IsBot = true, FirstName = "Atlas", Username = "atlas_test_bot" };

    private static Message Message(Chat chat, User? from, Action<Message> fill)
    {
        var message = new Message { Id = Interlocked.Increment(ref _messageId), Date = DateTime.UtcNow, Chat = chat, From = from };
        fill(message);
        return message;
    }
}
