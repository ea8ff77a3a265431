using RestMan.ClickHouse;
using RestMan.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddClickHouse("clickhouse");
builder.AddKafkaProducer("kafka");

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
