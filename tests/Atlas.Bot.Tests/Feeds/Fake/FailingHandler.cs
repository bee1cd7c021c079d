namespace Atlas.Bot.Tests.Feeds.Fake;

/// <summary>A network that fails every request the way the given exception says.</summary>
public sealed class FailingHandler(Exception failure) : HttpMessageHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromException<HttpResponseMessage>(failure);
}
