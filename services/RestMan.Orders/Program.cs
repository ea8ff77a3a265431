using RestMan.Orders.Apis;
using RestMan.Orders.Extensions;

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

app.MapTableOrdersApi();
app.MapOrdersApi();
app.MapTablesApi();
app.MapReservationsApi();

app.Run();
