using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using RestMan.Messaging;

namespace RestMan.Tests.BuildingBlocks;

/// <summary>
/// Puts a service's Kafka producer into the state librdkafka's idempotent producer reaches when it can no longer
/// guarantee ordering (e.g. "sequence desynchronization" after a broker outage, librdkafka before 2.3): a fatal error,
/// after which every message fails. librdkafka's own test hook raises it; the handle is reached by reflection because
/// neither RestMan nor Confluent.Kafka exposes it, and nothing but this test should.
/// </summary>
internal static partial class KafkaProducerFaults
{
    private const int OutOfOrderSequenceNumber = 45; // RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER
    private const BindingFlags Internal = BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance;

    public static void RaiseFatalError(IServiceProvider services)
    {
        var type = typeof(EventEnvelope).Assembly.GetType("RestMan.Messaging.KafkaProducer", throwOnError: true)!;
        // KafkaProducer keeps its current producer with that producer's stall watch (a private record).
        var current = type.GetField("_current", Internal)!.GetValue(services.GetRequiredService(type));
        var producer = current?.GetType().GetProperty("Producer", Internal)!.GetValue(current) as IProducer<string, string>
            ?? throw new InvalidOperationException("The service has not built its Kafka producer yet.");
        var handle = producer.Handle;
        var member = typeof(Handle).GetMember("LibrdkafkaHandle", Internal).Single();
        var safeHandle = (SafeHandle)(member is PropertyInfo property ? property.GetValue(handle) : ((FieldInfo)member).GetValue(handle))!;

        var error = rd_kafka_test_fatal_error(safeHandle.DangerousGetHandle(), OutOfOrderSequenceNumber, "raised by a RestMan test");
        if (error != 0) throw new InvalidOperationException($"librdkafka refused to raise a fatal error: {(ErrorCode)error}");
    }

    [LibraryImport("librdkafka", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_test_fatal_error(IntPtr client, int error, string reason);
}
