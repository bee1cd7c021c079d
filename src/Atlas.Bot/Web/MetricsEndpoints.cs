namespace Atlas.Bot.Web;

public static class MetricsEndpoints
{
    /// <summary>GET /metrics: Prometheus text format (see AddBotMetrics).</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }
}
