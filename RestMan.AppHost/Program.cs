var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: local processes in run mode, containers when publishing, external when ConnectionStrings:<name> is set.
var cockroach = builder.AddCockroachOrPostgres("cockroach", databaseName: "restman");
var kafka = builder.AddKafka("kafka", RestMan.Messaging.Topics.All);
var redis = builder.AddRedisServer("redis");
var clickhouse = builder.AddClickHouse("clickhouse", databaseName: "restman_analytics");

// Services.
var auth = builder.AddService<Projects.RestMan_Auth>("auth").WithMailRelay()
    .WithReference(cockroach).WithReference(redis).WithReference(kafka)
    .WaitFor(cockroach).WaitFor(redis).WaitFor(kafka);

builder.AddService<Projects.RestMan_Scheduler>("scheduler")
    .WithReference(cockroach).WithReference(auth)
    .WaitFor(cockroach).WaitFor(auth);

var restaurants = builder.AddService<Projects.RestMan_Restaurants>("restaurants")
    .WithReference(cockroach).WithReference(redis).WithReference(kafka)
    .WithReference(auth)
    .WaitFor(cockroach).WaitFor(redis).WaitFor(kafka);

var orders = builder.AddService<Projects.RestMan_Orders>("orders").WithMailRelay()
    .WithReference(cockroach).WithReference(redis).WithReference(kafka)
    .WithReference(restaurants)
    .WaitFor(cockroach).WaitFor(kafka);

var kitchen = builder.AddService<Projects.RestMan_Kitchen>("kitchen")
    .WithReference(cockroach).WithReference(kafka)
    .WithReference(restaurants)
    .WaitFor(cockroach).WaitFor(kafka);

var billing = builder.AddService<Projects.RestMan_Billing>("billing").WithMailRelay()
    .WithReference(cockroach).WithReference(redis).WithReference(kafka)
    .WithReference(restaurants)
    .WaitFor(cockroach).WaitFor(kafka);

var analytics = builder.AddService<Projects.RestMan_Analytics>("analytics")
    .WithReference(clickhouse).WithReference(kafka)
    .WithReference(restaurants)
    .WaitFor(clickhouse).WaitFor(kafka);

var inventory = builder.AddService<Projects.RestMan_Inventory>("inventory").WithMailRelay()
    .WithReference(cockroach).WithReference(redis).WithReference(kafka)
    .WithReference(restaurants)
    .WaitFor(cockroach).WaitFor(kafka);

// The browser front end: reached through the gateway at /, it calls the API back through the gateway as the signed-in user.
// Its Data Protection keys are in Redis, shared by its replicas.
var web = builder.AddService<Projects.RestMan_Web>("web")
    .WithReference(kafka).WithReference(redis)
    .WaitFor(kafka).WaitFor(redis);

var gateway = builder.AddService<Projects.RestMan_Gateway>("gateway")
    .WithReference(redis)
    .WithReference(auth).WithReference(restaurants).WithReference(orders)
    .WithReference(kitchen).WithReference(billing).WithReference(analytics).WithReference(inventory)
    .WithReference(web)
    .WithHttpPort(builder.Configuration.GetValue("RestMan:GatewayPort", 8000))
    .WithExternalHttpEndpoints();

web.WithReference(gateway);

// The graph is up within RestMan:StartTimeout or the run fails naming what did not start; then ./run.sh prints
// "<resource> Running <endpoint>" for these (newcomers and scripts read them).
builder.WatchStartup(gateway, cockroach, kafka, redis, clickhouse);

builder.Build().Run();
