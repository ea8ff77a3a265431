namespace RestMan.Scheduler.Services;

public sealed record DeactivateStaleResult(IReadOnlyList<Guid> Deactivated, bool HasMore);

/// <summary>Auth's internal account endpoints, called with the scheduler's signed service identity.</summary>
public sealed class AuthClient(HttpClient http)
{
    private sealed record DeactivateStaleRequest(DateTimeOffset VerifiedBefore);

    public async Task<DeactivateStaleResult> DeactivateStaleAsync(DateTimeOffset verifiedBefore, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/internal/users/deactivate-stale", new DeactivateStaleRequest(verifiedBefore), Json.Options, ct);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadAsStringAsync(ct);
            throw new HttpRequestException($"auth answered {(int)response.StatusCode} to deactivate-stale: {problem}", null, response.StatusCode);
        }
        return await response.Content.ReadFromJsonAsync<DeactivateStaleResult>(Json.Options, ct)
            ?? throw new HttpRequestException("auth answered deactivate-stale with an empty body");
    }
}
