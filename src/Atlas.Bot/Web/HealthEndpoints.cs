namespace Atlas.Bot.Web;

public static class HealthEndpoints
{
    /// <summary>
    /// GET /healthz/live (and its alias /healthz, used by <c>atlas-bot healthcheck</c>): 200 while the process runs.
    /// GET /healthz/ready: 200 {"status":"ready"}, or 503 {"status":"not ready","problems":[…]} naming what is wrong.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", Live);
        endpoints.MapGet("/healthz/live", Live);
        endpoints.MapGet("/healthz/ready", async (ReadinessCheck readiness, CancellationToken ct) =>
        {
            var answer = await readiness.CheckAsync(ct);
            return answer.Ready
                ? Results.Json(new ReadyBody("ready"))
                : Results.Json(new NotReadyBody("not ready", answer.Problems), statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        return endpoints;
    }

    private static IResult Live() => Results.Text("ok\n");

    private sealed record ReadyBody(string Status);

    private sealed record NotReadyBody(string Status, IReadOnlyList<string> Problems);
}
