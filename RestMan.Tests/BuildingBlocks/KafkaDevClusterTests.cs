using Confluent.Kafka;
using RestMan.Hosting.Kafka;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.BuildingBlocks;

/// <summary>
/// The P/Invoke surface over librdkafka's mock cluster: what it starts must be a Kafka any client can use, and its
/// fault injection must really cut clients off and let them back. Fault tests use a private cluster, so the shared
/// one stays up for everyone else.
/// </summary>
[Trait("Category", "BuildingBlocks")]
[Collection("infrastructure")]
public sealed class KafkaDevClusterTests(InfrastructureFixture infra)
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void Clients_and_the_dev_cluster_load_the_bundled_librdkafka_2_16()
    {
        infra.Kafka.ShouldNotBeNull();

        RestMan.Messaging.LibrdKafka.BundledPath.ShouldNotBeNull().ShouldEndWith("centos8-librdkafka.so");
        Library.VersionString.ShouldStartWith("2.16.");
    }

    [Fact]
    public void A_created_topic_has_the_requested_partitions_on_the_shared_cluster()
    {
        var topic = $"devcluster-{Guid.NewGuid():N}";

        infra.Kafka.CreateTopic(topic, partitions: 4);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = infra.KafkaBootstrapServers }).Build();
        var metadata = admin.GetMetadata(topic, MetadataTimeout).Topics.ShouldHaveSingleItem();
        metadata.Error.Code.ShouldBe(ErrorCode.NoError);
        metadata.Partitions.Count.ShouldBe(4);
    }

    [Fact]
    public async Task A_message_produced_through_the_bootstrap_servers_is_consumed_by_a_consumer_group()
    {
        using var cluster = KafkaDevCluster.Start();
        cluster.CreateTopic("greetings", partitions: 1);

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
               {
                   BootstrapServers = cluster.BootstrapServers, EnableIdempotence = true, Acks = Acks.All,
               }).Build())
        {
            var delivery = await producer.ProduceAsync("greetings", new Message<string, string> { Key = "k", Value = "hello" });
            delivery.Status.ShouldBe(PersistenceStatus.Persisted);
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            GroupId = "readers",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("greetings");
        var received = consumer.Consume(TimeSpan.FromSeconds(20));
        consumer.Close();

        received.ShouldNotBeNull("the consumer group got no message within 20 s");
        received.Message.Value.ShouldBe("hello");
    }

    [Fact]
    public void A_broker_set_down_refuses_clients_until_it_is_set_up_again()
    {
        using var cluster = KafkaDevCluster.Start(brokers: 2);
        using var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = cluster.BootstrapServers,
            ReconnectBackoffMaxMs = 200,
        }).SetLogHandler(IgnoreExpectedConnectionErrors).Build();
        admin.GetMetadata(MetadataTimeout).Brokers.Count.ShouldBe(2);

        cluster.SetBrokerDown(1);
        cluster.SetBrokerDown(2);
        Should.Throw<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(1)));

        cluster.SetBrokerUp(1);
        cluster.SetBrokerUp(2);
        admin.GetMetadata(MetadataTimeout).Brokers.Count.ShouldBe(2);
    }

    [Fact]
    public void An_unknown_broker_is_an_error_not_a_silent_no_op()
    {
        using var cluster = KafkaDevCluster.Start();

        Should.Throw<InvalidOperationException>(() => cluster.SetBrokerDown(brokerId: 7)).Message.ShouldContain("broker 7");
    }

    [Fact]
    public void A_disposed_cluster_stops_listening_and_refuses_further_use()
    {
        var cluster = KafkaDevCluster.Start();
        var bootstrapServers = cluster.BootstrapServers;

        cluster.Dispose();
        cluster.Dispose(); // idempotent

        Should.Throw<ObjectDisposedException>(() => cluster.CreateTopic("late"));
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers })
            .SetLogHandler(IgnoreExpectedConnectionErrors).Build();
        Should.Throw<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(1)));
    }

    // "Connection refused" is the point of these tests; keep it out of the test run's stderr.
    private static void IgnoreExpectedConnectionErrors(IAdminClient client, LogMessage message)
    {
    }
}
