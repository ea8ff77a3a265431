using RestMan.Analytics.Schema;
using RestMan.ClickHouse;

namespace RestMan.Analytics.Reports;

/// <summary>
/// Dine-in per day: every party seated (a table order opened; a merged table counts, its guests came), their covers,
/// walk-ins against parties seated from a reservation, the time from seated to the bill paid over the tables paid, and
/// the reservations for that day by outcome. ClickHouse 18.16 allows one JOIN per SELECT, so the book is its own query.
/// </summary>
public sealed class FloorReport(ClickHouseClient clickHouse)
{
    public async Task<IReadOnlyList<FloorDayRow>> QueryAsync(ReportScope scope, CancellationToken ct)
    {
        var visitsSql = $"""
            SELECT event_date AS day, count() AS tables_seated, sum(covers) AS covers,
                   countIf(reservation_id != toUUID('{Guid.Empty}')) AS from_reservations,
                   countIf(paid_s > 0) AS tables_paid, sumIf(paid_s - seated_s, paid_s > 0) AS seconds_at_table
            FROM
            (
                SELECT event_date, order_id, covers, reservation_id, toUInt32(seated_at) AS seated_s
                FROM {AnalyticsSchema.TableVisits} FINAL WHERE {scope.Where}
            )
            ANY LEFT JOIN (SELECT order_id, toUInt32(paid_at) AS paid_s FROM {AnalyticsSchema.OrderPayments} FINAL
                           WHERE payment_status = 'PAID'
                             AND order_id IN (SELECT order_id FROM {AnalyticsSchema.TableVisits} WHERE {scope.Where})) USING order_id
            GROUP BY day
            ORDER BY day
            """;
        var bookSql = $"""
            SELECT event_date AS day, count() AS reservations,
                   countIf(status = 'SEATED') AS seated, countIf(status = 'CANCELLED') AS cancelled,
                   countIf(status = 'NO_SHOW') AS no_shows
            FROM {AnalyticsSchema.Reservations} FINAL WHERE {scope.Where}
            GROUP BY day
            ORDER BY day
            """;
        var visits = await clickHouse.QueryAsync<FloorVisitsDay>(visitsSql, ct);
        var book = await clickHouse.QueryAsync<FloorBookDay>(bookSql, ct);
        return FloorFigures.Combine(visits, book);
    }
}

/// <summary>One day of table visits as ClickHouse sums them.</summary>
public sealed record FloorVisitsDay(DateOnly Day, long TablesSeated, long Covers, long FromReservations, long TablesPaid, long SecondsAtTable);

/// <summary>One day of the reservation book, by each reservation's latest state.</summary>
public sealed record FloorBookDay(DateOnly Day, long Reservations, long Seated, long Cancelled, long NoShows);

/// <summary>How the floor report's figures are derived from the two sums.</summary>
public static class FloorFigures
{
    /// <summary>One row per day with either tables seated or reservations for it (a day of only no-shows still shows).</summary>
    public static IReadOnlyList<FloorDayRow> Combine(IEnumerable<FloorVisitsDay> visits, IEnumerable<FloorBookDay> book)
    {
        var visitsByDay = visits.ToDictionary(v => v.Day);
        var bookByDay = book.ToDictionary(b => b.Day);
        return visitsByDay.Keys.Union(bookByDay.Keys).Order().Select(day =>
        {
            var v = visitsByDay.GetValueOrDefault(day) ?? new FloorVisitsDay(day, 0, 0, 0, 0, 0);
            var b = bookByDay.GetValueOrDefault(day) ?? new FloorBookDay(day, 0, 0, 0, 0);
            return new FloorDayRow(day, v.TablesSeated, v.Covers, v.TablesPaid, AverageMinutes(v.SecondsAtTable, v.TablesPaid),
                WalkIns: Math.Max(0, v.TablesSeated - v.FromReservations), v.FromReservations,
                b.Reservations, b.Seated, b.Cancelled, b.NoShows, NoShowRate(b.Seated, b.NoShows));
        }).ToList();
    }

    /// <summary>Average minutes at table over the tables paid, to one decimal; null when none was paid.</summary>
    public static double? AverageMinutes(long secondsAtTable, long tablesPaid) =>
        tablesPaid <= 0 ? null : Math.Round(secondsAtTable / 60.0 / tablesPaid, 1);

    /// <summary>
    /// No-shows over the reservations whose party was due and either came or did not (seated + no-shows), to three
    /// decimals: cancelled ones gave notice and ones still booked may yet come. Null when none was due.
    /// </summary>
    public static double? NoShowRate(long seated, long noShows) =>
        seated + noShows <= 0 ? null : Math.Round((double)noShows / (seated + noShows), 3);
}
