using RestMan.Web.Apis;
using RestMan.Web.Components;
using RestMan.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseForwardedHeaders();
app.IgnoreForwardedIdentity();
app.UseServedByHeader();
app.UseExceptionHandler();
app.UseReadRetryDuringOutages();
app.UseStatusCodePages();
app.UseForwardedIdentity();
app.MapDefaultEndpoints();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapSessionApi();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();
