using System.Text.Json;
using RestMan.Tests.Ordering;

namespace RestMan.Tests.Infrastructure;

/// <summary>The gateway's <c>/openapi/v1.json</c>, the description of the public API that tests check and fuzz.</summary>
public static class PublicApiDocument
{
    /// <summary>The document once every service is in it (a service builds its own on first request; the gateway serves what it has meanwhile).</summary>
    public static async Task<string> GetCompleteAsync(HttpClient gateway)
    {
        string? json = null;
        await OrderingFlow.EventuallyAsync<bool>(async () =>
        {
            json = await gateway.GetStringAsync("/openapi/v1.json");
            var description = JsonDocument.Parse(json).RootElement.GetProperty("info").GetProperty("description").GetString()!;
            return description.Contains("Not listed right now") ? null : true;
        }, TimeSpan.FromSeconds(30), "every service in /openapi/v1.json");
        return json!;
    }
}
