using Atlas.Bot.Cli;
using Microsoft.Extensions.Configuration;

namespace Atlas.Bot.Tests.Cli;

public sealed class HealthcheckVerbTests
{
    [Theory]
    [InlineData(null, null, "http://127.0.0.1:8080/healthz")]
    [InlineData("http://0.0.0.0:8080", null, "http://127.0.0.1:8080/healthz")]
    [InlineData("http://+:5000;http://[::]:5001", null, "http://127.0.0.1:5000/healthz")]
    [InlineData("http://[::]:5001", null, "http://[::1]:5001/healthz")]
    [InlineData("http://localhost:5002", null, "http://localhost:5002/healthz")]
    [InlineData("http://0.0.0.0:8080", "http://127.0.0.1:9090", "http://127.0.0.1:9090/healthz")]
    [InlineData("http://0.0.0.0:8080", "http://*:9091;http://127.0.0.1:9092", "http://127.0.0.1:9091/healthz")]
    [InlineData("http://0.0.0.0:8080", "", "http://127.0.0.1:8080/healthz")]
    public void Without_a_url_it_asks_the_management_port_when_there_is_one_else_the_public_port(string? urls, string? managementUrls, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Urls"] = urls, ["Web:ManagementUrls"] = managementUrls })
            .Build();

        Assert.Equal(new Uri(expected), HealthcheckVerb.UrlFor(configuration));
    }
}
