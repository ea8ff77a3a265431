using RestMan.Analytics.Schema;
using RestMan.ClickHouse;

namespace RestMan.Analytics.Reports;

/// <summary>The payment-method mix and the tips per day: every captured payment once, by the day it was taken.</summary>
public sealed class PaymentsReport(ClickHouseClient clickHouse)
{
    public Task<IReadOnlyList<PaymentMixRow>> QueryAsync(ReportScope scope, CancellationToken ct) =>
        clickHouse.QueryAsync<PaymentMixRow>(
            $"""
            SELECT event_date AS date, method, count() AS payments, sum(amount) AS amount, sum(tip) AS tips
            FROM {AnalyticsSchema.Payments} FINAL WHERE {scope.Where}
            GROUP BY date, method
            ORDER BY date, method
            """, ct);
}
