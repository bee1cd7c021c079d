namespace Atlas.Bot.Delivery;

/// <summary>Wakes the dispatcher when deliveries are written (a new post, a reply, a resume).</summary>
public sealed class OutboxSignal : Signal;
