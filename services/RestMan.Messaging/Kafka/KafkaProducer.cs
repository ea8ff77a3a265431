using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RestMan.Messaging;

/// <summary>
/// The host's one idempotent Kafka producer (acks=all: a delivery report means every in-sync replica has it).
/// A producer that hit a fatal error can never send again, so it is replaced by a fresh one.
/// </summary>
/// <remarks>
/// The fatal error is known from the error callback, not from the failed deliveries: librdkafka fails every message of
/// a fatal producer with the original cause (e.g. OutOfOrderSequenceNumber, Local_PurgeQueue), which Confluent.Kafka
/// does not flag as fatal. Waiting for a fatal-flagged delivery kept a dead producer forever.
/// </remarks>
internal sealed class KafkaProducer : IDisposable
{
    private readonly KafkaOptions _options;
    private readonly string _clientId;
    private readonly ILogger<KafkaProducer> _logger;
    private readonly MessagingMetrics _metrics;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private IProducer<string, string>? _producer;
    private bool _disposed;

    public KafkaProducer(
        IOptions<KafkaOptions> options,
        IOptions<MessagingOptions> messaging,
        MessagingMetrics metrics,
        TimeProvider timeProvider,
        ILogger<KafkaProducer> logger)
    {
        _metrics = metrics;
        _timeProvider = timeProvider;
        _options = options.Value;
        _clientId = $"{messaging.Value.Source}-producer";
        _logger = logger;
    }

    public async Task<DeliveryResult<string, string>> ProduceAsync(string topic, Message<string, string> message, CancellationToken ct)
    {
        var producer = Current();
        try
        {
            return await producer.ProduceAsync(topic, message, ct);
        }
        catch (KafkaException ex) when (ex.Error.IsFatal)
        {
            Retire(producer, ex.Error);
            throw;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _producer?.Flush(TimeSpan.FromSeconds(2));
            _producer?.Dispose();
            _producer = null;
        }
    }

    private IProducer<string, string> Current()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _producer ??= Build();
        }
    }

    private void Retire(IProducer<string, string> failed, Error error)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_producer, failed)) return;
            _producer = null;
        }
        _logger.LogError("Kafka producer hit a fatal error ({Code}: {Reason}); the next publish uses a new producer", error.Code, error.Reason);
        _metrics.ProducerReplaced();
        // Not disposed here: this may be its own callback thread, and disposing drops the delivery reports that
        // complete publishes still in flight. Every message has its report once the message timeout has passed.
        _ = Task.Delay(_options.MessageTimeout + TimeSpan.FromSeconds(5), _timeProvider)
            .ContinueWith(_ => failed.Dispose(), TaskScheduler.Default);
    }

    private IProducer<string, string> Build()
    {
        var config = new ProducerConfig
        {
            BootstrapServers = _options.BootstrapServers,
            ClientId = _clientId,
            EnableIdempotence = true,
            Acks = Acks.All,
            MessageTimeoutMs = (int)_options.MessageTimeout.TotalMilliseconds,
            ReconnectBackoffMaxMs = (int)_options.ReconnectBackoffMax.TotalMilliseconds,
            LingerMs = 2,
            // librdkafka leaves Nagle on: a small request behind an unacknowledged one can wait for a delayed ACK (~40 ms).
            SocketNagleDisable = true,
            Debug = _options.Debug,
        };
        return new ProducerBuilder<string, string>(config)
            .SetLogHandler((_, message) => KafkaLogging.Forward(_logger, message))
            .SetErrorHandler((producer, error) =>
            {
                KafkaLogging.ForwardError(_logger, error);
                if (error.IsFatal) Retire(producer, error);
            })
            .Build();
    }
}
