using System.Net;
using System.Net.Http.Json;
using Confluent.Kafka;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.BuildingBlocks;

/// <summary>
/// The Kafka dev broker (librdkafka's mock cluster in its own process): what it serves must be a Kafka any client can
/// use, and its control API must really cut clients off and let them back, and refuse what it cannot do.
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
        var topic = $"greetings-{Guid.NewGuid():N}";
        infra.Kafka.CreateTopic(topic, partitions: 1);

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig
               {
                   BootstrapServers = infra.KafkaBootstrapServers, EnableIdempotence = true, Acks = Acks.All,
               }).Build())
        {
            var delivery = await producer.ProduceAsync(topic, new Message<string, string> { Key = "k", Value = "hello" });
            delivery.Status.ShouldBe(PersistenceStatus.Persisted);
        }

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = infra.KafkaBootstrapServers,
            GroupId = $"readers-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var received = consumer.Consume(TimeSpan.FromSeconds(20));
        consumer.Close();

        received.ShouldNotBeNull("the consumer group got no message within 20 s");
        received.Message.Value.ShouldBe("hello");
    }

    [Fact]
    public async Task A_broker_set_down_refuses_clients_until_it_is_set_up_again()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig
        {
            BootstrapServers = infra.KafkaBootstrapServers,
            ReconnectBackoffMaxMs = 200,
        }).SetLogHandler(IgnoreExpectedConnectionErrors).Build();
        admin.GetMetadata(MetadataTimeout).Brokers.Count.ShouldBe(1);

        using var http = new HttpClient { BaseAddress = infra.App.KafkaControlUrl };
        (await http.PostAsync("/brokers/down", null)).EnsureSuccessStatusCode();
        try
        {
            (await http.GetFromJsonAsync<BrokerState[]>("/brokers")).ShouldBe([new BrokerState(1, false)]);
            Should.Throw<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(1)));
        }
        finally
        {
            (await http.PostAsync("/brokers/up", null)).EnsureSuccessStatusCode();
        }
        (await http.GetFromJsonAsync<BrokerState[]>("/brokers")).ShouldBe([new BrokerState(1, true)]);
        admin.GetMetadata(MetadataTimeout).Brokers.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_unknown_broker_is_an_error_not_a_silent_no_op()
    {
        Should.Throw<InvalidOperationException>(() => infra.Kafka.SetBrokerDown(brokerId: 7)).Message.ShouldContain("broker 7");
        using var http = new HttpClient { BaseAddress = infra.App.KafkaControlUrl };
        (await http.PostAsync("/brokers/7/up", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private sealed record BrokerState(int Id, bool Up);

    // "Connection refused" is the point of these tests; keep it out of the test run's stderr.
    private static void IgnoreExpectedConnectionErrors(IAdminClient client, LogMessage message)
    {
    }
}
