using System.Runtime.InteropServices;

namespace RestMan.KafkaDevBroker;

/// <summary>
/// librdkafka's mock cluster (rdkafka_mock.h): the real Kafka wire protocol, in memory, not durable. The API is not
/// exposed by any client library, so it is reached through the few native calls below.
/// </summary>
public sealed partial class MockCluster : IDisposable
{
    private const string Library = "librdkafka";
    private readonly Lock _gate = new();
    private readonly HashSet<int> _down = [];
    private IntPtr _client;
    private IntPtr _cluster;

    private MockCluster(IntPtr client, IntPtr cluster, int brokers)
    {
        _client = client;
        _cluster = cluster;
        BrokerIds = Enumerable.Range(1, brokers).ToArray();
        Bootstraps = Marshal.PtrToStringUTF8(rd_kafka_mock_cluster_bootstraps(cluster)) ?? "";
    }

    /// <summary>Where the mock brokers really listen (ephemeral ports chosen by librdkafka).</summary>
    public string Bootstraps { get; }
    public IReadOnlyList<int> BrokerIds { get; }

    public static unsafe MockCluster Start(int brokers)
    {
        const int capacity = 512;
        var error = stackalloc byte[capacity];
        var conf = rd_kafka_conf_new();
        // The handle only hosts the cluster and never connects: keep it from warning about bootstrap.servers.
        rd_kafka_conf_set(conf, "log_level", "3", error, capacity);
        var client = rd_kafka_new(0, conf, error, capacity);
        if (client == IntPtr.Zero)
            throw new InvalidOperationException($"librdkafka: {Marshal.PtrToStringUTF8((IntPtr)error)}");
        var cluster = rd_kafka_mock_cluster_new(client, brokers);
        if (cluster == IntPtr.Zero)
        {
            rd_kafka_destroy(client);
            throw new InvalidOperationException("librdkafka could not create a mock cluster");
        }
        return new MockCluster(client, cluster, brokers);
    }

    public void CreateTopic(string topic, int partitions) =>
        Invoke(c => rd_kafka_mock_topic_create(c, topic, partitions, 1), $"create topic {topic}");

    /// <summary>Makes metadata name this address, so clients come back through the relay, never to the ephemeral port.</summary>
    public void Advertise(int brokerId, string host, int port) =>
        Invoke(c => rd_kafka_mock_broker_set_host_port(c, brokerId, host, port), $"advertise broker {brokerId}");

    public bool IsDown(int brokerId)
    {
        lock (_gate) return _down.Contains(brokerId);
    }

    /// <summary>Closes the broker's connections and refuses new ones; its data stays.</summary>
    public void SetDown(int brokerId) => Invoke(c =>
    {
        _down.Add(brokerId);
        return rd_kafka_mock_broker_set_down(c, brokerId);
    }, $"set broker {brokerId} down");

    public void SetUp(int brokerId) => Invoke(c =>
    {
        _down.Remove(brokerId);
        return rd_kafka_mock_broker_set_up(c, brokerId);
    }, $"set broker {brokerId} up");

    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster == IntPtr.Zero) return;
            rd_kafka_mock_cluster_destroy(_cluster);
            rd_kafka_destroy(_client);
            _cluster = _client = IntPtr.Zero;
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
        if (error != 0) throw new InvalidOperationException($"mock cluster could not {what}: librdkafka error {error}");
    }

    [LibraryImport(Library)] private static partial IntPtr rd_kafka_conf_new();
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte* errstr, nuint size);
    [LibraryImport(Library)] private static unsafe partial IntPtr rd_kafka_new(int type, IntPtr conf, byte* errstr, nuint size);
    [LibraryImport(Library)] private static partial void rd_kafka_destroy(IntPtr client);
    [LibraryImport(Library)] private static partial IntPtr rd_kafka_mock_cluster_new(IntPtr client, int brokers);
    [LibraryImport(Library)] private static partial void rd_kafka_mock_cluster_destroy(IntPtr cluster);
    [LibraryImport(Library)] private static partial IntPtr rd_kafka_mock_cluster_bootstraps(IntPtr cluster);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_topic_create(IntPtr cluster, string topic, int partitions, int replicationFactor);
    [LibraryImport(Library)] private static partial int rd_kafka_mock_broker_set_down(IntPtr cluster, int brokerId);
    [LibraryImport(Library)] private static partial int rd_kafka_mock_broker_set_up(IntPtr cluster, int brokerId);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int rd_kafka_mock_broker_set_host_port(IntPtr cluster, int brokerId, string host, int port);
}
