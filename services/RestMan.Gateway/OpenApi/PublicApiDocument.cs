using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RestMan.Gateway.Routing;

namespace RestMan.Gateway.OpenApi;

/// <summary>
/// The public API as one OpenAPI document: each service's own document (<c>http://&lt;service&gt;/openapi/v1.json</c>),
/// kept to the paths the gateway routes to that service (so never <c>/internal</c>), merged, plus the gateway's own
/// health routes. Cached briefly; a service that does not answer is left out (and named in the description) until it does.
/// </summary>
public sealed partial class PublicApiDocument(IHttpClientFactory httpClients, TimeProvider clock, ILogger<PublicApiDocument> logger)
{
    public const string HttpClientName = "openapi";
    private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PartialFreshFor = TimeSpan.FromSeconds(5);
    // A service builds its document on first request, which takes seconds on a busy machine.
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _building = new(1, 1);
    private (string Json, DateTimeOffset FreshUntil)? _cached;

    /// <summary>The merged document, serialized; <paramref name="server"/> is where "try it" sends requests (this gateway).</summary>
    public async Task<string> GetAsync(string server, CancellationToken ct)
    {
        var merged = await GetMergedAsync(ct);
        var document = JsonNode.Parse(merged)!.AsObject();
        document["servers"] = new JsonArray(new JsonObject { ["url"] = server, ["description"] = "This gateway" });
        return document.ToJsonString();
    }

    private async Task<string> GetMergedAsync(CancellationToken ct)
    {
        if (_cached is { } fresh && fresh.FreshUntil > clock.GetUtcNow()) return fresh.Json;
        await _building.WaitAsync(ct);
        try
        {
            if (_cached is { } built && built.FreshUntil > clock.GetUtcNow()) return built.Json;
            var services = GatewayRoutes.Map.Select(m => m.Service).Distinct().ToList();
            var documents = await Task.WhenAll(services.Select(service => FetchAsync(service, ct)));
            var missing = services.Where((_, i) => documents[i] is null).ToList();
            var json = Merge(services.Select((service, i) => (service, documents[i])).Where(d => d.Item2 is not null)
                .Select(d => (d.service, d.Item2!)).ToList(), missing).ToJsonString();
            _cached = (json, clock.GetUtcNow() + (missing.Count == 0 ? FreshFor : PartialFreshFor));
            return json;
        }
        finally
        {
            _building.Release();
        }
    }

