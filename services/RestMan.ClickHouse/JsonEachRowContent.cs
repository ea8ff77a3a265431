using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace RestMan.ClickHouse;

/// <summary>Streams rows as JSONEachRow (one JSON object per line) without buffering the whole batch.</summary>
internal sealed class JsonEachRowContent<T> : HttpContent
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly IReadOnlyCollection<T> _rows;

    public JsonEachRowContent(IReadOnlyCollection<T> rows)
    {
        _rows = rows;
        Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson") { CharSet = "utf-8" };
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        await SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        foreach (var row in _rows)
        {
            await JsonSerializer.SerializeAsync(stream, row, ClickHouseJson.Options, cancellationToken);
            await stream.WriteAsync(NewLine, cancellationToken);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
