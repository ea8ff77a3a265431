using RestMan.Analytics.Schema;
using RestMan.ClickHouse;

namespace RestMan.Analytics.Reports;

/// <summary>
/// The payment-method mix and the tips per day: every captured payment once, by the day it was taken; the refunds by
/// the day they were given back, and the net (payments less refunds). Payments are already net of discounts (a bill's
/// total is after its discount).
/// </summary>
public sealed class PaymentsReport(ClickHouseClient clickHouse)
{
    public Task<IReadOnlyList<PaymentMixRow>> QueryAsync(ReportScope scope, CancellationToken ct) =>
        clickHouse.QueryAsync<PaymentMixRow>(
            $"""
            SELECT date, method, sum(n) AS payments, sum(paid) AS amount, sum(tipped) AS tips, sum(refunded) AS refunds,
                   sum(paid) - sum(refunded) AS net_amount
            FROM (
                SELECT event_date AS date, method, count() AS n, sum(amount) AS paid, sum(tip) AS tipped, toDecimal128(0, 2) AS refunded
                FROM {AnalyticsSchema.Payments} FINAL WHERE {scope.Where}
                GROUP BY date, method
                UNION ALL
                SELECT event_date AS date, method, toUInt64(0) AS n, toDecimal128(0, 2) AS paid, toDecimal128(0, 2) AS tipped, sum(amount) AS refunded
                FROM {AnalyticsSchema.Refunds} FINAL WHERE {scope.Where}
                GROUP BY date, method
            )
            GROUP BY date, method
            ORDER BY date, method
            """, ct);
}
