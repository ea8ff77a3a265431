using RestMan.Inventory.Apis;
using RestMan.Inventory.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseServedByHeader();
app.UseExceptionHandler();
app.UseReadRetryDuringOutages();
app.UseStatusCodePages();
app.UseForwardedIdentity();
app.MapDefaultEndpoints();
app.MapOpenApi();

app.MapStockApi();
app.MapPurchasingApi();
app.MapInventoryReportsApi();

app.Run();
