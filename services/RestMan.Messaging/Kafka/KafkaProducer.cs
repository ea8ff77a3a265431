using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RestMan.Messaging;

/// <summary>
/// The host's one idempotent Kafka producer (acks=all: a delivery report means every in-sync replica has it).
/// A producer that hit a fatal error can never send again, so it is replaced by a fresh one; so is one whose every
/// delivery has timed out for <see cref="DeliveryStall.StallAfter"/> (see <see cref="DeliveryStall"/>).
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
    private Handle? _current;
    private bool _disposed;

    /// <summary>A producer and the stall watch of its own deliveries.</summary>
    private sealed record Handle(IProducer<string, string> Producer, DeliveryStall Stall);

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
        var (producer, stall) = Current();
        var started = _timeProvider.GetTimestamp();
        try
        {
            var delivered = await producer.ProduceAsync(topic, message, ct);
            stall.Delivered();
            return delivered;
        }
        catch (KafkaException ex) when (ex.Error.IsFatal)
        {
            RetireFatal(producer, ex.Error);
            throw;
        }
        catch (KafkaException ex) when (ex.Error.Code == ErrorCode.Local_MsgTimedOut)
        {
            OnTimedOut(producer, stall);
            throw;
        }
        catch (OperationCanceledException) when (_timeProvider.GetElapsedTime(started) >= _options.MessageTimeout)
        {
            // The caller gave up after the message timeout without a delivery report: as good as timed out. A stuck
            // producer can hold requests that never complete, so its messages are not even reported timed out.
            OnTimedOut(producer, stall);
            throw;
        }
    }

    private void OnTimedOut(IProducer<string, string> producer, DeliveryStall stall)
    {
        if (stall.TimedOut(_timeProvider.GetUtcNow()) && Retire(producer))
            _logger.LogWarning("Kafka producer delivered nothing for {Elapsed}: every delivery timed out; the next publish uses a new producer",
                stall.StallAfter);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _current?.Producer.Flush(TimeSpan.FromSeconds(2));
            _current?.Producer.Dispose();
            _current = null;
        }
    }

    private Handle Current()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _current ??= new Handle(Build(), DeliveryStall.For(_options.MessageTimeout));
        }
    }

    private void RetireFatal(IProducer<string, string> failed, Error error)
    {
        if (Retire(failed))
            _logger.LogError("Kafka producer hit a fatal error ({Code}: {Reason}); the next publish uses a new producer", error.Code, error.Reason);
    }

    /// <summary>Takes <paramref name="failed"/> out of use; false when it already was (a concurrent publish retired it).</summary>
    private bool Retire(IProducer<string, string> failed)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_current?.Producer, failed)) return false;
            _current = null;
        }
        _metrics.ProducerReplaced();
        // Not disposed here: this may be its own callback thread, and disposing drops the delivery reports that
        // complete publishes still in flight. Every message has its report once the message timeout has passed.
        _ = Task.Delay(_options.MessageTimeout + TimeSpan.FromSeconds(5), _timeProvider)
            .ContinueWith(_ => failed.Dispose(), TaskScheduler.Default);
        return true;
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
                if (error.IsFatal) RetireFatal(producer, error);
            })
            .Build();
    }
}
