using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RestMan.ClickHouse;

/// <summary>Ready when ClickHouse answers <c>SELECT 1</c> within a few seconds.</summary>
internal sealed class ClickHouseHealthCheck(ClickHouseClient clickHouse) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await clickHouse.ExecuteAsync("SELECT 1", timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "ClickHouse did not answer SELECT 1.", ex);
        }
    }
}
