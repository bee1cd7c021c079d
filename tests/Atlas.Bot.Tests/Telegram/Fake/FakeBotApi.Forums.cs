using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace Atlas.Bot.Tests.Telegram.Fake;

/// <summary>A forum topic as the fake keeps it.</summary>
public enum FakeTopicState
{
    Open,

    /// <summary>Closed by an admin: a message into it is refused with "TOPIC_CLOSED".</summary>
    Closed,

    /// <summary>Deleted with its messages: a message into it is refused with "message thread not found".</summary>
    Deleted,
}

/// <summary>
/// Forum supergroups and their topics. A message with message_thread_id goes into that topic only while it is open: into
/// a closed one Telegram answers 400 "Bad Request: TOPIC_CLOSED", into one deleted, never created, or of a chat that is no
/// forum "Bad Request: message thread not found". A topic is a place in its group, not a chat: the flood limits count the
/// group's messages whatever their topic. A topic's id is the message id of the service message that created it.
/// </summary>
public sealed partial class FakeBotApi
{
    private readonly Lock _forumsGate = new();
    private readonly Dictionary<long, Forum> _forums = [];

    /// <summary>Makes <paramref name="chatId"/> a forum supergroup, reachable as "@<paramref name="username"/>" too when given.</summary>
    public void AddForum(long chatId, string? username = null, string? title = null)
    {
        lock (_forumsGate)
        {
            _forums[chatId] = new Forum(title ?? $"Forum {chatId}", username);
        }

        if (username is not null)
        {
            RegisterUsername("@" + username, chatId);
        }
    }

    /// <summary>Opens a topic in forum <paramref name="chatId"/> as its creation message <paramref name="threadId"/> (the next message id when null); returns its id.</summary>
    public int AddForumTopic(long chatId, string name, int? threadId = null)
    {
        // Never 1: that id is the General topic's, which every forum has.
        var thread = threadId ?? _lastMessageIds.AddOrUpdate(chatId, 2, static (_, last) => Math.Max(last + 1, 2));
        // Later messages of the chat come after the creation message.
        _lastMessageIds.AddOrUpdate(chatId, thread, (_, last) => Math.Max(last, thread));
        lock (_forumsGate)
        {
            ForumOf(chatId).Topics[thread] = new Topic(name, FakeTopicState.Open);
        }

        return thread;
    }

    public void CloseForumTopic(long chatId, int threadId) => SetTopicState(chatId, threadId, FakeTopicState.Closed);

    public void ReopenForumTopic(long chatId, int threadId) => SetTopicState(chatId, threadId, FakeTopicState.Open);

    /// <summary>Deletes a topic and, as Telegram does, every message in it: an edit of one is then "message to edit not found".</summary>
    public void DeleteForumTopic(long chatId, int threadId)
    {
        SetTopicState(chatId, threadId, FakeTopicState.Deleted);
        lock (_liveGate)
        {
            foreach (var key in _live.Where(live => live.Key.Chat == chatId && live.Value.Message.MessageThreadId == threadId).Select(live => live.Key).ToList())
            {
                _live.Remove(key);
            }
        }
    }

    /// <summary>The service message forum_topic_created, sent by <paramref name="userId"/>; declares the topic open as well.</summary>
    public int EnqueueForumTopicCreated(long chatId, int threadId, string name, long userId)
    {
        AddForumTopic(chatId, name, threadId);
        return EnqueueUpdate(new Update { Message = TopicCreation(chatId, threadId, name, userId) });
    }

    /// <summary>The service message forum_topic_edited: the topic's new name.</summary>
    public int EnqueueForumTopicEdited(long chatId, int threadId, string name, long userId)
    {
        lock (_forumsGate)
        {
            var topics = ForumOf(chatId).Topics;
            topics[threadId] = topics[threadId] with { Name = name };
        }

        return EnqueueUpdate(new Update
        {
            Message = ForumMessage(chatId, threadId, userId, message => message.ForumTopicEdited = new ForumTopicEdited { Name = name }),
        });
    }

