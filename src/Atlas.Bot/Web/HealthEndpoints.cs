namespace Atlas.Bot.Web;

public static class HealthEndpoints
{
    /// <summary>GET /healthz: 200 while the process runs (liveness; the operations issue adds readiness).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        return endpoints;
    }
}
