using RestMan.Auth.Apis;
using RestMan.Auth.Extensions;

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

app.MapAuthApi();
app.MapStaffApi();
app.MapUsersApi();
if (app.Environment.IsDevelopment())
{
    app.MapDevMailboxApi();
}
app.CheckConfiguration();

app.Run();
