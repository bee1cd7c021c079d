namespace Atlas.Bot.Commands;

/// <summary>The names of the bot's words in Texts.resx (and its az and ru translations).</summary>
public static class TextNames
{
    public const string Help = nameof(Help);
    public const string HelpAdmin = nameof(HelpAdmin);
    public const string HelpGroup = nameof(HelpGroup);
    public const string ShortHelp = nameof(ShortHelp);
    public const string StartNew = nameof(StartNew);
    public const string StartReactivated = nameof(StartReactivated);
    public const string StartAlready = nameof(StartAlready);
    public const string LangPrompt = nameof(LangPrompt);
    public const string LangSaved = nameof(LangSaved);
    public const string LangAtLeastOne = nameof(LangAtLeastOne);
    public const string NotSubscribed = nameof(NotSubscribed);
    public const string Stopped = nameof(Stopped);
    public const string LatestHeader = nameof(LatestHeader);
    public const string LatestEmpty = nameof(LatestEmpty);
    public const string ButtonExpired = nameof(ButtonExpired);
    public const string GroupSubscribed = nameof(GroupSubscribed);
    public const string GroupAlready = nameof(GroupAlready);
    public const string GroupAdminsOnly = nameof(GroupAdminsOnly);
    public const string GroupUnsubscribed = nameof(GroupUnsubscribed);
    public const string GroupNotSubscribed = nameof(GroupNotSubscribed);
    public const string AdminOnly = nameof(AdminOnly);
    public const string TooManyRequests = nameof(TooManyRequests);
    public const string FeedLine = nameof(FeedLine);
    public const string FeedsNone = nameof(FeedsNone);
    public const string Never = nameof(Never);
    public const string NoError = nameof(NoError);
    public const string NotScheduled = nameof(NotScheduled);
    public const string PollStarted = nameof(PollStarted);
    public const string PollUnknown = nameof(PollUnknown);
    public const string Paused = nameof(Paused);
    public const string Resumed = nameof(Resumed);
    public const string PreviewUsage = nameof(PreviewUsage);
    public const string PreviewFailed = nameof(PreviewFailed);
    public const string PreviewEmpty = nameof(PreviewEmpty);
    public const string ChannelsHeader = nameof(ChannelsHeader);
    public const string ChannelLine = nameof(ChannelLine);
    public const string Yes = nameof(Yes);
    public const string No = nameof(No);
    public const string ChannelsNone = nameof(ChannelsNone);
    public const string ChannelsProblemsHeader = nameof(ChannelsProblemsHeader);
    public const string ChannelBlocked = nameof(ChannelBlocked);
    public const string ChannelNoRight = nameof(ChannelNoRight);
    public const string ChannelsAllFine = nameof(ChannelsAllFine);
    public const string SubscribersHeader = nameof(SubscribersHeader);
    public const string SubscribersLine = nameof(SubscribersLine);
    public const string BroadcastUsage = nameof(BroadcastUsage);
    public const string BroadcastTooLong = nameof(BroadcastTooLong);
    public const string BroadcastDraft = nameof(BroadcastDraft);
    public const string BroadcastSend = nameof(BroadcastSend);
    public const string BroadcastCancel = nameof(BroadcastCancel);
    public const string BroadcastQueued = nameof(BroadcastQueued);
    public const string BroadcastAlreadySent = nameof(BroadcastAlreadySent);
    public const string BroadcastCancelled = nameof(BroadcastCancelled);
    public const string FailedHeader = nameof(FailedHeader);
    public const string FailedLine = nameof(FailedLine);
    public const string FailedNone = nameof(FailedNone);
    public const string FailedHint = nameof(FailedHint);
    public const string RetryUsage = nameof(RetryUsage);
    public const string RetryQueued = nameof(RetryQueued);
    public const string RetryUnknown = nameof(RetryUnknown);
    public const string StatsHeader = nameof(StatsHeader);
    public const string StatsDeliveries = nameof(StatsDeliveries);
    public const string StatsOpens = nameof(StatsOpens);
    public const string StatsTopHeader = nameof(StatsTopHeader);
    public const string StatsTopNone = nameof(StatsTopNone);
    public const string StatsSubscribers = nameof(StatsSubscribers);
    public const string StatsChartTitle = nameof(StatsChartTitle);
    public const string StatsChartDeliveries = nameof(StatsChartDeliveries);
    public const string StatsChartOpens = nameof(StatsChartOpens);
    public const string StatsItemHeader = nameof(StatsItemHeader);
    public const string StatsItemUnknown = nameof(StatsItemUnknown);
    public const string UnpostUsage = nameof(UnpostUsage);
    public const string UnpostUnknown = nameof(UnpostUnknown);
    public const string UnpostHeader = nameof(UnpostHeader);
    public const string UnpostDeleted = nameof(UnpostDeleted);
    public const string UnpostAlreadyGone = nameof(UnpostAlreadyGone);
    public const string UnpostNothingToDelete = nameof(UnpostNothingToDelete);
    public const string UnpostRefusedHeader = nameof(UnpostRefusedHeader);
    public const string UnpostTooOld = nameof(UnpostTooOld);
    public const string UnpostFailedHeader = nameof(UnpostFailedHeader);
    public const string UnpostCancelled = nameof(UnpostCancelled);
    public const string UnpostInFlight = nameof(UnpostInFlight);
    public const string UnpostKept = nameof(UnpostKept);

    /// <summary>Followed by a language code: "LanguageName_az".</summary>
    public const string LanguageNamePrefix = "LanguageName_";

    /// <summary>Followed by a command: "Menu_start", its description in the command menu.</summary>
    public const string MenuPrefix = "Menu_";
}
