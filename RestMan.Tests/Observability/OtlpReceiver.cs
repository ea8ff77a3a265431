using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RestMan.Tests.Observability;

/// <summary>One span as exported: which service sent it, in which trace.</summary>
public sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind);

/// <summary>
/// A tiny OTLP/HTTP receiver (protobuf, <c>POST /v1/traces</c>) on 127.0.0.1: keeps every span the services export.
/// Metrics and logs are accepted and dropped. Decodes only the few fields the tests look at.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public string Endpoint => _app.Urls.First();

    public IReadOnlyList<ReceivedSpan> Spans => _spans.ToArray();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            foreach (var span in OtlpTraces.Decode(body.ToArray())) receiver._spans.Enqueue(span);
            // An empty ExportTraceServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapPost("/v1/{signal}", () => Results.Bytes([], "application/x-protobuf"));
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>Walks an ExportTraceServiceRequest in protobuf wire format (opentelemetry/proto/collector/trace/v1).</summary>
internal static class OtlpTraces
{
    public static List<ReceivedSpan> Decode(byte[] request)
    {
        var spans = new List<ReceivedSpan>();
        foreach (var resourceSpans in Fields(request).Where(f => f.Number == 1))  // resource_spans
        {
            var service = "";
            foreach (var field in Fields(resourceSpans.Bytes))
            {
                if (field.Number == 1) service = ServiceName(field.Bytes) ?? service;  // resource
            }
            foreach (var scopeSpans in Fields(resourceSpans.Bytes).Where(f => f.Number == 2))  // scope_spans
            foreach (var span in Fields(scopeSpans.Bytes).Where(f => f.Number == 2))  // spans
                spans.Add(Span(service, span.Bytes));
        }
        return spans;
    }

    private static string? ServiceName(ReadOnlyMemory<byte> resource)
    {
        foreach (var attribute in Fields(resource).Where(f => f.Number == 1))  // attributes: KeyValue
        {
            var fields = Fields(attribute.Bytes).ToList();
            var key = fields.FirstOrDefault(f => f.Number == 1);
            var value = fields.FirstOrDefault(f => f.Number == 2);
            if (key.Text == "service.name")
                return Fields(value.Bytes).FirstOrDefault(f => f.Number == 1).Text;  // AnyValue.string_value
        }
        return null;
    }

    private static ReceivedSpan Span(string service, ReadOnlyMemory<byte> span)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var kind = 0;
        foreach (var field in Fields(span))
        {
            switch (field.Number)
            {
                case 1: traceId = Convert.ToHexStringLower(field.Bytes.Span); break;
                case 2: spanId = Convert.ToHexStringLower(field.Bytes.Span); break;
                case 4: parent = Convert.ToHexStringLower(field.Bytes.Span); break;
                case 5: name = field.Text; break;
                case 6: kind = (int)field.Varint; break;
            }
        }
        return new ReceivedSpan(service, traceId, spanId, parent, name, kind);
    }

    private readonly record struct Field(int Number, ulong Varint, ReadOnlyMemory<byte> Bytes)
    {
        public string Text => System.Text.Encoding.UTF8.GetString(Bytes.Span);
    }

    private static IEnumerable<Field> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message.Span, ref position);
            var number = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    yield return new Field(number, ReadVarint(message.Span, ref position), default);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message.Span, ref position);
                    yield return new Field(number, 0, message.Slice(position, length));
                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new FormatException($"Unsupported protobuf wire type {tag & 7}.");
            }
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
    }
}
