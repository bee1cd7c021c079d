using Atlas.Bot.Delivery;
using Atlas.Bot.Stats;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Commands;

public static class CommandsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the update processor, the router, every command and the command menu. Needs the Telegram client
    /// (not in a dry run), the store, the delivery services, the Quartz scheduler, and <paramref name="receivingSide"/>:
    /// the inbox's signal and the bot's username, from whoever receives the updates.
    /// </summary>
    public static IServiceCollection AddCommands(this IServiceCollection services, Func<IServiceProvider, ReceivingSide> receivingSide)
    {
        services.AddSingleton(receivingSide);
        services.AddSingleton<PollSchedule>();
        services.AddSingleton<FeedLanguages>();
        services.AddSingleton<TelegramCalls>();
        services.AddSingleton<GroupAdmins>();
        services.AddSingleton<AdminGate>();
        services.AddSingleton<ReplyBudget>();
        services.AddSingleton<MembershipChanges>();
        services.AddSingleton<ForumTopicUpdates>();
        services.AddSingleton<HelpCommand>();
        services.AddSingleton<StartCommand>();
        services.AddSingleton<StopCommand>();
        services.AddSingleton<LangCommand>();
        services.AddSingleton<SubscriberSettings>();
        services.AddSingleton<TopicsCommand>();
        services.AddSingleton<QuietCommand>();
        services.AddSingleton<LatestCommand>();
        services.AddSingleton<SubscribeCommand>();
        services.AddSingleton<FeedsCommand>();
        services.AddSingleton<PollCommand>();
        services.AddSingleton<PauseCommand>();
        services.AddSingleton<PreviewCommand>();
        services.AddSingleton<ChannelsCommand>();
        services.AddSingleton<SubscribersCommand>();
        services.AddSingleton<BroadcastCommand>();
        services.AddSingleton<FailedCommand>();
        services.AddSingleton<StatsCommand>();
        services.AddSingleton<UnpostCommand>();
        services.AddSingleton<CommandRouter>();
        services.AddSingleton<UpdateProcessor>();
        services.AddHostedService(provider => provider.GetRequiredService<UpdateProcessor>());
        services.AddHostedService<CommandMenu>();
        return services;
    }
}
