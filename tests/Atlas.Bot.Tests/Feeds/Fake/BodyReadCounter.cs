namespace Atlas.Bot.Tests.Feeds.Fake;

/// <summary>How many body bytes the fetcher actually read, across all its requests.</summary>
public sealed class BodyBytesRead
{
    private long value;

    public long Value => Interlocked.Read(ref value);

    internal void Add(int read) => Interlocked.Add(ref value, read);
}

/// <summary>
/// Sits between the fetcher and the network and counts the body bytes the fetcher actually read,
/// so tests can tell "rejected on the headers" from "read, then rejected".
/// </summary>
public sealed class BodyReadCounter(BodyBytesRead tally) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var original = response.Content;
        var counted = new StreamContent(new CountingStream(await original.ReadAsStreamAsync(cancellationToken), tally));
        foreach (var header in original.Headers)
        {
            counted.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = counted;
        return response;
    }

    private sealed class CountingStream(Stream inner, BodyBytesRead tally) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            tally.Add(read);
            return read;
        }
    }
}
