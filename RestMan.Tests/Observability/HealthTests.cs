using System.Net;
using System.Text.Json;
using RestMan.Tests.Infrastructure;

namespace RestMan.Tests.Observability;

/// <summary>Each service's <c>/health</c> reports the dependencies it really has, through the client integrations' checks.</summary>
[Trait("Category", "Platform")]
[Collection(ApplicationCollection.Name)]
public sealed class HealthTests(ApplicationFixture fixture)
{
    public static TheoryData<string, string[]> Dependencies => new()
    {
        { "gateway", ["StackExchange.Redis"] },
        { "auth", ["PostgreSql", "StackExchange.Redis", "kafka", "outbox"] },
        { "scheduler", ["PostgreSql"] },
        { "restaurants", ["PostgreSql", "StackExchange.Redis", "kafka", "outbox"] },
        { "orders", ["PostgreSql", "StackExchange.Redis", "kafka", "outbox"] },
        { "kitchen", ["PostgreSql", "kafka", "outbox"] },
        { "billing", ["PostgreSql", "StackExchange.Redis", "kafka", "outbox"] },
        { "analytics", ["clickhouse", "kafka"] },
        { "inventory", ["PostgreSql", "StackExchange.Redis", "kafka", "outbox"] },
    };

    [Theory]
    [MemberData(nameof(Dependencies))]
    public async Task Health_names_every_real_dependency_and_each_is_healthy(string service, string[] dependencies)
    {
        using var client = fixture.App.CreateHttpClient(service);

        using var response = await client.GetAsync("/health");
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var checks = JsonDocument.Parse(body).RootElement.GetProperty("checks");
        var names = checks.EnumerateObject().Select(c => c.Name).ToList();
        names.ShouldBe([.. dependencies, "self"], ignoreOrder: true, customMessage: body);
        foreach (var check in checks.EnumerateObject())
            check.Value.GetProperty("status").GetString().ShouldBe("Healthy", body);
        // Every service process loads the librdkafka bundled with Confluent.Kafka, never a system one.
        if (checks.TryGetProperty("kafka", out var kafka))
            (kafka.GetProperty("description").GetString() ?? "").ShouldContain("librdkafka 2.16.");
    }
}
