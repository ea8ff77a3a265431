using RestMan.Caching;
using RestMan.Data;
using RestMan.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCockroachDataSource("cockroach");
builder.AddRedis("redis");
builder.AddKafkaProducer("kafka");

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
