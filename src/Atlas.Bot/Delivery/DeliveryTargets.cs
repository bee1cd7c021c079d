namespace Atlas.Bot.Delivery;

/// <summary>Who a delivery is for; it decides what a refusal from Telegram means. Stored as the delivery's target.</summary>
public static class DeliveryTargets
{
    /// <summary>A configured channel or group: a refusal parks its posts until the rights are fixed.</summary>
    public const string Channel = "channel";

    /// <summary>A subscriber (private chat or group): a refusal unsubscribes them and drops their posts.</summary>
    public const string Subscriber = "subscriber";

    /// <summary>An answer to someone's command, or an alert to an admin: a refusal drops it.</summary>
    public const string Reply = "reply";

    /// <summary>Every target, for metrics that show each one from the start.</summary>
    public static readonly IReadOnlyList<string> All = [Channel, Subscriber, Reply];
}

/// <summary>Lower goes first: people waiting for an answer, then channels, then the subscriber fan-out.</summary>
public static class DeliveryPriorities
{
    public const int Reply = 0;
    public const int Channel = 1;
    public const int Subscriber = 2;

    /// <summary>Corrections of subscribers' copies wait behind new posts; a channel's go with its posts.</summary>
    public const int SubscriberEdit = 3;

    /// <summary>While sending is paused only answers go out.</summary>
    public static int Highest(bool paused) => paused ? Reply : int.MaxValue;
}
