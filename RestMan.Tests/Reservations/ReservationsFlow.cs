using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using RestMan.Tests.Infrastructure;
using RestMan.Tests.Ordering;

namespace RestMan.Tests.Reservations;

/// <summary>What owners, waiters and customers do with tables and reservations, through the gateway.</summary>
public static class ReservationsFlow
{
    /// <summary>Tomorrow (UTC) at the given time of day: always ahead and within the default opening hours (11:00–23:00).</summary>
    public static DateTimeOffset Tomorrow(int hour, int minute = 0) =>
        new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(hour).AddMinutes(minute);

    public static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static async Task<HttpResponseMessage> BookAsync(this HttpClient client, Guid restaurantId, int partySize, DateTimeOffset time,
        string? idempotencyKey = null, string? guestName = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/reservations")
        {
            Content = JsonContent.Create(new { restaurant_id = restaurantId, party_size = partySize, time, guest_name = guestName }),
        };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Books and returns the reservation, failing unless it was created.</summary>
    public static async Task<JsonElement> BookOkAsync(this HttpClient client, Guid restaurantId, int partySize, DateTimeOffset time, string? guestName = null)
    {
        using var response = await client.BookAsync(restaurantId, partySize, time, guestName: guestName);
        await response.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The first <paramref name="eventType"/> about the reservation on <c>reservation.events</c>.</summary>
    public static Task<LoggedEvent> FindEventAsync(ApplicationFixture fixture, string eventType, Guid reservationId) =>
        TopicReader.FirstAsync(fixture.App.GetConnectionString("kafka")!, "reservation.events",
            e => e.EventType == eventType && e.IsAbout("reservation_id", reservationId), OrderingFlow.EventDeadline);

    public const string ConfirmationSubject = "Your RestMan table is booked";
}
