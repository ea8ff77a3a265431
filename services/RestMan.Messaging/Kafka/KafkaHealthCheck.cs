using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RestMan.Messaging;

/// <summary>Ready when a broker answers a metadata request within <see cref="KafkaOptions.HealthCheckTimeout"/>.</summary>
internal sealed class KafkaHealthCheck : IHealthCheck, IDisposable
{
    private readonly KafkaOptions _options;
    private readonly Lazy<IAdminClient> _admin;

    public KafkaHealthCheck(IOptions<KafkaOptions> options, ILogger<KafkaHealthCheck> logger)
    {
        _options = options.Value;
        // One long-lived admin client: a new one per probe would open new connections every few seconds.
        _admin = new Lazy<IAdminClient>(() => new AdminClientBuilder(new AdminClientConfig
            {
                BootstrapServers = _options.BootstrapServers,
                ReconnectBackoffMaxMs = (int)_options.ReconnectBackoffMax.TotalMilliseconds,
            })
            .SetLogHandler((_, message) => KafkaLogging.Forward(logger, message))
            .Build());
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // GetMetadata blocks: keep it off the request thread.
            var metadata = await Task.Run(() => _admin.Value.GetMetadata(_options.HealthCheckTimeout), cancellationToken);
            return metadata.Brokers.Count > 0
                ? HealthCheckResult.Healthy($"{metadata.Brokers.Count} Kafka broker(s) reachable (librdkafka {Library.VersionString})")
                : new HealthCheckResult(context.Registration.FailureStatus, "No Kafka broker answered");
        }
        catch (KafkaException ex)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Kafka is unreachable: {ex.Error.Reason}", ex);
        }
    }

    public void Dispose()
    {
        if (_admin.IsValueCreated) _admin.Value.Dispose();
    }
}
