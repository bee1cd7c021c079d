using System.Text;
using Atlas.Bot.Stats;
using Atlas.Bot.Storage;
using Telegram.Bot.Extensions;

namespace Atlas.Bot.Commands;

/// <summary>The /stats answers as Telegram HTML, every count grouped by thousands for the admin's language.</summary>
public static class StatsText
{
    private const int MaxTitle = 120;

    public static string Overall(StatsSnapshot stats, CommandContext context)
    {
        var text = new StringBuilder(context.Text(TextNames.StatsHeader)).Append("\n\n");
        AppendFigures(text, stats.Today, stats.Total, context);
        text.Append("\n\n").Append(context.Text(TextNames.StatsTopHeader));
        if (stats.MostOpenedToday.Count == 0)
        {
            text.Append('\n').Append(context.Text(TextNames.StatsTopNone));
        }

        var rank = 0;
        foreach (var item in stats.MostOpenedToday)
        {
            text.Append('\n').Append(++rank).Append(". ").Append(Linked(item.Title, item.Link))
                .Append(" — ").Append(Number(item.Opens, context));
        }

        text.Append("\n\n").Append(context.Text(
            TextNames.StatsSubscribers, Number(stats.SubscribersNow, context), Number(stats.JoinedToday, context), Number(stats.LeftToday, context)));
        return text.ToString();
    }

    public static string Item(ItemStats stats, CommandContext context)
    {
        var text = new StringBuilder(context.Text(TextNames.StatsItemHeader, Linked(stats.Item.Title, stats.Item.Link))).Append("\n\n");
        AppendFigures(text, stats.Today, stats.Total, context);
        return text.ToString();
    }

    public static string Unknown(string wanted, CommandContext context) =>
        context.Text(TextNames.StatsItemUnknown, HtmlText.Escape(Shorten(wanted)));

    private static void AppendFigures(StringBuilder text, Figures today, Figures total, CommandContext context) =>
        text.Append(context.Text(TextNames.StatsDeliveries, Number(today.Deliveries, context), Number(total.Deliveries, context)))
            .Append('\n')
            .Append(context.Text(TextNames.StatsOpens, Number(today.Opens, context), Number(total.Opens, context)));

    private static string Number(long value, CommandContext context) => StatsFormat.Number(value, context.Language);

    private static string Linked(string title, string? link) => ReplyLinks.Anchor(HtmlText.Escape(Shorten(title)), link);

    /// <summary>Five long titles must still fit one message of 4096 characters.</summary>
    private static string Shorten(string text) => text.Length <= MaxTitle ? text : text[..(MaxTitle - 1)] + "…";
}
