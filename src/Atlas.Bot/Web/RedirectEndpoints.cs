using Atlas.Bot.Stats;
using Atlas.Bot.Storage;

namespace Atlas.Bot.Web;

public static class RedirectEndpoints
{
    private const string Html = "text/html; charset=utf-8";

    /// <summary>Unknown and ill-formed codes alike: nothing about why, so codes cannot be probed.</summary>
    private const string NotKnownPage =
        """
        <!doctype html>
        <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Link not known</title></head>
        <body style="font-family: sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem">
        <p lang="az">Bu keçid məlum deyil.</p>
        <p lang="en">This link is not known.</p>
        <p lang="ru">Эта ссылка неизвестна.</p>
        </body></html>
        """;

    private const string UnavailablePage =
        """
        <!doctype html>
        <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>Try again</title></head>
        <body style="font-family: sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem">
        <p lang="az">Keçid hazırda açılmır. Bir az sonra yenidən cəhd edin.</p>
        <p lang="en">The link cannot be opened right now. Please try again in a moment.</p>
        <p lang="ru">Ссылка сейчас не открывается. Попробуйте ещё раз чуть позже.</p>
        </body></html>
        """;

    /// <summary>
    /// GET /r/{code}: the "Read" button of a tracked post. Counts the open (unless a crawler, a repeat or over the
    /// per-address limit, see <see cref="RepeatFilter"/>) and redirects (302) to the article; an unknown code is a 404
    /// page. HEAD answers the same without counting: link checkers use it, readers do not. Once the code is known
    /// (cached by <see cref="TrackedLinks"/>) nothing here waits on the database: counting is in memory and written later.
    /// </summary>
    public static IEndpointRouteBuilder MapRedirects(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/r/{code}", [HttpMethods.Get, HttpMethods.Head], OpenAsync).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> OpenAsync(string code, HttpContext context, TrackedLinks links, OpenCounter opens, CancellationToken ct)
    {
        if (!LinkCodes.IsWellFormed(code))
        {
            return Results.Content(NotKnownPage, Html, statusCode: StatusCodes.Status404NotFound);
        }

        var lookup = await links.FindAsync(code, ct);
        if (lookup is not { State: LinkState.Found, Link: { } link })
        {
            return lookup.State == LinkState.Unavailable
                ? Results.Content(UnavailablePage, Html, statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Content(NotKnownPage, Html, statusCode: StatusCodes.Status404NotFound);
        }

        if (HttpMethods.IsGet(context.Request.Method))
        {
            opens.Count(code, link, context.Connection.RemoteIpAddress, context.Request.Headers.UserAgent.ToString());
        }

        // Every tap must reach the bot to be counted: no cache may answer in its place.
        context.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(link.Article.AbsoluteUri);
    }
}
