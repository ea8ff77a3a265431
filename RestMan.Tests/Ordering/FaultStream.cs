using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Ordering;

/// <summary>
/// Customers placing orders back to back, each with its own Idempotency-Key, resending the same request (same key)
/// after a failure or a 429 as a well-behaved client does, until it is answered; and a visitor reading the menu.
/// The fault suite runs it under each fault and checks what every service made of the orders it was told are placed.
/// </summary>
public sealed class CustomerStream(Restaurant restaurant)
{
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(200);
    private readonly ConcurrentQueue<Guid> _acceptedInOrder = new();
    public ConcurrentDictionary<Guid, string> Accepted { get; } = new();
    /// <summary>The accepted orders, oldest first.</summary>
    public IReadOnlyCollection<Guid> AcceptedInOrder => _acceptedInOrder;
    public ConcurrentQueue<int> Statuses { get; } = new();
    public ConcurrentQueue<string> Failures { get; } = new();

    public (int Statuses, int Accepted) Mark() => (Statuses.Count, _acceptedInOrder.Count);

    public (int Accepted, int FiveXx, int Unavailable) Since((int Statuses, int Accepted) mark)
    {
        var statuses = Statuses.Skip(mark.Statuses).ToList();
        return (_acceptedInOrder.Count - mark.Accepted, statuses.Count(s => s >= 500 || s == 0), statuses.Count(s => s == 503));
    }

    public string Describe(int from) =>
        $"statuses {string.Join(", ", Statuses.Skip(from).GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}; accepted {Accepted.Count}";

    public async Task OrderAsync(Person customer, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var key = Guid.NewGuid().ToString();
            for (var attempt = 0; attempt < 60; attempt++)
            {
                var (status, retryAfter, body) = await SendAsync(() => customer.PlaceOrderAsync(restaurant.UsualOrder(), key));
                Statuses.Enqueue(status);
                if (status == (int)HttpStatusCode.Created)
                {
                    var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
                    if (Accepted.TryAdd(id, key)) _acceptedInOrder.Enqueue(id);
                    break;
                }
                Failures.Enqueue($"POST /orders {status} {body}");
                if (status is >= 400 and < 500 and not 429 and not 408) break;
                await Task.Delay(retryAfter ?? TimeSpan.FromMilliseconds(500), CancellationToken.None);
            }
            await Task.Delay(Pace, CancellationToken.None);
        }
    }

    /// <summary>The public menu (Redis-cached) as a visitor reads it.</summary>
    public async Task ReadMenuAsync(HttpClient visitor, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var (status, _, body) = await SendAsync(() => visitor.CallAsync(HttpMethod.Get, $"/restaurants/{restaurant.Id}/menu"));
            Statuses.Enqueue(status);
            if (status != (int)HttpStatusCode.OK) Failures.Enqueue($"GET menu {status} {body}");
            else if (!body.Contains(restaurant.A.Name, StringComparison.Ordinal)) Failures.Enqueue($"GET menu without {restaurant.A.Name}: {body}");
            await Task.Delay(Pace, CancellationToken.None);
        }
    }

    /// <summary>Sends one request; an unreachable gateway is status 0, as bad as a 5xx.</summary>
    public static async Task<(int Status, TimeSpan? RetryAfter, string Body)> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            using var response = await send();
            return ((int)response.StatusCode, response.Headers.RetryAfter?.Delta, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException ex)
        {
            return (0, null, ex.Message);
        }
    }
}

/// <summary>What the fault suite does to a running service.</summary>
public static class ServiceFaults
{
    /// <summary>
    /// SIGKILLs the service's process tree mid-stream and starts it again; while it is dead the gateway must answer
    /// <paramref name="probe"/> (if given) 503 with Retry-After, not 502.
    /// </summary>
    public static async Task KillAndStartAsync(this ApplicationFixture fixture, string service, Action<string> log,
        HttpClient? client = null, string? probe = null)
    {
        await fixture.App.KillResourceAsync(service);
        log($"{service} killed");
        try
        {
            if (client is null || probe is null) return;
            // The gateway gives up on a silent service after its 15 s activity timeout.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var response = await client.GetAsync(probe, patience.Token);
            var body = await response.Content.ReadAsStringAsync();
            log($"GET {probe} while {service} is dead: {(int)response.StatusCode}");
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, $"GET {probe} while {service} is dead: {body}");
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
            response.Headers.RetryAfter?.Delta.ShouldNotBeNull("a 503 must say when to try again");
        }
        finally
        {
            await fixture.App.StartResourceAsync(service);
            log($"{service} started again");
        }
    }
}
