using Atlas.Bot.Telegram;
using Microsoft.Extensions.Options;

namespace Atlas.Bot.Web;

public static class WebhookEndpoints
{
    /// <summary>
    /// POST on the path of Telegram:WebhookUrl (https://bot.example/telegram/hook serves /telegram/hook), in webhook
    /// mode only: elsewhere (polling, off, a dry run) the receiver is not registered and nothing is mapped.
    /// </summary>
    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var telegram = endpoints.ServiceProvider.GetRequiredService<IOptions<TelegramOptions>>().Value;
        if (telegram.Updates != UpdateMode.Webhook
            || endpoints.ServiceProvider.GetService<WebhookReceiver>() is not { } receiver
            || !Uri.TryCreate(telegram.WebhookUrl, UriKind.Absolute, out var url))
        {
            return endpoints;
        }

        endpoints.MapPost(url.AbsolutePath, (RequestDelegate)(context => ReceiveAsync(context, receiver)));
        return endpoints;
    }

    private static async Task ReceiveAsync(HttpContext context, WebhookReceiver receiver)
    {
        var request = context.Request;
        var outcome = await receiver.ReceiveAsync(
            request.Headers[WebhookSecret.Header],
            request.ContentLength,
            request.Body,
            context.Connection.RemoteIpAddress?.ToString() ?? "an unknown address",
            context.RequestAborted);
        context.Response.StatusCode = outcome switch
        {
            WebhookOutcome.Stored => StatusCodes.Status200OK,
            WebhookOutcome.WrongSecret => StatusCodes.Status401Unauthorized,
            WebhookOutcome.TooLarge => StatusCodes.Status413PayloadTooLarge,
            _ => StatusCodes.Status400BadRequest,
        };
    }
}
