using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace RestMan.Messaging;

/// <summary>
/// Red while an outbox row has waited longer than <see cref="OutboxOptions.StalledAfter"/>: whatever the cause (Kafka
/// down, a producer that cannot send, a stuck relay), events committed with their state change are not reaching
/// consumers, and an operator must hear of it before a customer does.
/// </summary>
internal sealed class OutboxHealthCheck(NpgsqlDataSource dataSource, OutboxStore store, IOptions<OutboxOptions> options, TimeProvider timeProvider)
    : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var (unsent, oldest) = await store.PendingAsync(dataSource, cancellationToken);
            if (oldest is null) return HealthCheckResult.Healthy("Every outbox event is published");

            var waited = timeProvider.GetUtcNow() - oldest.Value;
            var description = $"{unsent} outbox event(s) unpublished, the oldest for {waited.TotalSeconds:0} s";
            return waited < options.Value.StalledAfter
                ? HealthCheckResult.Healthy(description)
                : new HealthCheckResult(context.Registration.FailureStatus, description);
        }
        catch (NpgsqlException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The outbox cannot be read: {ex.Message}", ex);
        }
    }
}
