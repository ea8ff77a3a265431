using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Runs a read (GET, HEAD) again while a dependency it needs is briefly away, e.g. the database restarting: a read is
/// safe to repeat, and a restart of a few seconds should not reach anyone. Writes ride it out in their transaction
/// (RestMan.Data); what lasts longer still ends as a 503 with Retry-After.
/// </summary>
public static class ReadRetry
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(500);

    public static IApplicationBuilder UseReadRetryDuringOutages(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }

        var clock = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var started = clock.GetTimestamp();
        while (true)
        {
            try
            {
                await next(context);
                return;
            }
            catch (Exception ex) when (Outages.IsOutage(ex)
                                       && !context.Response.HasStarted
                                       && clock.GetElapsedTime(started) < Patience
                                       && !context.RequestAborted.IsCancellationRequested)
            {
                context.Response.Clear();
                await Task.Delay(Pause, clock, context.RequestAborted);
            }
        }
    });
}
