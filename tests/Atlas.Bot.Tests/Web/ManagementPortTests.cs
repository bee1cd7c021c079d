using System.Net;
using Atlas.Bot.Cli;
using Atlas.Bot.Tests.Storage;

namespace Atlas.Bot.Tests.Web;

/// <summary>
/// The whole host with Web:ManagementUrls set: /metrics and /healthz answer on the management port alone; the public
/// port, which /r/ needs, answers 404 for them as for any path it does not serve.
/// </summary>
public abstract class ManagementPortTests(Provider provider) : TrackedLinkTest(provider)
{
    private static readonly string[] ManagementPaths = ["/metrics", "/healthz", "/healthz/live", "/healthz/ready", "/METRICS", "/healthz/live/"];

    private readonly Uri _management = new($"http://127.0.0.1:{LoopbackPort.Free()}");

    protected override IEnumerable<KeyValuePair<string, string?>> MoreSettings => [new("Web:ManagementUrls", _management.ToString().TrimEnd('/'))];

    [Fact]
    public async Task The_public_port_answers_404_for_every_management_path_whatever_the_method_or_host_header()
    {
        foreach (var path in ManagementPaths)
        {
            foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head, HttpMethod.Post })
            {
                using var request = new HttpRequestMessage(method, path);
                // The Host header is the client's to write: it must not open the management endpoints.
                request.Headers.Host = _management.Authority;
                using var response = await Http.SendAsync(request);

                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task The_management_port_serves_metrics_and_health()
    {
        using var http = new HttpClient { BaseAddress = _management };

        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var live = await http.GetAsync(new Uri("/healthz/live", UriKind.Relative));
        using var alias = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var ready = await http.GetAsync(new Uri("/healthz/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("atlas_bot_polls_total", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alias.StatusCode);
        Assert.Contains(ready.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable });
    }

    [Fact]
    public async Task The_public_port_still_serves_tracked_links_and_the_management_port_does_not()
    {
        using var management = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = _management };

        using var open = await OpenAsync(Code, Safari);
        using var notHere = await management.GetAsync(new Uri($"/r/{Code}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Found, open.StatusCode);
        Assert.Equal(new Uri(Analysis.Link), open.Headers.Location);
        Assert.Equal(HttpStatusCode.NotFound, notHere.StatusCode);
    }

    [Fact]
    public async Task The_healthcheck_verb_asks_the_management_port_the_configuration_names()
    {
        var withManagement = Path.Combine(Folder.Path, "management.json");
        var publicOnly = Path.Combine(Folder.Path, "public.json");
        await File.WriteAllTextAsync(withManagement, $$"""{ "Urls": "{{Http.BaseAddress}}", "Web": { "ManagementUrls": "{{_management}}" } }""");
        await File.WriteAllTextAsync(publicOnly, $$"""{ "Urls": "{{Http.BaseAddress}}" }""");
        using var error = new StringWriter();

        var healthy = await HealthcheckVerb.RunAsync(new Invocation(Verb.Healthcheck, ConfigPath: withManagement), error, CancellationToken.None);
        // The same service asked on its public port: not there any more.
        var unhealthy = await HealthcheckVerb.RunAsync(new Invocation(Verb.Healthcheck, ConfigPath: publicOnly), error, CancellationToken.None);

        Assert.Equal((0, 1), (healthy, unhealthy));
        Assert.Contains("answered 404", error.ToString(), StringComparison.Ordinal);
    }
}

public sealed class ManagementPortTests_Sqlite() : ManagementPortTests(Provider.Sqlite);

public sealed class ManagementPortTests_Postgres() : ManagementPortTests(Provider.Postgres);
