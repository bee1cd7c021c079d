using System.Globalization;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Telegram.Bot.Types;

namespace Atlas.Bot.Commands;

/// <summary>
/// /stats: deliveries and opens today and in total, the most opened analyses today, subscribers, and a chart of the
/// last 30 days; /stats &lt;code or link&gt;: the same two figures for one analysis.
/// </summary>
public sealed class StatsCommand(StatsReader reader, Store store, TelegramCalls telegram)
{
    public const string ChartFileName = "stats.png";

    public async Task HandleAsync(Message message, string argument, CommandContext context, CancellationToken ct)
    {
        var chat = message.Chat.Id;
        if (!string.IsNullOrWhiteSpace(argument))
        {
            await ItemAsync(chat, argument.Trim(), context, ct);
            return;
        }

        var stats = await reader.OverallAsync(ct);
        await context.ReplyAsync(chat, StatsText.Overall(stats, context), ct);
        await SendChartOnceAsync(chat, stats.LastDays, context, ct);
    }

    private async Task ItemAsync(long chat, string wanted, CommandContext context, CancellationToken ct)
    {
        var stats = await reader.ForItemAsync(ItemArgument.CodeOf(wanted), ct);
        await context.ReplyAsync(chat, stats is null ? StatsText.Unknown(wanted, context) : StatsText.Item(stats, context), ct);
    }

    /// <summary>
    /// The outbox keeps photo URLs, not bytes, so the chart goes straight to Telegram. Best effort: a failure is logged
    /// (by the call) and the text still arrives. Sending is recorded per update, so an update handled again after a
    /// crash does not send a second chart.
    /// </summary>
    private async Task SendChartOnceAsync(long chat, IReadOnlyList<DailySummary> days, CommandContext context, CancellationToken ct)
    {
        var sentKey = Store.UpdateStateKey(context.UpdateId, "chart");
        if (await store.GetStateAsync(sentKey, ct) is not null)
        {
            return;
        }

        var title = context.Text(TextNames.StatsChartTitle);
        var png = StatsChart.Render(
            days, new ChartLabels(title, context.Text(TextNames.StatsChartDeliveries), context.Text(TextNames.StatsChartOpens), context.Language));
        if (await telegram.SendPhotoAsync(chat, png, ChartFileName, title, ct))
        {
            await store.SetStateAsync(sentKey, context.Now.ToString("O", CultureInfo.InvariantCulture), ct);
        }
    }
}
