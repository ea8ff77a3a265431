using RestMan.Hosting;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: local processes here, external clusters when ConnectionStrings:<name> is configured.
var cockroach = builder.AddCockroachDB("cockroach", databaseName: "restman");
var kafka = builder.AddKafka("kafka")
    .WithTopics("user.events", "menu.events", "order.events", "bill.events");
var redis = builder.AddRedis("redis");
var clickhouse = builder.AddClickHouse("clickhouse", databaseName: "restman_analytics");

// Services.
var auth = builder.AddProject<Projects.RestMan_Auth>("auth")
    .WithReference(cockroach).WithReference(redis).WithReference(kafka)
    .WaitFor(cockroach).WaitFor(redis).WaitFor(kafka);

builder.AddProject<Projects.RestMan_Scheduler>("scheduler")
    .WithReference(cockroach).WithReference(auth)
    .WaitFor(cockroach).WaitFor(auth);

var restaurants = builder.AddProject<Projects.RestMan_Restaurants>("restaurants")
    .WithReference(cockroach).WithReference(redis).WithReference(kafka)
    .WithReference(auth)
    .WaitFor(cockroach).WaitFor(redis).WaitFor(kafka);

var orders = builder.AddProject<Projects.RestMan_Orders>("orders")
    .WithReference(cockroach).WithReference(redis).WithReference(kafka)
    .WithReference(restaurants)
    .WaitFor(cockroach).WaitFor(kafka);

var kitchen = builder.AddProject<Projects.RestMan_Kitchen>("kitchen")
    .WithReference(cockroach).WithReference(kafka)
    .WithReference(restaurants)
    .WaitFor(cockroach).WaitFor(kafka);

var billing = builder.AddProject<Projects.RestMan_Billing>("billing")
    .WithReference(cockroach).WithReference(kafka)
    .WithReference(restaurants)
    .WaitFor(cockroach).WaitFor(kafka);

var analytics = builder.AddProject<Projects.RestMan_Analytics>("analytics")
    .WithReference(clickhouse).WithReference(kafka)
    .WithReference(restaurants)
    .WaitFor(clickhouse).WaitFor(kafka);

builder.AddProject<Projects.RestMan_Gateway>("gateway")
    .WithReference(redis)
    .WithReference(auth).WithReference(restaurants).WithReference(orders)
    .WithReference(kitchen).WithReference(billing).WithReference(analytics)
    .WithHttpEndpoint(port: 8000)
    .WithExternalHttpEndpoints();

builder.Build().Run();