    private async Task<JsonObject?> FetchAsync(string service, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(FetchTimeout);
        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            var json = await http.GetStringAsync($"http://{service}/openapi/v1.json", timeout.Token);
            return JsonNode.Parse(json)?.AsObject();
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("The OpenAPI document of {Service} could not be read ({Error}); the public document goes without it for now", service, ex.Message);
            return null;
        }
    }

    /// <summary>Whether the gateway routes <paramref name="path"/> to <paramref name="service"/>.</summary>
    public static bool IsPublic(string service, string path) =>
        !path.StartsWith("/internal", StringComparison.OrdinalIgnoreCase)
        && GatewayRoutes.Map.Any(m => m.Service == service
                                      && (path.Equals(m.Prefix, StringComparison.OrdinalIgnoreCase)
                                          || path.StartsWith(m.Prefix + "/", StringComparison.OrdinalIgnoreCase)));

    public static JsonObject Merge(IReadOnlyList<(string Service, JsonObject Document)> documents, IReadOnlyList<string> missing)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        var securitySchemes = new JsonObject();
        var tags = new JsonArray();
        var tagNames = new HashSet<string>();
        foreach (var (service, original) in documents)
        {
            var document = RenameCollidingSchemas(service, original, schemas);
            foreach (var (path, item) in document["paths"]?.AsObject() ?? [])
            {
                if (item is null || !IsPublic(service, path)) continue;
                if (paths[path] is JsonObject existing)
                    foreach (var (method, operation) in item.AsObject()) existing[method] ??= operation?.DeepClone();
                else paths[path] = item.DeepClone();
            }
            foreach (var (name, schema) in document["components"]?["schemas"]?.AsObject() ?? []) schemas[name] ??= schema?.DeepClone();
            foreach (var (name, scheme) in document["components"]?["securitySchemes"]?.AsObject() ?? []) securitySchemes[name] ??= scheme?.DeepClone();
            foreach (var tag in document["tags"]?.AsArray() ?? [])
                if (tag?["name"]?.GetValue<string>() is { } tagName && tagNames.Add(tagName)) tags.Add(tag.DeepClone());
        }
        GatewayHealth.AddTo(paths);

        var merged = new JsonObject
        {
            ["openapi"] = documents.Select(d => d.Document["openapi"]?.GetValue<string>()).FirstOrDefault(v => v is not null) ?? "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "RestMan API",
                ["version"] = "v1",
                ["description"] = Description(missing),
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = KeepReferenced(paths, schemas),
                ["securitySchemes"] = securitySchemes,
            },
        };
        if (tags.Count > 0) merged["tags"] = tags;
        return merged;
    }

    /// <summary>A schema named like a different one already merged is renamed after its service, and its references with it.</summary>
    private static JsonObject RenameCollidingSchemas(string service, JsonObject document, JsonObject merged)
    {
        var text = document.ToJsonString();
        foreach (var (name, schema) in document["components"]?["schemas"]?.AsObject() ?? [])
        {
            if (merged[name] is not { } other || JsonNode.DeepEquals(other, schema)) continue;
            var renamed = char.ToUpperInvariant(service[0]) + service[1..] + name;
            text = text.Replace($"\"#/components/schemas/{name}\"", $"\"#/components/schemas/{renamed}\"", StringComparison.Ordinal);
            var reparsed = JsonNode.Parse(text)!.AsObject();
            var moved = reparsed["components"]!["schemas"]!.AsObject();
            moved[renamed] = moved[name]!.DeepClone();
            moved.Remove(name);
            text = reparsed.ToJsonString();
        }
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Only schemas the public paths reach: those of internal endpoints go with them.</summary>
    private static JsonObject KeepReferenced(JsonObject paths, JsonObject schemas)
    {
        var reached = new HashSet<string>();
        var pending = new Queue<string>(References(paths.ToJsonString()).Append("Problem"));
        while (pending.TryDequeue(out var name))
        {
            if (!reached.Add(name) || schemas[name] is not { } schema) continue;
            foreach (var next in References(schema.ToJsonString())) pending.Enqueue(next);
        }
        var kept = new JsonObject();
        foreach (var (name, schema) in schemas.OrderBy(s => s.Key, StringComparer.Ordinal))
            if (reached.Contains(name)) kept[name] = schema?.DeepClone();
        return kept;
    }

    private static IEnumerable<string> References(string json) =>
        SchemaReference().Matches(json).Select(m => m.Groups[1].Value);

    public const string MissingServicesNote = "Not listed right now (not answering):";

    private static string Description(IReadOnlyList<string> missing)
    {
        var text = """
            RestMan's public API, through its gateway. Sign in with `POST /auth/request-otp` and `POST /auth/verify-otp`,
            then send `Authorization: Bearer <token>`. Every path is also served under `/api` (e.g. `/api/orders`).
            Errors are RFC 9457 `application/problem+json` with a stable `code`.

            Operations tagged *First implementation (compatibility)* keep clients of the first (Rust) implementation
            working; prefer the operations they name. Headers `X-User-Id` and `X-Owner-Id` are ignored: identity comes
            only from the session.
            """;
        return missing.Count == 0 ? text : text + $"\n\n{MissingServicesNote} {string.Join(", ", missing)}.";
    }

    [GeneratedRegex("\"#/components/schemas/([^\"]+)\"")]
    private static partial Regex SchemaReference();
}
