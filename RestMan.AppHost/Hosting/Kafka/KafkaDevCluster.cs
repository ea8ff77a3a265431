using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace RestMan.Hosting.Kafka;

/// <summary>
/// An in-memory Kafka cluster for development and tests: librdkafka's mock cluster, which speaks the real Kafka
/// wire protocol on 127.0.0.1 ephemeral ports, so any client in any process can connect to <see cref="BootstrapServers"/>.
/// Not durable: each partition keeps only its newest messages. Never use it as storage.
/// </summary>
/// <remarks>
/// The mock cluster API (rdkafka_mock.h) is experimental and not exposed by Confluent.Kafka, so it is reached through
/// a handful of P/Invoke calls into the same librdkafka that Confluent.Kafka loads. Keep that surface this small.
/// </remarks>
public sealed partial class KafkaDevCluster : IDisposable
{
    private readonly Lock _gate = new();
    private IntPtr _client;
    private IntPtr _cluster;

    private KafkaDevCluster(IntPtr client, IntPtr cluster, string bootstrapServers)
    {
        _client = client;
        _cluster = cluster;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>Comma-separated <c>host:port</c> list of the mock brokers.</summary>
    public string BootstrapServers { get; }

    /// <summary>Starts a cluster of <paramref name="brokers"/> brokers with ids 1..<paramref name="brokers"/>.</summary>
    public static KafkaDevCluster Start(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);

        // The mock cluster lives inside a client handle; a producer handle is the cheapest one to own.
        var client = Native.NewProducer();
        var cluster = Native.rd_kafka_mock_cluster_new(client, brokers);
        if (cluster == IntPtr.Zero)
        {
            Native.rd_kafka_destroy(client);
            throw new InvalidOperationException("librdkafka could not create a mock cluster.");
        }

        var bootstrapServers = Marshal.PtrToStringUTF8(Native.rd_kafka_mock_cluster_bootstraps(cluster));
        if (string.IsNullOrEmpty(bootstrapServers))
        {
            Native.rd_kafka_mock_cluster_destroy(cluster);
            Native.rd_kafka_destroy(client);
            throw new InvalidOperationException("librdkafka's mock cluster reported no bootstrap servers.");
        }

        return new KafkaDevCluster(client, cluster, bootstrapServers);
    }

    /// <summary>Creates a topic up front, so consumers can subscribe to it before anything is produced.</summary>
    public void CreateTopic(string topic, int partitions = 3, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        Invoke(cluster => Native.rd_kafka_mock_topic_create(cluster, topic, partitions, replicationFactor),
            $"create topic '{topic}'");
    }

    /// <summary>Takes a broker off the network: its connections are closed and new ones refused until <see cref="SetBrokerUp"/>.</summary>
    public void SetBrokerDown(int brokerId = 1) =>
        Invoke(cluster => Native.rd_kafka_mock_broker_set_down(cluster, brokerId), $"set broker {brokerId} down");

    /// <summary>Brings a broker taken down by <see cref="SetBrokerDown"/> back.</summary>
    public void SetBrokerUp(int brokerId = 1) =>
        Invoke(cluster => Native.rd_kafka_mock_broker_set_up(cluster, brokerId), $"set broker {brokerId} up");

    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster == IntPtr.Zero) return;
            // The cluster is owned by the client handle's threads: destroy it first, then the handle.
            Native.rd_kafka_mock_cluster_destroy(_cluster);
            Native.rd_kafka_destroy(_client);
            _cluster = IntPtr.Zero;
            _client = IntPtr.Zero;
        }
    }

    private void Invoke(Func<IntPtr, int> call, string what)
    {
        int error;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_cluster == IntPtr.Zero, this);
            error = call(_cluster);
        }
        // librdkafka error codes are Confluent.Kafka's ErrorCode values; naming them needs no further native call.
        if (error != 0)
            throw new InvalidOperationException($"Kafka dev cluster could not {what}: {(ErrorCode)error} ({error}).");
    }

    /// <summary>The only native calls RestMan makes itself; everything else goes through Confluent.Kafka.</summary>
    private static partial class Native
    {
        // Resolved to the librdkafka 2.16 bundled with Confluent.Kafka, the same library its clients load.
        private const string Library = "librdkafka";
        private const int ProducerType = 0; // RD_KAFKA_PRODUCER

        static Native() => RestMan.Messaging.LibrdKafka.UseBundledLibrary(typeof(Native).Assembly);

        [LibraryImport(Library)]
        private static partial IntPtr rd_kafka_conf_new();

        [LibraryImport(Library)]
        private static partial void rd_kafka_conf_destroy(IntPtr conf);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        private static unsafe partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte* errstr, nuint errstrSize);

        [LibraryImport(Library)]
        private static unsafe partial IntPtr rd_kafka_new(int type, IntPtr conf, byte* errstr, nuint errstrSize);

        [LibraryImport(Library)]
        internal static partial void rd_kafka_destroy(IntPtr client);

        [LibraryImport(Library)]
        internal static partial IntPtr rd_kafka_mock_cluster_new(IntPtr client, int brokerCount);

        [LibraryImport(Library)]
        internal static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);

        [LibraryImport(Library)]
        internal static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);

        [LibraryImport(Library)]
        internal static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);

        [LibraryImport(Library)]
        internal static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);

        internal static unsafe IntPtr NewProducer()
        {
            const int errorCapacity = 512;
            var error = stackalloc byte[errorCapacity];
            var conf = rd_kafka_conf_new();
            // The handle only hosts the cluster and never connects: without this it warns on stderr that it has
            // no bootstrap.servers. Errors are still printed.
            rd_kafka_conf_set(conf, "log_level", "3", error, errorCapacity);
            var client = rd_kafka_new(ProducerType, conf, error, errorCapacity);
            if (client != IntPtr.Zero) return client; // the handle now owns conf

            rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException(
                $"librdkafka could not create a client handle: {Marshal.PtrToStringUTF8((IntPtr)error)}");
        }
    }
}