    /// <summary>The service message forum_topic_reopened; reopens the topic as well.</summary>
    public int EnqueueForumTopicReopened(long chatId, int threadId, long userId)
    {
        ReopenForumTopic(chatId, threadId);
        return EnqueueUpdate(new Update
        {
            Message = ForumMessage(chatId, threadId, userId, message => message.ForumTopicReopened = new ForumTopicReopened()),
        });
    }

    /// <summary>
    /// A member's text in a topic: as Telegram sends it, its reply_to_message is the topic's creation message, with the
    /// name the topic was created with.
    /// </summary>
    public int EnqueueTopicMessage(long chatId, int threadId, string text, long userId, string createdAs)
    {
        return EnqueueUpdate(new Update
        {
            Message = ForumMessage(chatId, threadId, userId, message =>
            {
                message.Text = text;
                message.ReplyToMessage = TopicCreation(chatId, threadId, createdAs, userId);
            }),
        });
    }

    /// <summary>Null when a message may go to the topic its request names (or names none); else Telegram's refusal.</summary>
    private FakeReply.ApiError? CheckThread(FakeRequest request, long chatId)
    {
        if (request.Field("message_thread_id") is null)
        {
            return null;
        }

        lock (_forumsGate)
        {
            // The General topic (1) is reached without a thread id: by its id Telegram does not find it.
            var topic = request.Number("message_thread_id") is { } thread and > 1 and <= int.MaxValue
                && _forums.TryGetValue(chatId, out var forum)
                && forum.Topics.TryGetValue((int)thread, out var known)
                    ? known
                    : null;
            return topic?.State switch
            {
                FakeTopicState.Open => null,
                FakeTopicState.Closed => FakeReply.BadRequest("TOPIC_CLOSED"),
                _ => FakeReply.BadRequest("message thread not found"),
            };
        }
    }

    /// <summary>The chat of a forum as Telegram describes it; null for a chat that is no forum.</summary>
    private Chat? ForumChat(long chatId)
    {
        lock (_forumsGate)
        {
            return _forums.TryGetValue(chatId, out var forum)
                ? new Chat { Id = chatId, Type = ChatType.Supergroup, Title = forum.Title, Username = forum.Username, IsForum = true }
                : null;
        }
    }

    private void SetTopicState(long chatId, int threadId, FakeTopicState state)
    {
        lock (_forumsGate)
        {
            var topics = ForumOf(chatId).Topics;
            topics[threadId] = topics[threadId] with { State = state };
        }
    }

    private Forum ForumOf(long chatId) =>
        _forums.TryGetValue(chatId, out var forum) ? forum : throw new InvalidOperationException($"{chatId} is not a forum: AddForum it first.");

    private Message TopicCreation(long chatId, int threadId, string name, long userId) => new()
    {
        Id = threadId,
        Date = _time.GetUtcNow().UtcDateTime,
        Chat = ForumChat(chatId) ?? throw new InvalidOperationException($"{chatId} is not a forum: AddForum it first."),
        From = User(userId, "en"),
        MessageThreadId = threadId,
        IsTopicMessage = true,
        ForumTopicCreated = new ForumTopicCreated { Name = name, IconColor = 0x6FB9F0 },
    };

    private Message ForumMessage(long chatId, int threadId, long userId, Action<Message> fill)
    {
        var message = new Message
        {
            Id = _lastMessageIds.AddOrUpdate(chatId, 1, static (_, last) => last + 1),
            Date = _time.GetUtcNow().UtcDateTime,
            Chat = ForumChat(chatId) ?? throw new InvalidOperationException($"{chatId} is not a forum: AddForum it first."),
            From = User(userId, "en"),
            MessageThreadId = threadId,
            IsTopicMessage = true,
        };
        fill(message);
        return message;
    }

    private sealed record Forum(string Title, string? Username)
    {
        public Dictionary<int, Topic> Topics { get; } = [];
    }

    private sealed record Topic(string Name, FakeTopicState State);
}
