namespace Atlas.Bot.Telegram;

/// <summary>Wakes the update processor when updates were stored in the inbox (by the poller or the webhook).</summary>
public sealed class InboxSignal : Signal;
