using RestMan.Analytics.Schema;
using RestMan.ClickHouse;

namespace RestMan.Analytics.Reports;

/// <summary>
/// Dine-in per day: every party seated (a table order opened; a merged table counts, its guests came), their covers, and
/// the time from seated to the bill paid over the tables paid. ClickHouse 18.16 allows one JOIN per SELECT.
/// </summary>
public sealed class FloorReport(ClickHouseClient clickHouse)
{
    public async Task<IReadOnlyList<FloorDayRow>> QueryAsync(ReportScope scope, CancellationToken ct)
    {
        var sql = $"""
            SELECT event_date AS day, count() AS tables_seated, sum(covers) AS covers,
                   countIf(paid_s > 0) AS tables_paid, sumIf(paid_s - seated_s, paid_s > 0) AS seconds_at_table
            FROM
            (
                SELECT event_date, order_id, covers, toUInt32(seated_at) AS seated_s
                FROM {AnalyticsSchema.TableVisits} FINAL WHERE {scope.Where}
            )
            ANY LEFT JOIN (SELECT order_id, toUInt32(paid_at) AS paid_s FROM {AnalyticsSchema.OrderPayments} FINAL
                           WHERE payment_status = 'PAID'
                             AND order_id IN (SELECT order_id FROM {AnalyticsSchema.TableVisits} WHERE {scope.Where})) USING order_id
            GROUP BY day
            ORDER BY day
            """;
        var rows = await clickHouse.QueryAsync<FloorQueryRow>(sql, ct);
        return rows.Select(r => new FloorDayRow(r.Day, r.TablesSeated, r.Covers, r.TablesPaid,
                r.TablesPaid == 0 ? null : Math.Round(r.SecondsAtTable / 60.0 / r.TablesPaid, 1)))
            .ToList();
    }

    private sealed record FloorQueryRow(DateOnly Day, long TablesSeated, long Covers, long TablesPaid, long SecondsAtTable);
}
