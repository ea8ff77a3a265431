using RestMan.Billing.Apis;
using RestMan.Billing.Extensions;

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

app.MapBillingApi();
app.MapPaymentsApi();
app.MapSplitApi();
app.MapDiscountsApi();
app.MapRefundsApi();
app.MapReceiptsApi();

app.Run();
