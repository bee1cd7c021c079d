using Microsoft.Extensions.Options;

namespace Atlas.Bot.Web;

/// <summary>
/// /metrics and /healthz (live, ready): for operators and their probes, not for the public. With
/// <see cref="WebOptions.ManagementUrls"/> set they answer only on those ports; the public port answers 404 for them,
/// as for any path it does not serve, and the management port serves nothing else. Unset: all on one port.
/// </summary>
public static class ManagementEndpoints
{
    /// <summary>The paths (and those below them) that belong to the management port.</summary>
    private static readonly PathString[] Paths = ["/metrics", "/healthz"];

    public static WebApplication MapManagement(this WebApplication app)
    {
        var management = app.MapGroup("").WithMetadata(new ManagementEndpoint());
        management.MapHealth();
        management.MapMetrics();

        var ports = ListenUrls.Ports(app.Services.GetRequiredService<IOptions<WebOptions>>().Value.ManagementUrls);
        if (ports.Count > 0)
        {
            // By the port the connection arrived on, never by the Host header: any client can write that.
            app.Use((context, next) => ports.Contains(context.Connection.LocalPort) == IsManagement(context) ? next(context) : NotFound(context));
        }

        return app;
    }

    /// <summary>By path too, so that a method the endpoint lacks gets 404 on the public port, not a 405 that shows it exists.</summary>
    private static bool IsManagement(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<ManagementEndpoint>() is not null
        || IsManagementPath(context.Request.Path);

    // A loop rather than Array.Exists: its lambda would capture the request and allocate on every public request.
    private static bool IsManagementPath(PathString requested)
    {
        foreach (var path in Paths)
        {
            if (requested.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private sealed class ManagementEndpoint;
}
