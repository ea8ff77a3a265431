using RestMan.KafkaDevBroker;
using RestMan.Messaging;

// The Kafka dev broker: librdkafka's mock cluster in its own process, reachable on --port, controlled on --urls.
// Arguments: --port <kafka port> --topics a,b,c --partitions 3 --urls http://127.0.0.1:<control port>
// The mock cluster lives in librdkafka itself: load the same 2.16 build the services use.
LibrdKafka.UseBundledLibrary(typeof(MockCluster).Assembly);

var builder = WebApplication.CreateSlimBuilder(args);
var port = builder.Configuration.GetValue<int?>("port") ?? throw new InvalidOperationException("--port is required");
var partitions = builder.Configuration.GetValue("partitions", 3);
var topics = (builder.Configuration["topics"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

var cluster = MockCluster.Start(brokers: 1);
var upstream = cluster.Bootstraps.Split(',')[0];
var separator = upstream.LastIndexOf(':');
foreach (var id in cluster.BrokerIds) cluster.Advertise(id, "127.0.0.1", port);
foreach (var topic in topics) cluster.CreateTopic(topic, partitions);

builder.Services.AddSingleton(cluster);
builder.Services.AddHostedService(sp => new TcpRelay(port, upstream[..separator], int.Parse(upstream[(separator + 1)..]),
    sp.GetRequiredService<ILoggerFactory>().CreateLogger("relay")));

var app = builder.Build();
app.Logger.LogInformation("mock cluster on {Bootstraps}, advertised as 127.0.0.1:{Port}; topics ({Partitions} partitions): {Topics}",
    cluster.Bootstraps, port, partitions, string.Join(", ", topics));

app.MapGet("/brokers", () => cluster.BrokerIds.Select(id => new { id, up = !cluster.IsDown(id) }));
app.MapPost("/brokers/down", () => { foreach (var id in cluster.BrokerIds) cluster.SetDown(id); return Results.NoContent(); });
app.MapPost("/brokers/up", () => { foreach (var id in cluster.BrokerIds) cluster.SetUp(id); return Results.NoContent(); });
app.MapPost("/brokers/{id:int}/down", (int id) => OnBroker(id, cluster.SetDown));
app.MapPost("/brokers/{id:int}/up", (int id) => OnBroker(id, cluster.SetUp));
app.MapPost("/topics", (TopicRequest topic) =>
{
    cluster.CreateTopic(topic.Name, topic.Partitions ?? partitions);
    return Results.NoContent();
});

// An unknown broker is an error, not a silent no-op.
IResult OnBroker(int id, Action<int> change)
{
    if (!cluster.BrokerIds.Contains(id)) return Results.Problem($"no broker {id}", statusCode: StatusCodes.Status404NotFound);
    change(id);
    return Results.NoContent();
}

app.Lifetime.ApplicationStopped.Register(cluster.Dispose);
app.Run();

internal sealed record TopicRequest(string Name, int? Partitions);
