using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RestMan.Messaging;

/// <summary>
/// The host's one idempotent Kafka producer (acks=all: a delivery report means every in-sync replica has it).
/// A producer that hit a fatal error can never send again, so it is replaced by a fresh one.
/// </summary>
internal sealed class KafkaProducer : IDisposable
{
    private readonly KafkaOptions _options;
    private readonly string _clientId;
    private readonly ILogger<KafkaProducer> _logger;
    private readonly Lock _gate = new();
    private IProducer<string, string>? _producer;
    private bool _disposed;

    public KafkaProducer(IOptions<KafkaOptions> options, IOptions<MessagingOptions> messaging, ILogger<KafkaProducer> logger)
    {
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
        catch (ProduceException<string, string> ex) when (ex.Error.IsFatal)
        {
            Retire(producer);
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

    private void Retire(IProducer<string, string> failed)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_producer, failed)) return;
            _logger.LogError("Kafka producer hit a fatal error; replacing it with a new one");
            _producer = null;
        }
        failed.Dispose();
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
            Debug = _options.Debug,
        };
        return new ProducerBuilder<string, string>(config)
            .SetLogHandler((_, message) => KafkaLogging.Forward(_logger, message))
            .SetErrorHandler((_, error) => KafkaLogging.ForwardError(_logger, error))
            .Build();
    }
}
