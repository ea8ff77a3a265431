using RestMan.Data;
using RestMan.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCockroachDataSource("cockroach");
builder.AddKafkaProducer("kafka");

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
