extern alias AnalyticsService;

using System.Text.Json;
using AnalyticsService::RestMan.Analytics.Ingestion;
using AnalyticsService::RestMan.Analytics.Reports;
using RestMan.Messaging;
using RestMan.Messaging.IntegrationEvents;

namespace RestMan.UnitTests.Analytics;

/// <summary>The floor report's pure parts: how reservation events become rows, and how a day's figures are derived.</summary>
[Trait("Category", "Unit")]
public sealed class FloorAnalyticsTests
{
    private static readonly Guid Restaurant = Guid.NewGuid();
    private static readonly Guid Reservation = Guid.NewGuid();
    private static readonly DateTimeOffset StartsAt = new(2026, 12, 6, 19, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset BookedAt = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    private static readonly EventRowMapper Mapper = new();

    private static EventEnvelope Envelope<T>(T data) where T : IIntegrationEvent<T> =>
        new(T.EventType, Guid.NewGuid(), BookedAt, JsonSerializer.SerializeToElement(data, MessagingJson.Options), "orders", 1);

    [Fact]
    public void A_reservation_counts_on_the_day_it_is_for_and_its_outcome_replaces_the_booking()
    {
        var batch = new IngestionBatch();
        Mapper.TryAdd(Envelope(new ReservationCreated(Reservation, Restaurant, Guid.NewGuid(), null, 4, StartsAt, StartsAt.AddHours(2), "user", BookedAt)), batch).ShouldBeTrue();
        Mapper.TryAdd(Envelope(new ReservationNoShow(Reservation, Restaurant, Guid.NewGuid(), 4, StartsAt, null, StartsAt.AddMinutes(20))), batch).ShouldBeTrue();

        batch.Reservations.Select(r => r.EventDate).ShouldAllBe(d => d == new DateOnly(2026, 12, 6));
        batch.Reservations.Select(r => r.ReservationId).Distinct().ShouldBe([Reservation]);
        var latest = batch.Reservations.MaxBy(r => r.Version)!;
        latest.Status.ShouldBe("NO_SHOW");
        batch.Reservations.Single(r => r.Status == "BOOKED").Version.ShouldBeLessThan(latest.Version);
    }

    [Fact]
    public void A_redelivered_reservation_event_yields_the_same_row()
    {
        var seated = Envelope(new ReservationSeated(Reservation, Restaurant, Guid.NewGuid(), Guid.NewGuid(), 2, StartsAt, StartsAt, null));
        var once = new IngestionBatch();
        var twice = new IngestionBatch();
        Mapper.TryAdd(seated, once);
        Mapper.TryAdd(seated, twice);
        twice.Reservations.Single().ShouldBe(once.Reservations.Single());
    }

    [Fact]
    public void A_table_order_carries_the_reservation_it_was_seated_from_and_a_walk_in_carries_none()
    {
        var line = new OrderPlacedItem(Guid.NewGuid(), "Margherita", 1, 12.5m, 12.5m);
        OrderPlaced Placed(Guid? reservationId) => new(Guid.NewGuid(), Guid.NewGuid(), Restaurant, "dine_in", 12.5m, [line], BookedAt,
            TableId: Guid.NewGuid(), Covers: 2, ReservationId: reservationId);
        var batch = new IngestionBatch();
        Mapper.TryAdd(Envelope(Placed(Reservation)), batch);
        Mapper.TryAdd(Envelope(Placed(null)), batch);
        batch.TableVisits.Select(v => v.ReservationId).ShouldBe([Reservation, Guid.Empty]);
    }

    [Fact]
    public void A_day_adds_walk_ins_and_reservations_and_a_day_with_only_a_booking_still_shows()
    {
        var today = new DateOnly(2026, 12, 5);
        var tomorrow = today.AddDays(1);
        var rows = FloorFigures.Combine(
            [new FloorVisitsDay(today, TablesSeated: 3, Covers: 9, FromReservations: 1, TablesPaid: 2, SecondsAtTable: 2 * 45 * 60)],
            [new FloorBookDay(tomorrow, Reservations: 5, Seated: 2, Cancelled: 1, NoShows: 1), new FloorBookDay(today, 1, 1, 0, 0)]);

        rows.Select(r => r.Date).ShouldBe([today, tomorrow]);
        rows[0].WalkIns.ShouldBe(2);
        rows[0].FromReservations.ShouldBe(1);
        rows[0].AverageTableMinutes.ShouldBe(45.0);
        rows[0].NoShowRate.ShouldBe(0.0);
        rows[1].TablesSeated.ShouldBe(0);
        rows[1].AverageTableMinutes.ShouldBeNull();
        rows[1].Reservations.ShouldBe(5);
        rows[1].NoShows.ShouldBe(1);
        rows[1].NoShowRate.ShouldBe(0.333);
    }

    [Theory]
    [InlineData(0, 0, null)]
    [InlineData(3, 0, 0.0)]
    [InlineData(0, 2, 1.0)]
    [InlineData(2, 1, 0.333)]
    public void The_no_show_rate_is_no_shows_over_the_parties_that_were_due(long seated, long noShows, double? rate) =>
        FloorFigures.NoShowRate(seated, noShows).ShouldBe(rate);
}
