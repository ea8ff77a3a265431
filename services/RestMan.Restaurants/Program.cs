using RestMan.Restaurants.Apis;
using RestMan.Restaurants.Extensions;

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

app.MapRestaurantsApi();
app.MapMenuApi();
app.MapStaffApi();
app.MapInternalFoodsApi();
app.MapFirstImplementationAliases();

app.Run();
