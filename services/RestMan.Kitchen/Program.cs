using RestMan.Kitchen.Apis;
using RestMan.Kitchen.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenApi();

app.MapKitchenApi();

app.Run();
