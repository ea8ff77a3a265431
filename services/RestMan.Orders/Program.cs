using RestMan.Orders.Apis;
using RestMan.Orders.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApi();

app.MapOrdersApi();

app.Run();
